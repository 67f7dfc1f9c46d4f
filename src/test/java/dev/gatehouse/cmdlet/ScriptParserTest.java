// Unit tests of ScriptParser: every syntax element, typographic dashes and quotes, and positioned errors.
package dev.gatehouse.cmdlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptParserTest {

    static Script parse(String text) {
        ParseResult r = ScriptParser.parse(text);
        if (r instanceof ParseResult.Failed f) throw new AssertionError("unexpected " + f.error().formatted());
        return ((ParseResult.Parsed) r).script();
    }

    static ParsedCommand single(String text) {
        Script s = parse(text);
        assertThat(s.pipelines()).hasSize(1);
        assertThat(s.pipelines().getFirst().commands()).hasSize(1);
        return s.pipelines().getFirst().commands().getFirst();
    }

    static SyntaxError error(String text) {
        ParseResult r = ScriptParser.parse(text);
        assertThat(r).as("expected a syntax error for %s", text).isInstanceOf(ParseResult.Failed.class);
        return ((ParseResult.Failed) r).error();
    }

    static Value named(ParsedCommand c, String name) {
        return c.named(name).orElseThrow(() -> new AssertionError("no -" + name)).value();
    }

    static String text(Value v) { return ((Value.Text) v).value(); }

    @Test void parsesNewTransportRuleFromTheDirectSendArticleExactly() {
        ParsedCommand c = single("New-TransportRule -Name \"Redirect to quarantine if not coming from known IPs\" "
                + "-Quarantine $true -ExceptIfHeaderContainsMessageHeader 'X-MS-Exchange-Organization-AuthAs' "
                + "-ExceptIfHeaderContainsWords 'Internal' \u2013ExceptIfSenderIpRanges "
                + "\u2018MX records + on-premises IPs + other authorized IPs ' -StopRuleProcessing $true -Priority 0");
        assertThat(c.name()).isEqualTo("New-TransportRule");
        assertThat(c.arguments()).hasSize(7).allMatch(a -> a instanceof Argument.Named);
        assertThat(text(named(c, "Name"))).isEqualTo("Redirect to quarantine if not coming from known IPs");
        assertThat(named(c, "Quarantine")).isInstanceOf(Value.Bool.class);
        assertThat(((Value.Bool) named(c, "Quarantine")).value()).isTrue();
        assertThat(text(named(c, "ExceptIfHeaderContainsMessageHeader"))).isEqualTo("X-MS-Exchange-Organization-AuthAs");
        assertThat(text(named(c, "ExceptIfHeaderContainsWords"))).isEqualTo("Internal");
        Value ranges = named(c, "ExceptIfSenderIpRanges");
        assertThat(text(ranges)).isEqualTo("MX records + on-premises IPs + other authorized IPs ");
        assertThat(((Value.Text) ranges).quoting()).isEqualTo(Value.Quoting.SINGLE);
        assertThat(((Value.Bool) named(c, "StopRuleProcessing")).value()).isTrue();
        assertThat(((Value.Number) named(c, "Priority")).value()).isEqualByComparingTo("0");
        assertThat(c.arguments().stream().map(a -> ((Argument.Named) a).name())).containsExactly("Name", "Quarantine",
                "ExceptIfHeaderContainsMessageHeader", "ExceptIfHeaderContainsWords", "ExceptIfSenderIpRanges",
                "StopRuleProcessing", "Priority");
    }

    @Test void parsesStartHistoricalSearchWithDocumentationPlaceholders() {
        ParsedCommand c = single("Start-HistoricalSearch -ReportTitle DirectSendMessages -StartDate <start> "
                + "-EndDate <end> -ReportType ConnectorReport -ConnectorType NoConnector -Direction Received "
                + "-NotifyAddress admin@contoso.com");
        assertThat(c.name()).isEqualTo("Start-HistoricalSearch");
        assertThat(text(named(c, "ReportTitle"))).isEqualTo("DirectSendMessages");
        assertThat(text(named(c, "StartDate"))).isEqualTo("<start>");
        assertThat(text(named(c, "EndDate"))).isEqualTo("<end>");
        assertThat(text(named(c, "ReportType"))).isEqualTo("ConnectorReport");
        assertThat(text(named(c, "ConnectorType"))).isEqualTo("NoConnector");
        assertThat(text(named(c, "Direction"))).isEqualTo("Received");
        assertThat(text(named(c, "NotifyAddress"))).isEqualTo("admin@contoso.com");
    }

    @Test void parsesStartHistoricalSearchWithDatesFromTheSpec() {
        ParsedCommand c = single("Start-HistoricalSearch -ReportTitle DirectSendMessages -StartDate 07/01/2025 "
                + "-EndDate 07/24/2025 -ReportType ConnectorReport -ConnectorType NoConnector -Direction Received "
                + "-NotifyAddress admin@contoso.com");
        assertThat(text(named(c, "StartDate"))).isEqualTo("07/01/2025");
        assertThat(text(named(c, "EndDate"))).isEqualTo("07/24/2025");
        assertThat(c.arguments()).hasSize(7);
    }

    @Test void namedParameterForms() {
        ParsedCommand c = single("Set-Thing -Name value -Other:'x' -WhatIf -Confirm:$false -Spaced: 5");
        List<Argument> args = c.arguments();
        assertThat(args).hasSize(5);
        assertThat(((Argument.Named) args.get(0)).syntax()).isEqualTo(Argument.Syntax.SPACE);
        assertThat(((Argument.Named) args.get(1)).syntax()).isEqualTo(Argument.Syntax.COLON);
        assertThat(text(((Argument.Named) args.get(1)).value())).isEqualTo("x");
        assertThat(((Argument.Named) args.get(2)).syntax()).isEqualTo(Argument.Syntax.NONE);
        assertThat(((Argument.Named) args.get(2)).value()).isInstanceOf(Value.SwitchPresent.class);
        assertThat(((Value.Bool) ((Argument.Named) args.get(3)).value()).value()).isFalse();
        assertThat(((Value.Number) ((Argument.Named) args.get(4)).value()).value()).isEqualByComparingTo("5");
    }

    @Test void emDashAndHorizontalBarAreParameterDashes() {
        ParsedCommand c = single("Get-Thing \u2014Identity a \u2015Name b");
        assertThat(text(named(c, "Identity"))).isEqualTo("a");
        assertThat(text(named(c, "Name"))).isEqualTo("b");
    }

    @Test void bareWordsKeepTheirText() {
        ParsedCommand c = single("Get-Thing contoso.com 192.0.2.0/24 07/01/2025 *.contoso.com 2001:db8::/32");
        assertThat(c.arguments()).extracting(a -> text(((Argument.Positional) a).value()))
                .containsExactly("contoso.com", "192.0.2.0/24", "07/01/2025", "*.contoso.com", "2001:db8::/32");
    }

    @Test void numbersWithMultipliersKeepTheirSource() {
        ParsedCommand c = single("Set-Thing -Size 10MB -Half 1.5GB -N -3 -Hex 0x1F -Plain 1024");
        Value.Number size = (Value.Number) named(c, "Size");
        assertThat(size.value()).isEqualByComparingTo(BigDecimal.valueOf(10L * 1024 * 1024));
        assertThat(size.source()).isEqualTo("10MB");
        assertThat(((Value.Number) named(c, "Half")).source()).isEqualTo("1.5GB");
        assertThat(((Value.Number) named(c, "N")).value()).isEqualByComparingTo("-3");
        assertThat(((Value.Number) named(c, "Hex")).value()).isEqualByComparingTo("31");
        assertThat(((Value.Number) named(c, "Plain")).value()).isEqualByComparingTo("1024");
    }

    @Test void singleQuotedStringsDoubleTheQuoteToEscapeIt() {
        assertThat(text(named(single("Set-Thing -Name 'it''s here'"), "Name"))).isEqualTo("it's here");
        assertThat(text(named(single("Set-Thing -Name \u2018typographic\u2019"), "Name"))).isEqualTo("typographic");
        assertThat(text(named(single("Set-Thing -Name \u201Ab\u201B"), "Name"))).isEqualTo("b");
        assertThat(text(named(single("Set-Thing -Name ''"), "Name"))).isEmpty();
    }

    @Test void doubleQuotedStringsHonourBacktickEscapesAndDoubledQuotes() {
        Value v = named(single("Set-Thing -Name \"a`tb`nc `\"q`\" \"\"d\"\" `$x `u{263A}\""), "Name");
        assertThat(text(v)).isEqualTo("a\tb\nc \"q\" \"d\" $x \u263A");
        assertThat(((Value.Text) v).quoting()).isEqualTo(Value.Quoting.DOUBLE);
        assertThat(text(named(single("Set-Thing -Name \u201Ctypographic\u201D"), "Name"))).isEqualTo("typographic");
        assertThat(text(named(single("Set-Thing -Name \"cost: $ 5 and $true\""), "Name"))).isEqualTo("cost: $ 5 and True");
    }

    @Test void variablesTrueFalseNullAreCaseInsensitive() {
        ParsedCommand c = single("Set-Thing -A $TRUE -B $False -C $null");
        assertThat(((Value.Bool) named(c, "A")).value()).isTrue();
        assertThat(((Value.Bool) named(c, "B")).value()).isFalse();
        assertThat(named(c, "C")).isInstanceOf(Value.Null.class);
    }

    @Test void commaListsWithAndWithoutSpaces() {
        Value.ListOf bare = (Value.ListOf) named(single("Set-Thing -List a,b,c"), "List");
        assertThat(bare.items()).extracting(ScriptParserTest::text).containsExactly("a", "b", "c");
        Value.ListOf quoted = (Value.ListOf) named(single("Set-Thing -List 'a', 'b' ,\n 'c' -Next 1"), "List");
        assertThat(quoted.items()).extracting(ScriptParserTest::text).containsExactly("a", "b", "c");
        assertThat(quoted.source()).isEqualTo("'a', 'b' ,\n 'c'");
    }

    @Test void arraySubexpressionsWithCommasNewlinesAndEmpty() {
        ParsedCommand c = single("Set-Thing -A @('x', 'y') -B @() -C @(\n  'p'\n  'q'; r\n) -D @(@(1,2),3)");
        assertThat(((Value.ListOf) named(c, "A")).items()).extracting(ScriptParserTest::text).containsExactly("x", "y");
        assertThat(((Value.ListOf) named(c, "B")).items()).isEmpty();
        assertThat(((Value.ListOf) named(c, "C")).items()).extracting(ScriptParserTest::text).containsExactly("p", "q", "r");
        Value.ListOf d = (Value.ListOf) named(c, "D");
        assertThat(d.items()).hasSize(2);
        assertThat(d.items().getFirst()).isInstanceOf(Value.ListOf.class);
    }

    @Test void hashtablesForMultiValuedEdits() {
        Value.Table t = (Value.Table) named(single(
                "Set-Mailbox x -EmailAddresses @{Add='a@contoso.com','b@contoso.com'; Remove=\"c@contoso.com\"}"),
                "EmailAddresses");
        assertThat(t.entries()).containsOnlyKeys("Add", "Remove");
        assertThat(((Value.ListOf) t.entries().get("Add")).items()).hasSize(2);
        assertThat(text(t.entries().get("Remove"))).isEqualTo("c@contoso.com");
        Value.Table multiLine = (Value.Table) named(single("Set-Thing -T @{\n  'Quoted Key' = 1\n  b = $true\n}"), "T");
        assertThat(multiLine.entries()).containsOnlyKeys("Quoted Key", "b");
        assertThat(((Value.Table) named(single("Set-Thing -T @{}"), "T")).entries()).isEmpty();
    }

    @Test void lineContinuationCommentsAndSeparators() {
        Script s = parse("# leading comment\nGet-Thing `\n  -Identity a # trailing\n<# block\ncomment #>Get-Other; Get-Third\n\n;;");
        assertThat(s.pipelines()).hasSize(3);
        ParsedCommand first = s.pipelines().get(0).commands().getFirst();
        assertThat(text(named(first, "Identity"))).isEqualTo("a");
        assertThat(s.pipelines().get(1).commands().getFirst().name()).isEqualTo("Get-Other");
        assertThat(s.pipelines().get(2).commands().getFirst().name()).isEqualTo("Get-Third");
        assertThat(parse("Get-Thing a#b").pipelines().getFirst().commands().getFirst().arguments())
                .extracting(a -> text(((Argument.Positional) a).value())).containsExactly("a#b");
    }

    @Test void pipelinesMayContinueOnTheNextLineAfterThePipe() {
        Script s = parse("Get-Thing |\n  Set-Thing -Enabled $false | fl Name,Enabled");
        assertThat(s.pipelines()).hasSize(1);
        assertThat(s.pipelines().getFirst().commands()).extracting(ParsedCommand::name)
                .containsExactly("Get-Thing", "Set-Thing", "fl");
    }

    @Test void switchFollowedByPositionalValueIsRecordedAsSpaceSyntax() {
        ParsedCommand c = single("Remove-Thing -Confirm contoso.com");
        Argument.Named n = (Argument.Named) c.arguments().getFirst();
        assertThat(n.syntax()).isEqualTo(Argument.Syntax.SPACE);
        assertThat(text(n.value())).isEqualTo("contoso.com");
    }

    @Test void positionsAreOneBased() {
        ParsedCommand c = parse("Get-A\n  Set-B -Name  x").pipelines().get(1).commands().getFirst();
        assertThat(c.position()).isEqualTo(new Position(2, 3, 8));
        Argument.Named n = (Argument.Named) c.arguments().getFirst();
        assertThat(n.position().column()).isEqualTo(9);
        assertThat(n.value().position().column()).isEqualTo(16);
    }

    // --- errors -------------------------------------------------------------------------------------

    @Test void unterminatedSingleQuoteIsPositionedAtTheOpeningQuote() {
        SyntaxError e = error("Set-Thing -Name 'abc");
        assertThat(e.message()).isEqualTo("The string is missing the terminator: '.");
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.column()).isEqualTo(17);
    }

    @Test void unterminatedDoubleQuote() {
        SyntaxError e = error("Get-A\nSet-Thing -Name \"abc");
        assertThat(e.message()).isEqualTo("The string is missing the terminator: \".");
        assertThat(e).extracting(SyntaxError::line, SyntaxError::column).containsExactly(2, 17);
    }

    @Test void emptyPipeElements() {
        assertThat(error("| Get-Thing").message()).isEqualTo("An empty pipe element is not allowed.");
        SyntaxError trailing = error("Get-Thing |");
        assertThat(trailing.message()).isEqualTo("An empty pipe element is not allowed.");
        assertThat(trailing.column()).isEqualTo(11);
        assertThat(error("Get-Thing | | fl").column()).isEqualTo(11);
        assertThat(error("Get-Thing |; fl").message()).isEqualTo("An empty pipe element is not allowed.");
    }

    @Test void missingValueAfterColon() {
        SyntaxError e = error("Set-Thing -Confirm:");
        assertThat(e.message()).startsWith("Missing an argument for parameter 'Confirm'.");
        assertThat(e.column()).isEqualTo(19);
        assertThat(error("Set-Thing -Name: | fl").message()).startsWith("Missing an argument for parameter 'Name'.");
    }

    @Test void unknownVariables() {
        SyntaxError e = error("Set-Thing -Name $foo");
        assertThat(e.message()).startsWith("The variable '$foo' cannot be retrieved because it has not been set.");
        assertThat(e.column()).isEqualTo(17);
        assertThat(error("Set-Thing -Name \"a $foo\"").message()).startsWith("The variable '$foo' cannot be retrieved");
        assertThat(error("Set-Thing -Name a$foo").message()).startsWith("The variable '$foo' cannot be retrieved");
        assertThat(error("Set-Thing -Name $_").message()).contains("script blocks");
    }

    @Test void unsupportedConstructsSayTheyAreNotSupported() {
        assertThat(error("Get-Thing | ForEach-Object { $_.Name }").message()).startsWith("ForEach-Object").contains("not supported in Gatehouse");
        assertThat(error("Get-Thing | % { $_ }").column()).isEqualTo(13);
        assertThat(error("Get-Thing | Where-Object Name -eq x").message()).startsWith("Where-Object").contains("not supported");
        assertThat(error("Get-Thing | ? Name").message()).startsWith("Where-Object");
        assertThat(error("Get-Mailbox -Filter { Name -eq 'x' }").message()).startsWith("Script blocks").contains("not supported");
        assertThat(error("{ Get-Thing }").message()).startsWith("Script blocks");
        assertThat(error("Set-Thing -Name $(Get-Date)").message()).startsWith("Subexpressions").contains("not supported");
        assertThat(error("Set-Thing -Name \"$(1)\"").message()).startsWith("Subexpressions");
        assertThat(error("$x = Get-Thing").message()).startsWith("Assignments").contains("not supported");
        assertThat(error("Get-Thing > out.txt").message()).startsWith("Redirection").contains("not supported");
        assertThat(error("Get-Thing 2>&1").message()).startsWith("Redirection");
        assertThat(error("Set-Thing -Name (Get-Date)").message()).contains("not supported");
        assertThat(error("if ($true) { Get-Thing }").message()).contains("keyword 'if' is not supported");
        assertThat(error("Get-A && Get-B").message()).contains("'&&' operator is not supported");
        assertThat(error("Set-Thing -P @splat").message()).startsWith("Splatting");
        assertThat(error("Set-Thing -P <").message()).isEqualTo("The '<' operator is reserved for future use.");
    }

    @Test void listAndHashtableErrors() {
        assertThat(error("Set-Thing -L a,").message()).isEqualTo("Missing expression after ','.");
        assertThat(error("Set-Thing -L @('a'").message()).startsWith("Missing closing ')'");
        assertThat(error("Set-Thing -T @{a=1").message()).startsWith("Missing closing '}'");
        assertThat(error("Set-Thing -T @{a 1}").message()).isEqualTo("Missing '=' operator after key in hash literal.");
        assertThat(error("Set-Thing -T @{a=1; A=2}").message()).isEqualTo("Duplicate keys 'A' are not allowed in hash literals.");
        assertThat(error("Set-Thing -T @{a=}").message()).isEqualTo("Missing statement after '=' in hash literal.");
        assertThat(error("Set-Thing <# never closed").message()).contains("'#>'");
    }

    @Test void nestingIsBounded() {
        assertThat(error("Set-Thing -A " + "@(".repeat(500)).message()).contains("nested too deeply");
    }

    @Test void emptyScriptHasNoPipelines() {
        assertThat(parse("").pipelines()).isEmpty();
        assertThat(parse("  # only a comment\n\n").pipelines()).isEmpty();
        assertThat(ScriptParser.parse(null)).isInstanceOf(ParseResult.Parsed.class);
    }

    @Test void incompleteInputAsksForMoreLines() {
        for (String partial : List.of("Set-Thing -Name 'abc", "Set-Thing -Name \"abc", "Get-Thing |", "Get-Thing |\n",
                "Set-Thing -L a,", "Set-Thing -L @('a',", "Set-Thing -T @{a=1", "Get-Thing `", "Get-Thing <# comment",
                "Set-Thing -Name \"a`")) {
            assertThat(ScriptParser.needsMoreInput(partial)).as(partial).isTrue();
        }
        for (String complete : List.of("Get-Thing", "Get-Thing | | fl", "Set-Thing -Name $foo", "Get-Thing | % { }", "",
                "Set-Thing -P <")) {
            assertThat(ScriptParser.needsMoreInput(complete)).as(complete).isFalse();
        }
    }
}
