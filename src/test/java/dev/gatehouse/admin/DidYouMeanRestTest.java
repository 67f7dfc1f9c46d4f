// Over real HTTP: the REST API answers a mistyped cmdlet or parameter with "Did you mean", and an Exchange Online
// cmdlet Gatehouse doesn't have yet with PowerShell's "not recognized" error saying so; Get-Help -Examples works.
package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.gatehouse.admin.AdminHarness.Response;
import dev.gatehouse.store.TestDatabase;

class DidYouMeanRestTest {
    static AdminHarness h;
    static final String T = "Contoso";

    @BeforeAll
    static void start() throws Exception {
        h = new AdminHarness(TestDatabase.Kind.SQLITE);
        h.ok(null, "New-Tenant", Map.of("Name", T));
        h.ok(T, "New-AcceptedDomain", Map.of("Name", "contoso.com", "DomainName", "contoso.com"));
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    private static Response op(String cmdlet, Map<String, ?> params) {
        return h.invoke(h.operatorToken, T, cmdlet, params);
    }

    @Test
    void invokeCommandSuggestsTheCmdletForATypo() {
        Response r = op("Get-Mailbx", Map.of());
        assertThat(r.status()).as("%s", r).isEqualTo(400);
        assertThat(r.errorMessage()).isEqualTo("Get-Mailbx: The term 'Get-Mailbx' is not recognized as a name of a cmdlet. Check "
                + "the spelling of the name, or run Get-Command to list the cmdlets Gatehouse supports. Did you mean Get-Mailbox?");
        assertThat(op("get-acceptedomain", Map.of()).errorMessage()).endsWith("Did you mean Get-AcceptedDomain?");
    }

    @Test
    void invokeCommandSuggestsTheParameterForATypoAndNamesIt() {
        Response r = op("New-InboundConnector", Map.of("Name", "Scanner", "SenderDomains", "contoso.com",
                "SenderIPAdresses", "198.51.100.7"));
        assertThat(r.status()).as("%s", r).isEqualTo(400);
        assertThat(r.errorMessage()).isEqualTo("New-InboundConnector: A parameter cannot be found that matches parameter name "
                + "'SenderIPAdresses'. Did you mean -SenderIPAddresses?");
        assertThat(r.json().path("error").path("parameter").asText()).isEqualTo("SenderIPAdresses");
        // nothing was created
        assertThat(h.ok(T, "Get-InboundConnector", Map.of())).isEmpty();
    }

    @Test
    void invokeCommandNamesAnExchangeOnlineCmdletGatehouseDoesNotHaveYet() {
        Response r = op("New-OutboundConnector", Map.of("Name", "To the smart host", "SmartHosts", "relay.contoso.com"));
        assertThat(r.status()).as("%s", r).isEqualTo(400);
        assertThat(r.errorMessage()).startsWith("New-OutboundConnector: The term 'New-OutboundConnector' is not recognized as a "
                + "name of a cmdlet. 'New-OutboundConnector' is an Exchange Online cmdlet that Gatehouse doesn't have yet.")
                .contains("--relay-host");
        for (String name : AdminCmdletHelpTest.REQUIRED_NOT_YET) {
            assertThat(op(name, Map.of()).errorMessage()).as(name).contains("'" + name + "' is an Exchange Online cmdlet that "
                    + "Gatehouse doesn't have yet.");
        }
    }

    @Test
    void runScriptReportsTheSameMessagesAndGetHelpShowsExamples() {
        Response r = h.runScript(h.operatorToken, T, "Get-Mailbx\nGet-DkimSigningConfig -Identity contoso.com\n"
                + "New-Mailbox -Name Dave -PrimarySmtpAdress dave@contoso.com", false);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        var errors = r.json().path("Errors");
        assertThat(errors.size()).isEqualTo(3);
        assertThat(errors.get(0).asText()).endsWith("Did you mean Get-Mailbox?");
        assertThat(errors.get(1).asText()).contains("'Get-DkimSigningConfig' is an Exchange Online cmdlet that Gatehouse doesn't have yet.");
        assertThat(errors.get(2).asText()).endsWith("Did you mean -PrimarySmtpAddress?");

        Response help = h.runScript(h.operatorToken, T, "Get-Help New-InboundConnector -Examples", false);
        assertThat(help.json().path("Output").asText()).contains("EXAMPLES", "New-InboundConnector \"Scanner\" -ConnectorType Partner");
    }
}
