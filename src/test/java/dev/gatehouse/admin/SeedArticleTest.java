// The seed article's PowerShell lines, pasted: they parse (typographic dash and quotes included), and only
// the cmdlet lookup fails, with PowerShell's "not recognized" message, until the cmdlets are implemented.
package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.gatehouse.cmdlet.Argument;
import dev.gatehouse.cmdlet.ParseResult;
import dev.gatehouse.cmdlet.ParsedCommand;
import dev.gatehouse.cmdlet.PipelineRunner;
import dev.gatehouse.cmdlet.RunResult;
import dev.gatehouse.cmdlet.ScriptParser;
import dev.gatehouse.cmdlet.Value;

class SeedArticleTest {

    private static ParsedCommand parseOne(String line) {
        ParseResult r = ScriptParser.parse(line);
        assertThat(r).as("parse of %s", line).isInstanceOf(ParseResult.Parsed.class);
        var pipelines = ((ParseResult.Parsed) r).script().pipelines();
        assertThat(pipelines).hasSize(1);
        assertThat(pipelines.getFirst().commands()).hasSize(1);
        return pipelines.getFirst().commands().getFirst();
    }

    private static Map<String, String> named(ParsedCommand c) {
        return c.arguments().stream().map(a -> (Argument.Named) a).collect(Collectors.toMap(Argument.Named::name,
                a -> a.value() instanceof Value.Text t ? t.value() : a.value().source(), (x, y) -> x, java.util.LinkedHashMap::new));
    }

    @Test
    void transportRuleLineParsesWithTypographicDashAndQuotes() {
        ParsedCommand c = parseOne(SeedArticle.TRANSPORT_RULE);
        assertThat(c.name()).isEqualTo("New-TransportRule");
        Map<String, String> args = named(c);
        assertThat(args.keySet()).containsExactly("Name", "Quarantine", "ExceptIfHeaderContainsMessageHeader",
                "ExceptIfHeaderContainsWords", "ExceptIfSenderIpRanges", "StopRuleProcessing", "Priority");
        assertThat(args.get("Name")).isEqualTo("Redirect to quarantine if not coming from known IPs");
        // ‘…' : opened with a typographic quote, closed with an ASCII one, trailing space kept.
        assertThat(args.get("ExceptIfSenderIpRanges")).isEqualTo("MX records + on-premises IPs + other authorized IPs ");
        assertThat(args.get("ExceptIfHeaderContainsWords")).isEqualTo("Internal");
        assertThat(args.get("Quarantine")).isEqualTo("$true");
    }

    @Test
    void historicalSearchLineParsesWithAndWithoutPlaceholders() {
        ParsedCommand verbatim = parseOne(SeedArticle.HISTORICAL_SEARCH_VERBATIM);
        assertThat(named(verbatim)).containsEntry("StartDate", "<start>").containsEntry("EndDate", "<end>")
                .containsEntry("NotifyAddress", "admin@contoso.com").containsEntry("ReportType", "ConnectorReport");
        ParsedCommand filled = parseOne(SeedArticle.HISTORICAL_SEARCH);
        assertThat(named(filled).get("StartDate")).matches("\\d\\d/\\d\\d/20\\d\\d");
        assertThat(named(filled)).hasSize(7).containsEntry("NotifyAddress", "admin@contoso.com");
    }

    /**
     * Run through the admin registry, each seed line fails only where the article left a placeholder: the
     * transport rule's IP range text, and the historical search's {@code <start>} (the line with real dates runs:
     * HistoricalSearchTest).
     */
    @Test
    void eachSeedLineFailsOnlyOnItsPlaceholder() {
        PipelineRunner<AdminContext> runner = new PipelineRunner<>(AdminCmdlets.registry());
        AdminContext ctx = new AdminContext(new Principal.Operator("operator"), null, null);
        RunResult rule = runner.run(SeedArticle.TRANSPORT_RULE, ctx);
        assertThat(rule.errors()).hasSize(1);
        // the article's placeholder text fails the IP-range validator, naming both
        assertThat(rule.errors().getFirst().parameter()).isEqualTo("ExceptIfSenderIpRanges");
        assertThat(rule.errors().getFirst().message()).contains("ExceptIfSenderIpRanges")
                .contains("MX records + on-premises IPs + other authorized IPs ");
        RunResult search = runner.run(SeedArticle.HISTORICAL_SEARCH_VERBATIM, ctx);
        assertThat(search.errors()).hasSize(1);
        var e = search.errors().getFirst();
        assertThat(e.command()).isEqualTo("Start-HistoricalSearch");
        assertThat(e.parameter()).isEqualTo("StartDate");
        assertThat(e.message()).contains("<start>").doesNotContain("not recognized");
        // Positive control: a registered cmdlet on the same runner gets past the lookup (and fails later, on binding).
        RunResult known = runner.run("New-Mailbox -Bogus 1", ctx);
        assertThat(known.errors().getFirst().message()).doesNotContain("not recognized");
        assertThat(List.of(known.errors().getFirst().parameter())).containsExactly("Bogus");
    }

    /** The copy in SeedArticle is the article's text to the character (dash, curly quote, trailing space). */
    @Test
    void theCopiedLinesAreTheArticlesVerbatim() throws java.io.IOException {
        java.nio.file.Path article = java.nio.file.Path.of("..", "shared", "seed", "direct-send-article.md");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(article), "the shared folder is not beside the checkout");
        java.util.List<String> lines = java.nio.file.Files.readAllLines(article);
        org.assertj.core.api.Assertions.assertThat(lines).contains(SeedArticle.TRANSPORT_RULE, SeedArticle.HISTORICAL_SEARCH_VERBATIM);
    }
}
