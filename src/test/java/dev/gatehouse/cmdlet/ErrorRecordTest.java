// What a run reports: error records that point at the line and column of the bad argument or command, handler
// and internal errors, What-if lines kept when a pipeline fails, stopping on the first error, handlers that
// return nulls, and invoke()'s exception.
package dev.gatehouse.cmdlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ErrorRecordTest {
    final SampleOrg org = new SampleOrg();

    @BeforeEach void registerBrokenCmdlets() {
        org.registry.register(CmdletDefinition.<SampleOrg>builder("Get-Broken")
                .handler((p, o) -> { throw new IllegalStateException(); }).build());
        org.registry.register(CmdletDefinition.<SampleOrg>builder("Get-Sparse")
                .parameter(ParameterDefinition.of("None", ParameterType.switchParameter()))
                .handler((p, o) -> p.isSet("None") ? null : Arrays.asList(null, "contoso.com", null)).build());
        org.registry.register(CmdletDefinition.<SampleOrg>builder("Remove-AcceptedDomain").supportsShouldProcess()
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).required().at(0).fromPipelineByPropertyName())
                .handler((p, o) -> {
                    String id = p.string("Identity");
                    if (o.find(id).matchSubDomains()) throw new CmdletException("The domain " + id + " has subdomains in use.");
                    if (p.shouldProcess(id, "Remove accepted domain")) o.domains.remove(id);
                    return List.of();
                }).build());
    }

    @Test void aBindingErrorPointsAtTheArgumentOnItsLine() {
        RunResult r = org.run("Get-AcceptedDomain\n  Set-AcceptedDomain contoso.com -Priorty 5");
        ErrorRecord e = r.errors().getFirst();
        assertThat(e.command()).isEqualTo("Set-AcceptedDomain");
        assertThat(e.parameter()).isEqualTo("Priorty");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(34);
        assertThat(e.notFound()).isFalse();
        assertThat(e.formatted()).isEqualTo("Set-AcceptedDomain: A parameter cannot be found that matches parameter name "
                + "'Priorty'. Did you mean -Priority?");
        // the first statement ran and printed its table; the error is reported apart from the output
        assertThat(r.output()).startsWith("Identity         DomainType    MatchSubDomains Priority");
        assertThat(r.output()).doesNotContain("Priorty");
    }

    @Test void aHandlersErrorPointsAtItsCommand() {
        RunResult r = org.run("Get-AcceptedDomain contoso.com;   Get-AcceptedDomain nope.example");
        ErrorRecord e = r.errors().getFirst();
        assertThat(e.formatted()).isEqualTo("Get-AcceptedDomain: The accepted domain 'nope.example' couldn't be found.");
        assertThat(e.notFound()).isTrue();
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.column()).isEqualTo(35);
        assertThat(e.parameter()).isNull();
        assertThat(e.value()).isNull();
    }

    @Test void aHandlersErrorThatBeginsWithAParameterNamesIt() {
        org.registry.register(CmdletDefinition.<SampleOrg>builder("Set-Threshold")
                .parameter(ParameterDefinition.of("Limit", ParameterType.string()))
                .handler((p, o) -> { throw new CmdletException("-limit '" + p.string("Limit") + "': not a number"); }).build());
        org.registry.register(CmdletDefinition.<SampleOrg>builder("Set-Other")
                .handler((p, o) -> { throw new CmdletException("-Limit is not a parameter of this cmdlet"); }).build());
        ErrorRecord e = org.run("Set-Threshold -Limit ten").errors().getFirst();
        assertThat(e.parameter()).as("the declared spelling").isEqualTo("Limit");
        assertThat(e.message()).isEqualTo("-limit 'ten': not a number");
        assertThat(org.run("Set-Other").errors().getFirst().parameter()).as("not a parameter of Set-Other").isNull();
        org.registry.register(CmdletDefinition.<SampleOrg>builder("Set-Plain")
                .parameter(ParameterDefinition.of("Limit", ParameterType.string()))
                .handler((p, o) -> { throw new CmdletException(p.string("Limit") + " is not a number"); }).build());
        assertThat(org.run("Set-Plain -Limit \"Limit 'x'\"").errors().getFirst().parameter()).as("without a dash: the name, then a quote")
                .isEqualTo("Limit");
        assertThat(org.run("Set-Plain -Limit Limits").errors().getFirst().parameter()).isNull();
    }

    @Test void aSyntaxErrorHasNoCommandAndIsFormattedWithItsPosition() {
        ErrorRecord e = org.run("Get-AcceptedDomain\nSet-AcceptedDomain -Identity \"contoso.com").errors().getFirst();
        assertThat(e.command()).isNull();
        assertThat(e.formatted()).isEqualTo("At line:2 char:30: The string is missing the terminator: \".");
        assertThat(org.calls).isEmpty();
        BindingError unpositioned = new BindingError("Get-X", "Identity", "x", "Something is wrong.", null);
        assertThat(ErrorRecord.of(unpositioned)).isEqualTo(new ErrorRecord("Get-X", "Identity", "x", "Something is wrong.", 0, 0, false));
    }

    @Test void anUnexpectedExceptionIsReportedAsAnInternalErrorNamingItsType() {
        RunResult r = org.run("Get-Broken\nGet-AcceptedDomain contoso.com | select Identity");
        assertThat(r.errors()).extracting(ErrorRecord::formatted)
                .containsExactly("Get-Broken: An internal error occurred while running Get-Broken: IllegalStateException");
        assertThat(r.output()).isEqualTo("Identity : contoso.com\n");
    }

    @Test void whatIfLinesOfAPipelineThatFailsLaterAreStillShown() {
        RunResult r = org.run("Get-AcceptedDomain | Remove-AcceptedDomain -WhatIf");
        assertThat(r.whatIf()).containsExactly(
                "What if: Performing the operation \"Remove accepted domain\" on target \"contoso.com\".");
        assertThat(r.output()).isEqualTo("What if: Performing the operation \"Remove accepted domain\" on target \"contoso.com\".\n");
        assertThat(r.errors()).extracting(ErrorRecord::formatted)
                .containsExactly("Remove-AcceptedDomain: The domain fabrikam.com has subdomains in use.");
        assertThat(org.domains).hasSize(3);
    }

    @Test void aScriptGoesOnAfterAFailedStatementUnlessToldToStop() {
        String script = "Set-AcceptedDomain nope.example -Priority 1\nSet-AcceptedDomain contoso.com -Priority 9";
        RunResult stopped = org.run(script, PipelineRunner.Options.defaults().withStopOnError(true));
        assertThat(stopped.errors()).hasSize(1);
        assertThat(org.domains.get("contoso.com").priority()).isZero();
        RunResult continued = org.run(script);
        assertThat(continued.errors()).hasSize(1);
        assertThat(continued.succeeded()).isFalse();
        assertThat(org.domains.get("contoso.com").priority()).isEqualTo(9);
    }

    @Test void nullResultsFromAHandlerAreNoOutput() {
        RunResult r = org.runOk("Get-Sparse");
        assertThat(r.objects()).containsExactly("contoso.com");
        assertThat(r.output()).isEqualTo("contoso.com\n");
        assertThat(org.runOk("Get-Sparse -None").objects()).isEmpty();
        assertThat(org.runOk("Get-Sparse -None").output()).isEmpty();
        assertThat(org.runOk("Get-Sparse | select -First 1").objects()).containsExactly("contoso.com");
    }

    @Test void invokeReturnsTheRawObjectsOrThrowsTheError() throws Exception {
        PipelineRunner<SampleOrg> runner = new PipelineRunner<>(org.registry);
        Pipeline good = ScriptParserTest.parse("Get-AcceptedDomain | select -First 2").pipelines().getFirst();
        assertThat(runner.invoke(good, org)).containsExactly(SampleOrg.CONTOSO, SampleOrg.FABRIKAM);
        Pipeline bad = ScriptParserTest.parse("Get-AcceptedDomain nope.example").pipelines().getFirst();
        assertThatThrownBy(() -> runner.invoke(bad, org)).isInstanceOf(PipelineRunner.PipelineException.class)
                .hasMessage("Get-AcceptedDomain: The accepted domain 'nope.example' couldn't be found.")
                .satisfies(e -> assertThat(((PipelineRunner.PipelineException) e).error().notFound()).isTrue());
    }

    @Test void theDryRunReportsOneErrorPerPipelineAndRunsNothing() {
        PipelineRunner<SampleOrg> runner = new PipelineRunner<>(org.registry);
        List<ErrorRecord> errors = runner.check("Get-AcceptedDomain -Bogus 1 -Worse 2\n"
                + "Get-AcceptedDomain | select -First -1\n"
                + "Get-AcceptedDomain | Set-AcceptedDomain -Priority 5\n"
                + "Get-AcceptedDomain nope.example\n"
                + "Get-AcceptedDomain | Set-AcceptedDomain -?");
        assertThat(errors).extracting(ErrorRecord::line).containsExactly(1, 2);
        assertThat(errors.getFirst().message()).startsWith("A parameter cannot be found that matches parameter name 'Bogus'.");
        assertThat(org.calls).isEmpty();
    }
}
