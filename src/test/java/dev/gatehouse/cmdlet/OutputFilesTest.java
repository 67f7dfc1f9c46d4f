// Export-Csv writing real files in a temporary directory: replacing, creating folders, UTF-8 without BOM,
// -WhatIf, a missing or empty -Path refused before anything runs, and CSV cells that hold commas, quotes,
// line breaks and Exchange values.
package dev.gatehouse.cmdlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFilesTest {
    static final String NL = System.lineSeparator();

    @TempDir Path dir;
    final SampleOrg org = new SampleOrg();

    RunResult export(String script) {
        return org.run(script, PipelineRunner.Options.defaults().withFiles(OutputFiles.under(dir)));
    }

    @Test void anExistingFileIsReplacedNotAppendedTo() throws Exception {
        Files.writeString(dir.resolve("domains.csv"), "old line 1\nold line 2\nold line 3\nold line 4\nold line 5\n");
        RunResult r = export("Get-AcceptedDomain contoso.com | select Identity | Export-Csv domains.csv -NTI -Force");
        assertThat(r.errors()).isEmpty();
        assertThat(Files.readString(dir.resolve("domains.csv"))).isEqualTo("\"Identity\"" + NL + "\"contoso.com\"" + NL);
    }

    @Test void missingFoldersAreCreated() throws Exception {
        assertThat(export("Get-AcceptedDomain | Export-Csv -Path reports/2025/domains.csv").errors()).isEmpty();
        assertThat(Files.readAllLines(dir.resolve("reports/2025/domains.csv"))).hasSize(4);
    }

    @Test void noInputLeavesAnEmptyFile() throws Exception {
        Files.writeString(dir.resolve("empty.csv"), "stale");
        assertThat(export("Get-AcceptedDomain | select -First 0 | Export-Csv empty.csv").errors()).isEmpty();
        assertThat(dir.resolve("empty.csv")).isEmptyFile();
    }

    @Test void theFileIsUtf8WithoutAByteOrderMark() throws Exception {
        org.domains.put("bücher.example", new SampleOrg.AcceptedDomain("bücher.example", SampleOrg.DomainType.Authoritative,
                false, 3, null, null));
        export("Get-AcceptedDomain bücher.example | select Identity | Export-Csv idn.csv");
        byte[] bytes = Files.readAllBytes(dir.resolve("idn.csv"));
        assertThat(bytes[0]).isEqualTo((byte) '"');
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"bücher.example\"");
    }

    @Test void whatIfNamesTheFileAndWritesNothing() {
        RunResult r = export("Get-AcceptedDomain | Export-Csv domains.csv -WhatIf");
        assertThat(r.whatIf()).containsExactly("What if: Performing the operation \"Export-Csv\" on target \"domains.csv\".");
        assertThat(r.output()).isEqualTo("What if: Performing the operation \"Export-Csv\" on target \"domains.csv\".\n");
        assertThat(dir.resolve("domains.csv")).doesNotExist();
    }

    @Test void aMissingPathIsRefusedBeforeTheCommandsBeforeItRun() {
        RunResult r = export("Set-AcceptedDomain contoso.com -Priority 7 | Export-Csv");
        assertThat(r.errors()).singleElement().extracting(ErrorRecord::formatted)
                .isEqualTo("Export-Csv: Cannot process command because of one or more missing mandatory parameters: Path.");
        assertThat(org.domains.get("contoso.com").priority()).isZero();
        assertThat(org.calls).isEmpty();
        assertThat(new PipelineRunner<>(org.registry).check("Get-AcceptedDomain | Export-Csv")).extracting(ErrorRecord::message)
                .containsExactly("Cannot process command because of one or more missing mandatory parameters: Path.");
    }

    @Test void anEmptyPathIsRefusedAsInPowerShell() {
        RunResult r = export("Get-AcceptedDomain | Export-Csv -Path ''");
        assertThat(r.errors()).singleElement().extracting(ErrorRecord::formatted)
                .isEqualTo("Export-Csv: Cannot bind argument to parameter 'Path' because it is an empty string.");
        assertThat(org.calls).isEmpty();
    }

    @Test void exchangeValuesAreWrittenAsTheyDisplay() throws Exception {
        export("Get-AcceptedDomain contoso.com | Export-Csv contoso.csv");
        assertThat(Files.readString(dir.resolve("contoso.csv"))).isEqualTo(
                "\"Identity\",\"DomainType\",\"MatchSubDomains\",\"Priority\",\"MaxMessageSize\",\"WhenCreated\"" + NL
                + "\"contoso.com\",\"Authoritative\",\"False\",\"0\",\"35 MB (36,700,160 bytes)\",\"7/1/2025 1:05:09 PM\"" + NL);
    }

    @Test void cellsKeepCommasQuotesAndLineBreaksInsideTheirQuotes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Subject", "Invoice, \"final\"");
        m.put("Body", "line one\r\nline two");
        m.put("Say \"hi\"", List.of("a", "b, c"));
        assertThat(CsvOutput.render(List.of(m))).isEqualTo("\"Subject\",\"Body\",\"Say \"\"hi\"\"\"" + NL
                + "\"Invoice, \"\"final\"\"\",\"line one\r\nline two\",\"a, b, c\"" + NL);
    }

    @Test void theColumnsAreTheFirstObjectsProperties() {
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("Identity", "a");
        first.put("Priority", 1);
        Map<String, Object> second = new LinkedHashMap<>();
        second.put("Priority", 2);
        second.put("Identity", "b");
        second.put("Extra", "dropped");
        assertThat(CsvOutput.render(List.of(first, second)))
                .isEqualTo("\"Identity\",\"Priority\"" + NL + "\"a\",\"1\"" + NL + "\"b\",\"2\"" + NL);
    }

    @Test void absolutePathsAreUsedAsGivenAndDeniedFilesSayWhereToTurn() throws Exception {
        Path elsewhere = dir.resolve("elsewhere");
        Files.createDirectories(elsewhere);
        try (Writer w = OutputFiles.under(dir.resolve("cwd")).open(elsewhere.resolve("x.csv").toString(), false)) {
            w.write("x");
        }
        assertThat(elsewhere.resolve("x.csv")).hasContent("x");
        try (Writer w = OutputFiles.under(dir).open("log.txt", true)) {
            w.write("1");
        }
        try (Writer w = OutputFiles.under(dir).open("log.txt", true)) {
            w.write("2");
        }
        assertThat(dir.resolve("log.txt")).hasContent("12");
        assertThatThrownBy(() -> OutputFiles.denied().open("x.csv", false)).isInstanceOf(CmdletException.class)
                .hasMessage("Export-Csv cannot write files here; use ConvertTo-Json or the shell instead.");
    }
}
