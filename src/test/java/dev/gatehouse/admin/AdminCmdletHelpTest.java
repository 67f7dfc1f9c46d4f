// Over the whole admin registry: every parameter is described, every cmdlet has examples that Get-Help -Examples
// prints and that parse and bind; mistyped cmdlets and parameters get "Did you mean"; Exchange Online cmdlets
// Gatehouse doesn't have yet are named as such.
package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import dev.gatehouse.cmdlet.CmdletDefinition;
import dev.gatehouse.cmdlet.CmdletRegistry;
import dev.gatehouse.cmdlet.ErrorRecord;
import dev.gatehouse.cmdlet.ParameterDefinition;
import dev.gatehouse.cmdlet.PipelineRunner;
import dev.gatehouse.cmdlet.RunResult;

class AdminCmdletHelpTest {
    static final CmdletRegistry<AdminContext> REGISTRY = AdminCmdlets.registry();
    /** Lookup and binding fail before any handler runs, so no services are needed. */
    static final AdminContext NO_SERVICES = new AdminContext(new Principal.Operator("operator"), null, null);

    static RunResult run(String script) { return new PipelineRunner<>(REGISTRY).run(script, NO_SERVICES); }

    static String error(String script) {
        RunResult r = run(script);
        assertThat(r.errors()).as(script).hasSize(1);
        return r.errors().getFirst().message();
    }

    @Test
    void everyParameterOfEveryCmdletHasADescription() {
        List<String> missing = new ArrayList<>();
        int parameters = 0;
        for (CmdletDefinition<AdminContext> d : REGISTRY.all()) {
            for (ParameterDefinition p : d.allParameters()) {
                parameters++;
                if (p.description().isBlank()) missing.add(d.name() + " -" + p.name());
            }
        }
        assertThat(missing).as("parameters without a description").isEmpty();
        assertThat(parameters).as("the registry is the real one").isGreaterThan(300);
    }

    @Test
    void descriptionsAreSentencesNotEchoesOfTheName() {
        List<String> thin = new ArrayList<>();
        for (CmdletDefinition<AdminContext> d : REGISTRY.all()) {
            for (ParameterDefinition p : d.allParameters()) {
                String text = p.description();
                if (text.length() < 25 || text.equalsIgnoreCase(p.name())) thin.add(d.name() + " -" + p.name() + ": " + text);
            }
        }
        assertThat(thin).isEmpty();
    }

    @Test
    void exchangeSemanticsAreSpelledOutWhereTheyMatter() {
        assertThat(parameter("New-InboundConnector", "SenderIPAddresses").description()).contains("/24", "/32", "IPv6");
        assertThat(parameter("Set-OrganizationConfig", "RejectDirectSend").description()).contains("5.7.68", "MAIL FROM");
        assertThat(parameter("New-TransportRule", "RejectMessageEnhancedStatusCode").description()).contains("5.7.900", "5.7.999");
        assertThat(parameter("New-TransportRule", "ExceptIfSenderIpRanges").description()).startsWith("Exception:")
                .contains("192.0.2.1-192.0.2.254");
        assertThat(parameter("New-TransportRule", "SenderIpRanges").description()).startsWith("Condition:");
        assertThat(parameter("New-TransportRule", "ExceptIfHeaderContainsWords").description())
                .contains("-ExceptIfHeaderContainsMessageHeader");
        assertThat(parameter("New-TransportRule", "HeaderContainsWords").description()).contains("-HeaderContainsMessageHeader")
                .doesNotContain("ExceptIf");
        assertThat(parameter("Get-QuarantineMessage", "StartReceivedDate").description()).contains("16 days", "30 days");
    }

