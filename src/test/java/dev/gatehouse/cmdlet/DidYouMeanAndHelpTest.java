// Tests through the PipelineRunner: "Did you mean" for cmdlets and parameters, cmdlets known to be missing,
// Get-Help's default, -Examples and -Full views, and the dry run that checks examples without running them.
package dev.gatehouse.cmdlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DidYouMeanAndHelpTest {
    static final String NOT_RECOGNIZED = " is not recognized as a name of a cmdlet. Check the spelling of the name, or run "
            + "Get-Command to list the cmdlets Gatehouse supports.";

    final List<String> calls = new ArrayList<>();
    CmdletRegistry<List<String>> registry;

    @BeforeEach void setUp() {
        registry = new CmdletRegistry<>();
        registry.register(CmdletDefinition.<List<String>>builder("Get-Mailbox")
                .synopsis("Lists mailboxes.")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).at(0).describedAs("The mailbox."))
                .example("Get-Mailbox alice", "Shows Alice's mailbox.")
                .handler((p, c) -> { c.add("Get-Mailbox " + p.string("Identity")); return List.of(); })
                .build());
        registry.register(CmdletDefinition.<List<String>>builder("Set-Mailbox").supportsShouldProcess()
                .synopsis("Changes a mailbox.")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).required().at(0).fromPipelineByPropertyName())
                .parameter(ParameterDefinition.of("SenderIPAddresses", ParameterType.stringArray()))
                .parameter(ParameterDefinition.of("SenderDomains", ParameterType.stringArray()))
                .example("Set-Mailbox alice -SenderDomains contoso.com", "Changes Alice's mailbox.")
                .example("Get-Mailbox | Set-Mailbox -SenderDomains contoso.com", "Changes every mailbox.")
                .handler((p, c) -> { c.add("Set-Mailbox"); return List.of(); })
                .build());
        registry.notYetAvailable(Map.of("Start-HistoricalSearch",
                "'Start-HistoricalSearch' is an Exchange Online cmdlet that Gatehouse doesn't have yet."));
    }

    RunResult run(String script) { return new PipelineRunner<>(registry).run(script, calls); }

    String error(String script) {
        RunResult r = run(script);
        assertThat(r.errors()).as(script).hasSize(1);
        return r.errors().getFirst().message();
    }

    @Test void aMistypedCmdletKeepsPowerShellsWordingAndSuggestsTheClosestName() {
        assertThat(error("Get-Mailbx")).isEqualTo("The term 'Get-Mailbx'" + NOT_RECOGNIZED + " Did you mean Get-Mailbox?");
        assertThat(error("get-mailboxx -Identity alice")).endsWith(" Did you mean Get-Mailbox?");
        assertThat(error("et-Mailbox")).endsWith(" Did you mean Get-Mailbox or Set-Mailbox?");
        assertThat(error("Get-Frobnicator")).isEqualTo("The term 'Get-Frobnicator'" + NOT_RECOGNIZED);
        RunResult r = run("Get-Mailbx");
        assertThat(r.errors().getFirst().command()).isEqualTo("Get-Mailbx");
        assertThat(calls).isEmpty();
    }

    @Test void aMistypedParameterSuggestsTheClosestParameterInsteadOfTheWholeList() {
        String message = error("Set-Mailbox alice -SenderIPAdresses 192.0.2.1");
        assertThat(message).isEqualTo("A parameter cannot be found that matches parameter name 'SenderIPAdresses'. "
                + "Did you mean -SenderIPAddresses?");
        assertThat(run("Set-Mailbox alice -SenderIPAdresses 192.0.2.1").errors().getFirst().parameter()).isEqualTo("SenderIPAdresses");
        // common parameters are candidates too
        assertThat(error("Set-Mailbox alice -WhatIff")).endsWith("Did you mean -WhatIf?");
        // nothing close: the list of valid parameters, as before
        assertThat(error("Set-Mailbox alice -Frobnicate 1")).isEqualTo("A parameter cannot be found that matches parameter name "
                + "'Frobnicate'. Valid parameters are: -Identity -SenderIPAddresses -SenderDomains.");
        assertThat(calls).isEmpty();
    }

    @Test void aCmdletKnownToBeMissingIsNamedAsSuchAfterTheNotRecognizedSentence() {
        String message = error("Start-HistoricalSearch -ReportTitle x -ReportType ConnectorReport");
        assertThat(message).isEqualTo("The term 'Start-HistoricalSearch' is not recognized as a name of a cmdlet. "
                + "'Start-HistoricalSearch' is an Exchange Online cmdlet that Gatehouse doesn't have yet. "
                + "Run Get-Command to list the cmdlets Gatehouse supports.");
        assertThat(error("start-historicalsearch")).contains("doesn't have yet");
        // a typo of it is just a typo: no suggestion of a cmdlet that doesn't exist here
        assertThat(error("Start-HistoricalSerch")).doesNotContain("doesn't have yet").doesNotContain("Did you mean");
        assertThat(registry.notYetAvailable("Get-Mailbox")).isEmpty();
    }

    @Test void theListOfMissingCmdletsAndTheRegisteredCmdletsNeverOverlap() {
        assertThatThrownBy(() -> registry.register(CmdletDefinition.<List<String>>builder("Start-HistoricalSearch")
                .handler((p, c) -> List.of()).build())).hasMessageContaining("not yet available");
        assertThatThrownBy(() -> registry.notYetAvailable(Map.of("get-mailbox", "x"))).hasMessageContaining("registered");
        assertThatThrownBy(() -> registry.notYetAvailable(Map.of("Get-Other", " "))).hasMessageContaining("explanation");
    }

    @Test void binderGetCommandAndGetHelpUseTheSameMessages() {
        Binding b = Binder.bind(registry, ScriptParserTest.single("Get-Mailbx"));
        assertThat(((Binding.Failed) b).error().message()).endsWith("Did you mean Get-Mailbox?");
        assertThat(error("Get-Command Get-Mailbx")).endsWith("Did you mean Get-Mailbox?");
        assertThat(error("Get-Command Start-HistoricalSearch")).contains("doesn't have yet");
        assertThat(error("Get-Help Get-Mailbx")).startsWith("Get-Help could not find Get-Mailbx").endsWith("Did you mean Get-Mailbox?");
        assertThat(error("Get-Help Start-HistoricalSearch")).startsWith("Get-Help could not find Start-HistoricalSearch")
                .contains("is an Exchange Online cmdlet that Gatehouse doesn't have yet").doesNotContain("Did you mean");
    }

    @Test void getHelpExamplesShowsNameSynopsisAndExamplesOnly() {
        String help = run("Get-Help Set-Mailbox -Examples").output();
        assertThat(help).startsWith("NAME\n    Set-Mailbox\n\nSYNOPSIS\n    Changes a mailbox.\n\nEXAMPLES\n");
        assertThat(help).contains("Example 1", "    Set-Mailbox alice -SenderDomains contoso.com\n\n    Changes Alice's mailbox.\n",
                "Example 2", "    Get-Mailbox | Set-Mailbox -SenderDomains contoso.com\n\n    Changes every mailbox.\n");
        assertThat(help).doesNotContain("PARAMETERS").doesNotContain("SYNTAX");
    }

    @Test void defaultHelpPointsAtTheExamplesAndFullHelpShowsEverything() {
        String help = run("Get-Help Set-Mailbox").output();
        assertThat(help).contains("SYNTAX", "PARAMETERS", "REMARKS", "\"Get-Help Set-Mailbox -Examples\"").doesNotContain("EXAMPLES");
        assertThat(run("Set-Mailbox -?").output()).isEqualTo(help);
        String full = run("Get-Help Set-Mailbox -Full").output();
        assertThat(full).contains("SYNTAX", "PARAMETERS", "EXAMPLES", "Set-Mailbox alice -SenderDomains contoso.com");
        assertThat(run("Get-Help Set-Mailbox -Detailed").output()).isEqualTo(full);
        // the framework's parameters are described from their definitions
        assertThat(full).contains("    -WhatIf\n        Shows what the cmdlet would change");
        assertThat(run("Get-Help Get-Mailbox -Examples").output()).contains("Get-Mailbox alice");
    }

    @Test void everyCommonParameterHasADescription() {
        for (ParameterDefinition p : CmdletDefinition.COMMON) assertThat(p.description()).as(p.name()).isNotBlank();
        for (ParameterDefinition p : CmdletDefinition.SHOULD_PROCESS) assertThat(p.description()).as(p.name()).isNotBlank();
        assertThatThrownBy(() -> new CmdletDefinition.Example(" ", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test void theDryRunParsesAndBindsWithoutRunningAnything() {
        PipelineRunner<List<String>> runner = new PipelineRunner<>(registry);
        assertThat(runner.check("Set-Mailbox alice -SenderDomains contoso.com -WhatIf")).isEmpty();
        // a later command of a pipeline may still get its mandatory Identity from the pipeline
        assertThat(runner.check("Get-Mailbox | Set-Mailbox -SenderDomains contoso.com")).isEmpty();
        assertThat(runner.check("Get-Help Set-Mailbox -Examples; Set-Mailbox -?")).isEmpty();
        assertThat(runner.check("Set-Mailbox -SenderDomains contoso.com")).extracting(ErrorRecord::message)
                .containsExactly("Cannot process command because of one or more missing mandatory parameters: Identity.");
        assertThat(runner.check("Get-Mailbx\nSet-Mailbox alice -Bogus 1\nSet-Mailbox 'alice")).extracting(ErrorRecord::formatted)
                .singleElement().asString().startsWith("At line:3");
        assertThat(runner.check("Get-Mailbx\nSet-Mailbox alice -SenderIPAdresses 1")).extracting(ErrorRecord::message)
                .satisfiesExactly(m -> assertThat(m).endsWith("Did you mean Get-Mailbox?"),
                        m -> assertThat(m).endsWith("Did you mean -SenderIPAddresses?"));
        assertThat(calls).isEmpty();
    }
}
