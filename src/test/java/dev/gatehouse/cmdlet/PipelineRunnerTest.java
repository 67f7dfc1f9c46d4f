// Tests of PipelineRunner with fake in-test cmdlets: piping getters into setters, -WhatIf, errors, and output.
package dev.gatehouse.cmdlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineRunnerTest {
    record Thing(String identity, String name, boolean enabled, List<String> domains, OffsetDateTime whenCreated, int count) {}

    /** The handlers' context: an in-memory store of things. */
    static final class Store {
        final Map<String, Thing> things = new LinkedHashMap<>();
        final List<String> calls = new ArrayList<>();
    }

    static final Thing CONTOSO = new Thing("contoso.com", "Contoso", true, List.of("a.contoso.com", "b.contoso.com"),
            OffsetDateTime.of(2025, 7, 1, 13, 5, 9, 0, ZoneOffset.UTC), 5);
    static final Thing FABRIKAM = new Thing("fabrikam.com", "Fab \"the\" rikam", false, List.of(),
            OffsetDateTime.of(2025, 12, 24, 0, 0, 0, 0, ZoneOffset.UTC), 12);

    Store store;
    CmdletRegistry<Store> registry;

    @BeforeEach void setUp() {
        store = new Store();
        store.things.put(CONTOSO.identity(), CONTOSO);
        store.things.put(FABRIKAM.identity(), FABRIKAM);
        registry = new CmdletRegistry<>();
        registry.register(CmdletDefinition.<Store>builder("Get-Thing")
                .synopsis("Lists things.")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).at(0))
                .handler((p, s) -> {
                    s.calls.add("get");
                    String id = p.string("Identity");
                    if (id == null) return List.copyOf(s.things.values());
                    Thing t = s.things.get(id);
                    if (t == null) throw CmdletException.notFound("The thing '" + id + "' couldn't be found.");
                    return List.of(t);
                }).build());
        registry.register(CmdletDefinition.<Store>builder("Set-Thing")
                .synopsis("Changes a thing.")
                .supportsShouldProcess()
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).required().at(0)
                        .fromPipelineByPropertyName()
                        .validatedBy(v -> "bad".equals(v) ? Optional.of("bad things cannot be changed") : Optional.empty()))
                .parameter(ParameterDefinition.of("Enabled", ParameterType.bool()))
                .handler((p, s) -> {
                    String id = p.string("Identity");
                    if (p.shouldProcess(id, "Set-Thing")) {
                        Thing t = s.things.get(id);
                        s.things.put(id, new Thing(id, t.name(), p.isSet("Enabled"), t.domains(), t.whenCreated(), t.count()));
                        s.calls.add("set " + id);
                    }
                    return List.of();
                }).build());
        registry.register(CmdletDefinition.<Store>builder("Remove-Thing")
                .supportsShouldProcess()
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).required().at(0)
                        .fromPipeline().fromPipelineByPropertyName())
                .handler((p, s) -> {
                    if (p.shouldProcess(p.string("Identity"))) s.things.remove(p.string("Identity"));
                    return List.of();
                }).build());
    }

    RunResult run(String script) { return new PipelineRunner<>(registry).run(script, store); }

    RunResult runOk(String script) {
        RunResult r = run(script);
        assertThat(r.errors()).as("errors of %s", script).isEmpty();
        return r;
    }

    @Test void getterPipedIntoSetterBindsIdentityFromEachObject() {
        runOk("Get-Thing | Set-Thing -Enabled $false");
        assertThat(store.things.values()).extracting(Thing::enabled).containsOnly(false);
        assertThat(store.calls).containsExactly("get", "set contoso.com", "set fabrikam.com");
    }

    @Test void whatIfReportsWithoutChanging() {
        RunResult r = runOk("Get-Thing | Set-Thing -Enabled $false -WhatIf");
        assertThat(store.things.get("contoso.com").enabled()).isTrue();
        assertThat(r.whatIf()).containsExactly(
                "What if: Performing the operation \"Set-Thing\" on target \"contoso.com\".",
                "What if: Performing the operation \"Set-Thing\" on target \"fabrikam.com\".");
        assertThat(r.output()).contains("What if: Performing the operation \"Set-Thing\" on target \"contoso.com\".");
    }

    @Test void confirmFalseIsAccepted() {
        runOk("Set-Thing contoso.com -Enabled $false -Confirm:$false");
        assertThat(store.things.get("contoso.com").enabled()).isFalse();
    }

    @Test void aPipelineThatFailsToBindChangesNothing() {
        RunResult r = run("Get-Thing | Set-Thing -Enabled maybe");
        assertThat(r.succeeded()).isFalse();
        assertThat(r.errors().getFirst().formatted()).startsWith("Set-Thing: Cannot process argument transformation on "
                + "parameter 'Enabled'. Cannot convert value \"maybe\"");
        assertThat(store.calls).isEmpty();
    }

    @Test void aPipedObjectThatFailsValidationStopsTheWholePipelineBeforeAnyChange() {
        store.things.put("bad", new Thing("bad", "Bad", true, List.of(), null, 0));
        RunResult r = run("Get-Thing | Set-Thing -Enabled $false");
        assertThat(r.errors()).singleElement().extracting(ErrorRecord::message).asString()
                .contains("bad things cannot be changed");
        assertThat(store.calls).containsExactly("get");
        assertThat(store.things.get("contoso.com").enabled()).isTrue();
    }

    @Test void scalarsBindByValue() {
        runOk("Get-Thing | Select-Object -ExpandProperty Identity | Remove-Thing");
        assertThat(store.things).isEmpty();
    }

    @Test void pipingIntoACmdletWithoutPipelineInputIsAnError() {
        RunResult r = run("Get-Thing | Get-Thing");
        assertThat(r.errors().getFirst().message()).startsWith("The input object cannot be bound to any parameters");
    }

    @Test void errorsNameTheCmdletAndTheScriptContinues() {
        RunResult r = run("Get-Foo\nGet-Thing nothing\nGet-Thing contoso.com | Select Identity");
        assertThat(r.errors()).extracting(ErrorRecord::formatted).containsExactly(
                "Get-Foo: The term 'Get-Foo' is not recognized as a name of a cmdlet. Check the spelling of the name, "
                        + "or run Get-Command to list the cmdlets Gatehouse supports.",
                "Get-Thing: The thing 'nothing' couldn't be found.");
        assertThat(r.errors().get(1).notFound()).isTrue();
        assertThat(r.errors().get(1).line()).isEqualTo(2);
        assertThat(r.output()).isEqualTo("Identity : contoso.com\n");
        RunResult stopped = new PipelineRunner<>(registry, PipelineRunner.Options.defaults().withStopOnError(true))
                .run("Get-Foo\nSet-Thing contoso.com -Enabled $false", store);
        assertThat(stopped.errors()).hasSize(1);
        assertThat(store.things.get("contoso.com").enabled()).isTrue();
    }

    @Test void aSyntaxErrorRunsNothing() {
        RunResult r = run("Set-Thing contoso.com -Enabled $false\nGet-Thing 'oops");
        assertThat(r.errors()).singleElement().extracting(ErrorRecord::formatted)
                .isEqualTo("At line:2 char:11: The string is missing the terminator: '.");
        assertThat(store.calls).isEmpty();
    }

    @Test void internalErrorsAreReportedNotThrown() {
        RunResult r = run("Set-Thing -Identity missing -Enabled $true");
        assertThat(r.errors().getFirst().formatted()).startsWith("Set-Thing: An internal error occurred while running Set-Thing:");
    }

    // --- output ------------------------------------------------------------------------------------

    @Test void oneObjectShowsAsAList() {
        assertThat(runOk("Get-Thing contoso.com").output()).isEqualTo("""
                Identity    : contoso.com
                Name        : Contoso
                Enabled     : True
                Domains     : {a.contoso.com, b.contoso.com}
                WhenCreated : 7/1/2025 1:05:09 PM
                Count       : 5
                """);
    }

    @Test void severalObjectsShowAsATable() {
        String out = runOk("Get-Thing").output();
        String[] lines = out.split("\n");
        assertThat(lines[0]).isEqualTo(String.format("%-12s %-15s %-7s %-30s %-22s %s", "Identity", "Name", "Enabled",
                "Domains", "WhenCreated", "Count"));
        assertThat(lines[1]).startsWith("--------     ----            -------");
        assertThat(lines[2]).isEqualTo(String.format("%-12s %-15s %-7s %-30s %-22s %5s", "contoso.com", "Contoso", "True",
                "{a.contoso.com, b.contoso.com}", "7/1/2025 1:05:09 PM", "5"));
        assertThat(lines[3]).isEqualTo(String.format("%-12s %-15s %-7s %-30s %-22s %5s", "fabrikam.com", "Fab \"the\" rikam",
                "False", "{}", "12/24/2025 12:00:00 AM", "12"));
    }

    @Test void formatTableWithPropertiesAlignsNumbersRight() {
        assertThat(runOk("Get-Thing | Format-Table -Property Identity,Enabled,Count").output()).isEqualTo(
                String.format("%-12s %-7s %s%n%-12s %-7s %s%n%-12s %-7s %5s%n%-12s %-7s %5s%n", "Identity", "Enabled", "Count",
                        "--------", "-------", "-----", "contoso.com", "True", "5", "fabrikam.com", "False", "12")
                        .replace(System.lineSeparator(), "\n"));
        assertThat(runOk("Get-Thing | ft identity, count -AutoSize").output()).startsWith("Identity     Count\n");
    }

    @Test void longTableValuesAreTruncated() {
        store.things.put("x", new Thing("x", "n".repeat(60), true, List.of(), null, 1));
        String out = runOk("Get-Thing | Format-Table Identity,Name").output();
        assertThat(out).contains("n".repeat(37) + "...");
        assertThat(runOk("Get-Thing | Format-Table Identity,Name -AutoSize").output()).contains("n".repeat(60));
    }

    @Test void formatListWithPropertiesAndWildcards() {
        assertThat(runOk("Get-Thing | fl Identity, Enabled").output()).isEqualTo("""
                Identity : contoso.com
                Enabled  : True

                Identity : fabrikam.com
                Enabled  : False
                """);
        assertThat(runOk("Get-Thing contoso.com | Format-List -Property *").output()).contains("WhenCreated : 7/1/2025 1:05:09 PM");
        assertThat(runOk("Get-Thing contoso.com | Format-List -Property *ed").output()).isEqualTo("""
                Enabled     : True
                WhenCreated : 7/1/2025 1:05:09 PM
                """);
    }

    @Test void selectObjectPicksPropertiesAndCounts() {
        RunResult r = runOk("Get-Thing | Select-Object Identity,Count -First 1");
        assertThat(r.objects()).singleElement().isEqualTo(Map.of("Identity", "contoso.com", "Count", 5));
        assertThat(r.output()).isEqualTo("Identity : contoso.com\nCount    : 5\n");
        assertThat(runOk("Get-Thing | select -ExpandProperty Domains").output()).isEqualTo("a.contoso.com\nb.contoso.com\n");
        assertThat(runOk("Get-Thing | select -Last 1 -Property identity").objects()).singleElement()
                .isEqualTo(Map.of("Identity", "fabrikam.com"));
        assertThat(run("Get-Thing | select -ExpandProperty Nope").errors().getFirst().message())
                .startsWith("Property \"Nope\" cannot be found.");
    }

    @Test void convertToJsonWritesOneObjectOrAnArray() throws Exception {
        String one = runOk("Get-Thing contoso.com | ConvertTo-Json").output();
        JsonNode node = new ObjectMapper().readTree(one);
        assertThat(node.get("Identity").asText()).isEqualTo("contoso.com");
        assertThat(node.get("Enabled").asBoolean()).isTrue();
        assertThat(node.get("WhenCreated").asText()).isEqualTo("2025-07-01T13:05:09Z");
        assertThat(node.get("Domains").isArray()).isTrue();
        assertThat(one).startsWith("{\n  \"Identity\": \"contoso.com\",\n");
        assertThat(new ObjectMapper().readTree(runOk("Get-Thing | ConvertTo-Json -Compress").output()).size()).isEqualTo(2);
        assertThat(runOk("Get-Thing contoso.com | Select Identity | ConvertTo-Json -Compress").output())
                .isEqualTo("{\"Identity\":\"contoso.com\"}\n");
    }

    @Test void jsonModeWritesAnArrayOfObjects() throws Exception {
        RunResult r = new PipelineRunner<>(registry, PipelineRunner.Options.defaults().withJson(true)).run("Get-Thing", store);
        JsonNode node = new ObjectMapper().readTree(r.output());
        assertThat(node.isArray()).isTrue();
        assertThat(node.size()).isEqualTo(2);
        assertThat(node.get(1).get("Name").asText()).isEqualTo("Fab \"the\" rikam");
        assertThat(node.get(1).get("Count").asInt()).isEqualTo(12);
        RunResult single = new PipelineRunner<>(registry, PipelineRunner.Options.defaults().withJson(true))
                .run("Get-Thing contoso.com", store);
        assertThat(new ObjectMapper().readTree(single.output()).isArray()).isTrue();
    }

    @Test void exportCsvQuotesEveryField(@TempDir Path dir) throws Exception {
        PipelineRunner<Store> runner = new PipelineRunner<>(registry,
                PipelineRunner.Options.defaults().withFiles(OutputFiles.under(dir)));
        RunResult r = runner.run("Get-Thing | Export-Csv -Path things.csv -NoTypeInformation", store);
        assertThat(r.errors()).isEmpty();
        assertThat(r.output()).isEmpty();
        String nl = System.lineSeparator();
        assertThat(Files.readString(dir.resolve("things.csv"))).isEqualTo(
                "\"Identity\",\"Name\",\"Enabled\",\"Domains\",\"WhenCreated\",\"Count\"" + nl
                + "\"contoso.com\",\"Contoso\",\"True\",\"a.contoso.com, b.contoso.com\",\"7/1/2025 1:05:09 PM\",\"5\"" + nl
                + "\"fabrikam.com\",\"Fab \"\"the\"\" rikam\",\"False\",\"\",\"12/24/2025 12:00:00 AM\",\"12\"" + nl);
        runner.run("Get-Thing | Export-Csv out2.csv -WhatIf", store);
        assertThat(dir.resolve("out2.csv")).doesNotExist();
    }

    @Test void exportCsvIsDeniedByDefault() {
        assertThat(run("Get-Thing | Export-Csv x.csv").errors().getFirst().formatted())
                .isEqualTo("Export-Csv: Export-Csv cannot write files here; use ConvertTo-Json or the shell instead.");
    }

    @Test void getCommandAndGetHelpDescribeTheCmdlets() {
        RunResult r = runOk("Get-Command -Noun Thing");
        assertThat(r.objects()).extracting(o -> ((CommandInfo) o).name()).containsExactly("Get-Thing", "Remove-Thing", "Set-Thing");
        assertThat(((CommandInfo) r.objects().get(2)).parameters()).containsExactly("Identity", "Enabled");
        assertThat(runOk("Get-Command").objects()).extracting(o -> ((CommandInfo) o).name())
                .contains("ConvertTo-Json", "Export-Csv", "Format-List", "Format-Table", "Get-Help", "Select-Object");
        assertThat(runOk("gcm *-Thing").objects()).hasSize(3);
        String help = runOk("Get-Help Set-Thing").output();
        assertThat(help).contains("Set-Thing [-Identity] <String> [-Enabled <Boolean>] [-WhatIf] [-Confirm] [<CommonParameters>]");
        assertThat(help).contains("Accept pipeline input?       True (ByPropertyName)");
        assertThat(runOk("help fl").output()).contains("NAME\n    Format-List");
        assertThat(run("Get-Help Nope").errors().getFirst().message()).startsWith("Get-Help could not find Nope");
        assertThat(runOk("Get-Help").output()).contains("Set-Thing").contains("Changes a thing.");
    }

    @Test void structuredParametersFromTheRestApiBindLikeScriptArguments() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("Identity", "contoso.com");
        parameters.put("Enabled", false);
        parameters.put("WhatIf", true);
        RunResult r = new PipelineRunner<>(registry).runCommand("Set-Thing", parameters, store);
        assertThat(r.errors()).isEmpty();
        assertThat(r.whatIf()).hasSize(1);
        assertThat(store.things.get("contoso.com").enabled()).isTrue();
        RunResult bad = new PipelineRunner<>(registry).runCommand("Set-Thing", Map.of("Identity", "x", "Enabled", "yes"), store);
        assertThat(bad.errors().getFirst().formatted()).startsWith("Set-Thing: Cannot process argument transformation on "
                + "parameter 'Enabled'. Cannot convert value \"yes\" to type \"System.Boolean\".");
        RunResult get = new PipelineRunner<>(registry).runCommand("Get-Thing", Map.of("Identity", "contoso.com"), store);
        assertThat(get.objects()).containsExactly(CONTOSO);
    }

    @Test void questionMarkAndSyntaxShowHelp() {
        assertThat(runOk("Set-Thing -?").output()).startsWith("NAME\n    Set-Thing\n");
        assertThat(store.calls).isEmpty();
        assertThat(runOk("Get-Command Set-Thing -Syntax").output())
                .isEqualTo("Set-Thing [-Identity] <String> [-Enabled <Boolean>] [-WhatIf] [-Confirm] [<CommonParameters>]\n");
    }

    @Test void outputsOfSeparateStatementsAreSeparatedByABlankLine() {
        assertThat(runOk("Get-Thing contoso.com | select Identity\nGet-Thing fabrikam.com | select Identity").output())
                .isEqualTo("Identity : contoso.com\n\nIdentity : fabrikam.com\n");
    }

    @Test void exportCsvWriteFailuresNameThePath(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("file"), "x");
        RunResult r = new PipelineRunner<>(registry, PipelineRunner.Options.defaults().withFiles(OutputFiles.under(dir)))
                .run("Get-Thing | Export-Csv file/sub.csv", store);
        assertThat(r.errors().getFirst().formatted()).startsWith("Export-Csv: Could not write 'file/sub.csv':");
    }
}