    static ParameterDefinition parameter(String cmdlet, String name) {
        return REGISTRY.find(cmdlet).orElseThrow().allParameters().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void everyCmdletHasAnExampleThatGetHelpExamplesPrints() {
        List<String> without = new ArrayList<>();
        for (CmdletDefinition<AdminContext> d : REGISTRY.all()) {
            if (d.examples().isEmpty()) {
                without.add(d.name());
                continue;
            }
            RunResult help = run("Get-Help " + d.name() + " -Examples");
            assertThat(help.errors()).as(d.name()).isEmpty();
            assertThat(help.output()).as(d.name()).startsWith("NAME\n    " + d.name() + "\n").contains("EXAMPLES\n");
            for (CmdletDefinition.Example e : d.examples()) {
                // a multi-line example (a KQL query in a string) is shown with each line indented
                assertThat(help.output()).as(d.name()).contains("    " + e.code().replace("\n", "\n    ") + "\n").contains(e.remarks());
                assertThat(e.remarks()).as(d.name() + ": " + e.code()).isNotBlank();
            }
        }
        assertThat(without).as("cmdlets without an example").isEmpty();
        // built-ins are in the registry too and are held to the same rule
        assertThat(REGISTRY.all()).extracting(CmdletDefinition::name)
                .contains("Format-Table", "Format-List", "Select-Object", "Get-Help", "Get-Command", "ConvertTo-Json", "Export-Csv");
    }

    @Test
    void everyExampleParsesBindsAndRunsItsOwnCmdlet() {
        PipelineRunner<AdminContext> runner = new PipelineRunner<>(REGISTRY);
        List<String> failures = new ArrayList<>();
        for (CmdletDefinition<AdminContext> d : REGISTRY.all()) {
            for (CmdletDefinition.Example e : d.examples()) {
                List<ErrorRecord> errors = runner.check(e.code());
                if (!errors.isEmpty()) failures.add(e.code() + " -> " + errors.getFirst().formatted());
                String lower = e.code().toLowerCase(Locale.ROOT);
                boolean usesIt = lower.startsWith(d.name().toLowerCase(Locale.ROOT)) || lower.contains("| " + d.name().toLowerCase(Locale.ROOT))
                        || d.aliases().stream().anyMatch(a -> lower.contains("| " + a.toLowerCase(Locale.ROOT) + " "));
                if (!usesIt) failures.add(d.name() + " example doesn't use " + d.name() + ": " + e.code());
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void theDryRunCatchesABrokenExample() {
        // the check above can fail: a misspelt parameter, a missing mandatory one, a bad value
        PipelineRunner<AdminContext> runner = new PipelineRunner<>(REGISTRY);
        assertThat(runner.check("New-InboundConnector Scanner -SenderIPAdresses 198.51.100.7")).hasSize(1);
        assertThat(runner.check("Set-InboundConnector -Enabled $false")).hasSize(1);
        assertThat(runner.check("New-TransportRule x -ExceptIfSenderIpRanges 'MX records' -Quarantine $true")).hasSize(1);
    }

    @Test
    void aMistypedCmdletGetsDidYouMeanFromTheRegistry() {
        assertThat(error("Get-Mailbx")).isEqualTo("The term 'Get-Mailbx' is not recognized as a name of a cmdlet. Check the "
                + "spelling of the name, or run Get-Command to list the cmdlets Gatehouse supports. Did you mean Get-Mailbox?");
        assertThat(error("get-acceptedomain")).endsWith(" Did you mean Get-AcceptedDomain?");
        assertThat(error("New-TransportRul -Name x")).endsWith(" Did you mean New-TransportRule?");
        assertThat(error("Get-QuarantineMesage")).endsWith(" Did you mean Get-QuarantineMessage?");
        assertThat(error("Et-Mailbox")).endsWith(" Did you mean Get-Mailbox or Set-Mailbox?");
        assertThat(error("Get-Frobnicator")).doesNotContain("Did you mean");
        assertThat(error("Get-Help Get-Mailbx")).endsWith("Did you mean Get-Mailbox?");
    }

    @Test
    void aMistypedParameterGetsDidYouMean() {
        String message = error("New-InboundConnector Scanner -SenderDomains contoso.com -SenderIPAdresses 198.51.100.7");
        assertThat(message).isEqualTo("A parameter cannot be found that matches parameter name 'SenderIPAdresses'. "
                + "Did you mean -SenderIPAddresses?");
        assertThat(run("New-InboundConnector Scanner -SenderIPAdresses 198.51.100.7").errors().getFirst().parameter())
                .isEqualTo("SenderIPAdresses");
        assertThat(error("New-TransportRule x -ExceptIfSenderIpRnages 192.0.2.0/24 -Quarantine $true"))
                .endsWith("Did you mean -ExceptIfSenderIpRanges?");
        assertThat(error("Set-OrganizationConfig -RejectDirectSnd $true")).endsWith("Did you mean -RejectDirectSend?");
        assertThat(error("Get-Mailbox -Frobnicate x")).contains("Valid parameters are: -Identity.").doesNotContain("Did you mean");
    }

    static final List<String> REQUIRED_NOT_YET = List.of("Get-MailDetailATPReport", "Get-HostedContentFilterPolicy", "Get-DkimSigningConfig",
            "Get-OutboundConnector", "New-OutboundConnector");

    @Test
    void exchangeOnlineCmdletsGatehouseDoesNotHaveYetAreNamedAsSuch() {
        assertThat(AdminCmdlets.EXCHANGE_ONLINE_NOT_YET.keySet()).containsAll(REQUIRED_NOT_YET);
        for (String name : AdminCmdlets.EXCHANGE_ONLINE_NOT_YET.keySet()) {
            String message = error(name);
            // PowerShell's sentence first, so scripts that look for it still recognise the error
            assertThat(message).as(name).startsWith("The term '" + name + "' is not recognized as a name of a cmdlet. '"
                    + name + "' is an Exchange Online cmdlet that Gatehouse doesn't have yet.");
            assertThat(message).as(name).doesNotContain("Did you mean");
            assertThat(REGISTRY.find(name)).as(name).isEmpty();
        }
        assertThat(error("New-OutboundConnector Out -SmartHosts relay.contoso.com")).contains("--relay-host");
        assertThat(error("Get-Help Get-MailDetailATPReport")).startsWith("Get-Help could not find Get-MailDetailATPReport")
                .contains("is an Exchange Online cmdlet that Gatehouse doesn't have yet");
        // and a real cmdlet is never on the list
        assertThat(error("Get-Mailbx")).doesNotContain("doesn't have yet");
    }
}
