// Parameter set resolution as PowerShell does it, on Get-QuarantineMessage's Details/Summary sets: the default
// set, narrowing by named, positional and piped parameters, conflicts, and one help syntax line per set.
package dev.gatehouse.cmdlet;

import static dev.gatehouse.cmdlet.BinderEdgeCasesTest.piped;
import static dev.gatehouse.cmdlet.BinderEdgeCasesTest.pipedError;
import static dev.gatehouse.cmdlet.BinderTest.err;
import static dev.gatehouse.cmdlet.BinderTest.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParameterSetsTest {
    static final String UNRESOLVED = "Parameter set cannot be resolved using the specified named parameters. One or more "
            + "parameters issued cannot be used together or an insufficient number of parameters were provided.";

    static final CmdletDefinition<Void> GET_QUARANTINE = CmdletDefinition.<Void>builder("Get-QuarantineMessage")
            .parameter(ParameterDefinition.of("Identity", ParameterType.string()).required().at(0)
                    .fromPipelineByPropertyName().inSets("Details"))
            .parameter(ParameterDefinition.of("RecipientAddress", ParameterType.stringArray()).fromPipelineByPropertyName())
            .parameter(ParameterDefinition.of("Direction", ParameterType.enumOf("QuarantineMessageDirectionEnum",
                    "Inbound", "Outbound")).inSets("Summary"))
            .parameter(ParameterDefinition.of("PageSize", ParameterType.int32(1, 1000)).inSets("Summary"))
            .defaultParameterSet("Summary")
            .handler((p, c) -> List.of())
            .build();

    static final CmdletDefinition<Void> GET_USER = CmdletDefinition.<Void>builder("Get-User")
            .parameter(ParameterDefinition.of("Name", ParameterType.string()).required().inSets("ByName"))
            .parameter(ParameterDefinition.of("Id", ParameterType.int32()).required().inSets("ById"))
            .parameter(ParameterDefinition.of("Tag", ParameterType.string()).inSets("ById"))
            .parameter(ParameterDefinition.of("Comment", ParameterType.string()))
            .defaultParameterSet("ByName")
            .handler((p, c) -> List.of())
            .build();

    static String set(CmdletDefinition<?> def, String args) { return ok(def, args).parameterSet(); }

    @Test void withoutArgumentsTheDefaultSetIsUsed() {
        assertThat(set(GET_QUARANTINE, "")).isEqualTo("Summary");
        assertThat(GET_QUARANTINE.parameterSets()).containsExactly("Details", "Summary");
    }

    @Test void aPositionalIdentityChoosesTheDetailsSet() {
        BoundParameters p = ok(GET_QUARANTINE, "c14401cf-aa9a-465b-cfd5-08d0f0ca37c5\\4c2ca98e-94ea-db3a-7eb8-3b63657d4db7");
        assertThat(p.parameterSet()).isEqualTo("Details");
        assertThat(p.string("Identity")).isEqualTo("c14401cf-aa9a-465b-cfd5-08d0f0ca37c5\\4c2ca98e-94ea-db3a-7eb8-3b63657d4db7");
    }

    @Test void aParameterOfEverySetDoesNotNarrowTheChoice() {
        assertThat(set(GET_QUARANTINE, "-RecipientAddress alice@contoso.com")).isEqualTo("Summary");
        assertThat(set(GET_QUARANTINE, "x -RecipientAddress alice@contoso.com")).isEqualTo("Details");
        assertThat(set(GET_QUARANTINE, "-Direction Inbound -PageSize 10")).isEqualTo("Summary");
    }

    @Test void parametersOfDifferentSetsCannotBeCombined() {
        BindingError e = err(GET_QUARANTINE, "-Identity x -Direction Inbound");
        assertThat(e.message()).isEqualTo(UNRESOLVED + " The parameters -Identity and -Direction cannot be used together.");
        assertThat(e.parameter()).isNull();
        assertThat(e.value()).isNull();
        assertThat(e.formatted()).startsWith("Get-QuarantineMessage: Parameter set cannot be resolved");
    }

    @Test void aPositionalValueIsNotGivenToAParameterOutsideTheChosenSet() {
        assertThat(err(GET_QUARANTINE, "-Direction Inbound x").message())
                .isEqualTo("A positional parameter cannot be found that accepts argument 'x'.");
    }

    @Test void pipedObjectsBindOnlyToParametersOfTheRemainingSets() throws Exception {
        BoundParameters p = piped(GET_QUARANTINE, "-Direction Inbound",
                Map.of("Identity", "x", "RecipientAddress", "alice@contoso.com"));
        assertThat(p.asMap()).containsOnlyKeys("Direction", "RecipientAddress");
        assertThat(p.parameterSet()).isEqualTo("Summary");
        assertThat(pipedError(GET_QUARANTINE, "-Direction Inbound", Map.of("Identity", "x")).message())
                .startsWith("The input object cannot be bound to any parameters for the command");
        assertThat(piped(GET_QUARANTINE, "", Map.of("Identity", "x")).parameterSet()).isEqualTo("Details");
    }

    @Test void withoutAPairThatSharesNoSetTheErrorOnlySaysTheSetCannotBeResolved() {
        CmdletDefinition<Void> def = CmdletDefinition.<Void>builder("Get-Triangle")
                .parameter(ParameterDefinition.of("A", ParameterType.string()).inSets("S1", "S2"))
                .parameter(ParameterDefinition.of("B", ParameterType.string()).inSets("S2", "S3"))
                .parameter(ParameterDefinition.of("C", ParameterType.string()).inSets("S1", "S3"))
                .handler((p, c) -> List.of())
                .build();
        assertThat(set(def, "-A 1 -B 2")).isEqualTo("S2");
        assertThat(err(def, "-A 1 -B 2 -C 3").message()).isEqualTo(UNRESOLVED);
    }

    @Test void aCompleteSetWinsOverTheDefaultSetThatLacksAMandatoryParameter() {
        assertThat(set(GET_USER, "-Id 5")).isEqualTo("ById");
        assertThat(set(GET_USER, "-Name alice -Comment c")).isEqualTo("ByName");
        // nothing complete: the default set's missing parameters are reported
        assertThat(err(GET_USER, "-Comment c").message())
                .isEqualTo("Cannot process command because of one or more missing mandatory parameters: Name.");
        // the default set is ruled out by -Tag: the remaining set's are reported
        assertThat(err(GET_USER, "-Tag t").message())
                .isEqualTo("Cannot process command because of one or more missing mandatory parameters: Id.");
    }

    @Test void aSwitchGivenAsFalseStillCountsForItsSet() {
        assertThat(err(CmdletMetadataTest.RELEASE, "x -User a@contoso.com -ReleaseToAll:$false").message())
                .isEqualTo(UNRESOLVED + " The parameters -User and -ReleaseToAll cannot be used together.");
    }

    @Test void aParameterWithoutSetsIsMandatoryInEverySet() {
        // Exchange: with -Identities, -Identity is still required (and ignored, e.g. 000)
        assertThat(err(CmdletMetadataTest.RELEASE, "-Identities a,b").message())
                .isEqualTo("Cannot process command because of one or more missing mandatory parameters: Identity.");
    }

    @Test void theDefaultSetMustBeOneThatAParameterNames() {
        assertThatThrownBy(() -> CmdletDefinition.<Void>builder("Get-User")
                .parameter(ParameterDefinition.of("Name", ParameterType.string()).inSets("ByName"))
                .defaultParameterSet("ByEmail")
                .handler((p, c) -> List.of()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Get-User: no parameter is in the default set ByEmail");
    }

    @Test void helpShowsOneSyntaxLinePerSetWithTheSharedParametersInEach() {
        assertThat(HelpText.syntaxes(GET_QUARANTINE)).containsExactly(
                "Get-QuarantineMessage [-Identity] <String> [-RecipientAddress <String[]>] [<CommonParameters>]",
                "Get-QuarantineMessage [-RecipientAddress <String[]>] [-Direction <QuarantineMessageDirectionEnum>] "
                        + "[-PageSize <Int32>] [<CommonParameters>]");
    }
}
