// The two user errors of the service layer, as every surface shows them: a ValidationException's message reaches the
// admin unchanged (400 over REST, an error line in a script), a NotFoundException is 404 and says "couldn't be found".
package dev.gatehouse.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.store.TestDatabase;

class UserErrorsTest {
    static AdminHarness h;

    @BeforeAll static void start() throws Exception {
        h = new AdminHarness(TestDatabase.Kind.SQLITE);
        h.ok(null, "New-Tenant", Map.of("Name", "Contoso"));
    }

    @AfterAll static void stop() {
        if (h != null) h.close();
    }

    @Test void aValidationErrorIsA400WithTheServicesMessageNamingTheValue() {
        var r = h.invoke(h.operatorToken, "Contoso", "New-AcceptedDomain", Map.of("Name", "bad", "DomainName", "not a domain"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorMessage()).startsWith("New-AcceptedDomain: ").contains("'not a domain'");
        var script = h.runScript(h.operatorToken, "Contoso", "New-AcceptedDomain bad -DomainName 'not a domain'", false);
        assertThat(script.json().path("Errors").get(0).asText()).contains("'not a domain'");
        assertThat(script.json().path("Success").asBoolean()).isFalse();
    }

    @Test void aMissingObjectIsA404ThatSaysItCouldNotBeFound() {
        var r = h.invoke(h.operatorToken, "Contoso", "Get-Mailbox", Map.of("Identity", "nobody"));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errorMessage()).contains("couldn't be found").contains("nobody");
    }
}
