// Get-Help's text for one cmdlet, laid out as PowerShell's help: the syntax notation for positional, mandatory,
// switch and list parameters, the per-parameter block (required, position, pipeline input, aliases, accepted
// values), the ALIASES section, and numbered examples.
package dev.gatehouse.cmdlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HelpTextTest {
    static final CmdletDefinition<Void> SET_CONNECTOR = CmdletDefinition.<Void>builder("Set-InboundConnector")
            .alias("sic")
            .synopsis("Changes an inbound connector.")
            .supportsShouldProcess()
            .parameter(ParameterDefinition.of("Identity", ParameterType.string()).required().at(0).fromPipeline()
                    .fromPipelineByPropertyName().alias("Name").describedAs("The connector to change."))
            .parameter(ParameterDefinition.of("SenderDomains", ParameterType.stringArray()).at(1))
            .parameter(ParameterDefinition.of("ConnectorType", ParameterType.enumOf("TenantConnectorType", "Partner", "OnPremises")))
            .parameter(ParameterDefinition.of("Protocols", ParameterType.listOf(ParameterType.enumOf("Protocol", "SMTP", "SMTPS"))))
            .parameter(ParameterDefinition.of("EmailAddresses", ParameterType.multiValued()))
            .parameter(ParameterDefinition.of("MaxMessageSize", ParameterType.byteSize()))
            .parameter(ParameterDefinition.of("RequireTls", ParameterType.switchParameter()).required())
            .parameter(ParameterDefinition.of("Force", ParameterType.switchParameter()))
            .example("Set-InboundConnector \"Scanner\" -SenderDomains contoso.com `\n    -RequireTls",
                    "Accepts mail for contoso.com from the scanner only over TLS.")
            .example("Get-InboundConnector | Set-InboundConnector -RequireTls", "")
            .handler((p, c) -> List.of())
            .build();

    static final CmdletDefinition<Void> GET_BARE = CmdletDefinition.<Void>builder("Get-Bare")
            .parameter(ParameterDefinition.of("Limit", ParameterType.int32()))
            .handler((p, c) -> List.of())
            .build();

    @Test void theSyntaxLineUsesPowerShellsNotation() {
        assertThat(HelpText.syntaxes(SET_CONNECTOR)).containsExactly("Set-InboundConnector [-Identity] <String> "
                + "[[-SenderDomains] <String[]>] [-ConnectorType <TenantConnectorType>] [-Protocols <Protocol[]>] "
                + "[-EmailAddresses <MultiValuedProperty>] [-MaxMessageSize <ByteQuantifiedSize>] -RequireTls [-Force] "
                + "[-WhatIf] [-Confirm] [<CommonParameters>]");
        assertThat(HelpText.syntaxes(GET_BARE)).containsExactly("Get-Bare [-Limit <Int32>] [<CommonParameters>]");
    }

    @Test void eachParameterHasABlockSayingHowItBinds() {
        String help = HelpText.render(SET_CONNECTOR);
        assertThat(help).contains("""
                    -Identity <String>
                        The connector to change.

                        Required?                    true
                        Position?                    0
                        Accept pipeline input?       True (ByValue, ByPropertyName)
                        Aliases                      Name

                """);
        assertThat(help).contains("""
                    -RequireTls

                        Required?                    true
                        Position?                    Named
                        Accept pipeline input?       False

                """);
    }

    @Test void enumAndListOfEnumParametersListTheirAcceptedValues() {
        String help = HelpText.render(SET_CONNECTOR);
        assertThat(help).contains("    -ConnectorType <TenantConnectorType>\n        Accepted values: Partner, OnPremises\n");
        assertThat(help).contains("    -Protocols <Protocol[]>\n        Accepted values: SMTP, SMTPS\n");
    }

    @Test void theAliasesOfTheCmdletHaveTheirOwnSection() {
        assertThat(HelpText.render(SET_CONNECTOR)).contains("\nALIASES\n    sic\n\nPARAMETERS\n");
        assertThat(HelpText.render(GET_BARE)).doesNotContain("ALIASES");
    }

    @Test void aCmdletThatChangesNothingHasNoWhatIfOrConfirmAndNoSynopsisSectionWhenItHasNone() {
        String help = HelpText.render(GET_BARE);
        assertThat(help).startsWith("NAME\n    Get-Bare\n\nSYNTAX\n");
        assertThat(help).doesNotContain("-WhatIf").doesNotContain("-Confirm").doesNotContain("SYNOPSIS");
        assertThat(help).contains("    <CommonParameters>\n        -ErrorAction, -WarningAction, -Verbose and -Debug are accepted and ignored.\n");
        assertThat(help).endsWith("REMARKS\n    For everything, type: \"Get-Help Get-Bare -Full\".\n");
        assertThat(HelpText.examples(GET_BARE)).isEqualTo("NAME\n    Get-Bare\n\nEXAMPLES\n    (none)\n");
    }

    @Test void examplesAreNumberedWithEveryLineOfTheirCodeIndented() {
        assertThat(HelpText.examples(SET_CONNECTOR)).isEqualTo("""
                NAME
                    Set-InboundConnector

                SYNOPSIS
                    Changes an inbound connector.

                EXAMPLES
                    ------------------------- Example 1 -------------------------

                    Set-InboundConnector "Scanner" -SenderDomains contoso.com `
                        -RequireTls

                    Accepts mail for contoso.com from the scanner only over TLS.

                    ------------------------- Example 2 -------------------------

                    Get-InboundConnector | Set-InboundConnector -RequireTls

                """);
        assertThat(HelpText.full(SET_CONNECTOR)).contains("PARAMETERS", "Example 2").doesNotContain("REMARKS");
    }

    @Test void typeNamesDropTheirSystemNamespace() {
        assertThat(HelpText.shortType(ParameterType.int32())).isEqualTo("Int32");
        assertThat(HelpText.shortType(ParameterType.stringArray())).isEqualTo("String[]");
        assertThat(HelpText.shortType(ParameterType.hashtable())).isEqualTo("Hashtable");
        assertThat(HelpText.shortType(ParameterType.dateTime())).isEqualTo("DateTime");
        assertThat(HelpText.shortType(ParameterType.multiValued())).isEqualTo("MultiValuedProperty");
    }
}
