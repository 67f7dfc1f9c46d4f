// Tests of the metadata model: definition and registry checks, help syntax, parse exceptions.
package dev.gatehouse.cmdlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CmdletMetadataTest {
    static CmdletDefinition.Builder<Void> builder(String name) {
        return CmdletDefinition.<Void>builder(name).handler((p, c) -> List.of());
    }

    @Test void definitionsRejectDuplicateNamesPositionsAndCommonParameters() {
        assertThatThrownBy(() -> builder("Get-X").parameter(ParameterDefinition.of("Name", ParameterType.string()))
                .parameter(ParameterDefinition.of("name", ParameterType.string())).build())
                .hasMessageContaining("used twice");
        assertThatThrownBy(() -> builder("Get-X").parameter(ParameterDefinition.of("A", ParameterType.string()).at(0))
                .parameter(ParameterDefinition.of("B", ParameterType.string()).at(0)).build())
                .hasMessageContaining("position 0");
        assertThatThrownBy(() -> builder("Get-X").parameter(ParameterDefinition.of("Verbose", ParameterType.string())).build())
                .hasMessageContaining("Verbose");
        assertThatThrownBy(() -> builder("GetX")).hasMessageContaining("Verb-Noun");
        assertThatThrownBy(() -> CmdletDefinition.<Void>builder("Get-X").build()).hasMessageContaining("no handler");
        assertThatThrownBy(() -> ParameterDefinition.of("Bad-Name", ParameterType.string())).hasMessageContaining("letters");
    }

    @Test void registryFindsNamesAndAliasesIgnoringCaseAndRejectsDuplicates() {
        CmdletRegistry<Void> r = new CmdletRegistry<>();
        r.register(builder("Get-AcceptedDomain").alias("gad").build());
        assertThat(r.find("get-accepteddomain")).isPresent();
        assertThat(r.find("GAD").orElseThrow().name()).isEqualTo("Get-AcceptedDomain");
        assertThat(r.find("SELECT").orElseThrow().name()).isEqualTo("Select-Object");
        assertThatThrownBy(() -> r.register(builder("Get-AcceptedDomain").build())).hasMessageContaining("already registered");
        assertThatThrownBy(() -> r.register(builder("Get-Other").alias("fl").build())).hasMessageContaining("fl");
        assertThat(r.all()).extracting(CmdletDefinition::name).doesNotHaveDuplicates().contains("Get-AcceptedDomain", "Format-Table");
    }

    @Test void helpSyntaxShowsPositionalMandatoryAndSwitches() {
        CmdletDefinition<Void> d = builder("Remove-AcceptedDomain").supportsShouldProcess()
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).required().at(0))
                .parameter(ParameterDefinition.of("Name", ParameterType.string()).at(1))
                .parameter(ParameterDefinition.of("DomainType", ParameterType.enumOf("DomainType", "Authoritative", "InternalRelay")))
                .parameter(ParameterDefinition.of("Force", ParameterType.switchParameter()))
                .build();
        assertThat(HelpText.syntaxes(d)).containsExactly("Remove-AcceptedDomain [-Identity] <String> [[-Name] <String>] "
                + "[-DomainType <DomainType>] [-Force] [-WhatIf] [-Confirm] [<CommonParameters>]");
        assertThat(HelpText.render(d)).contains("Accepted values: Authoritative, InternalRelay").contains("Position?                    0");
        assertThat(d.verb()).isEqualTo("Remove");
        assertThat(d.noun()).isEqualTo("AcceptedDomain");
    }

    @Test void parseOrThrowCarriesThePositionedError() {
        assertThatThrownBy(() -> ScriptParser.parseOrThrow("Get-X 'a"))
                .isInstanceOf(ParseException.class)
                .hasMessage("At line:1 char:7: The string is missing the terminator: '.")
                .extracting(e -> ((ParseException) e).error().column()).isEqualTo(7);
    }

    @Test void boundParametersForHandlerTests() {
        BoundParameters p = BoundParameters.of("Set-X", java.util.Map.of("Enabled", true));
        assertThat(p.isSet("enabled")).isTrue();
        assertThat(p.whatIf()).isFalse();
        assertThat(p.shouldProcess("t")).isTrue();
        assertThat(p.find("Missing", String.class)).isEmpty();
    }

    static final CmdletDefinition<Void> RELEASE = builder("Release-QuarantineMessage").supportsShouldProcess()
            .parameter(ParameterDefinition.of("Identity", ParameterType.string()).required().at(0))
            .parameter(ParameterDefinition.of("User", ParameterType.stringArray()).required().inSets("OrgReleaseToUser"))
            .parameter(ParameterDefinition.of("ReleaseToAll", ParameterType.switchParameter()).required()
                    .inSets("OrgReleaseToAll"))
            .parameter(ParameterDefinition.of("Identities", ParameterType.stringArray()).required().inSets("Identities"))
            .parameter(ParameterDefinition.of("Force", ParameterType.switchParameter()))
            .defaultParameterSet("OrgReleaseToAll")
            .build();

    static Binding bindRelease(String args) {
        return Binder.bind(RELEASE, ScriptParserTest.single("Release-QuarantineMessage " + args));
    }

    @Test void parameterSetsFollowTheBoundParameters() {
        assertThat(((Binding.Bound) bindRelease("x -User a@contoso.com")).parameters().parameterSet()).isEqualTo("OrgReleaseToUser");
        assertThat(((Binding.Bound) bindRelease("x -ReleaseToAll -Force")).parameters().parameterSet()).isEqualTo("OrgReleaseToAll");
        assertThat(((Binding.Bound) bindRelease("000 -Identities a,b")).parameters().parameterSet()).isEqualTo("Identities");
        BindingError both = ((Binding.Failed) bindRelease("x -User a -ReleaseToAll")).error();
        assertThat(both.message()).isEqualTo("Parameter set cannot be resolved using the specified named parameters. One "
                + "or more parameters issued cannot be used together or an insufficient number of parameters were "
                + "provided. The parameters -User and -ReleaseToAll cannot be used together.");
        assertThat(((Binding.Failed) bindRelease("x")).error().message())
                .isEqualTo("Cannot process command because of one or more missing mandatory parameters: ReleaseToAll.");
        assertThat(BoundParameters.of("X-Y", java.util.Map.of()).parameterSet()).isEqualTo("__AllParameterSets");
        assertThat(HelpText.syntaxes(RELEASE)).hasSize(3).first().asString()
                .isEqualTo("Release-QuarantineMessage [-Identity] <String> -User <String[]> [-Force] [-WhatIf] [-Confirm] [<CommonParameters>]");
    }

    @Test void positionsMayRepeatAcrossDisjointSets() {
        CmdletDefinition<Void> d = builder("Get-Y")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).at(0).inSets("One"))
                .parameter(ParameterDefinition.of("Name", ParameterType.string()).at(0).inSets("Two"))
                .build();
        BoundParameters p = ((Binding.Bound) Binder.bind(d, ScriptParserTest.single("Get-Y abc"))).parameters();
        assertThat(p.asMap()).containsOnlyKeys("Identity");
        assertThat(p.parameterSet()).isEqualTo("One");
    }

    @Test void typographicDashesInCmdletNamesAreFound() {
        assertThat(new CmdletRegistry<Void>().find("Format\u2013List")).isPresent();
    }
}
