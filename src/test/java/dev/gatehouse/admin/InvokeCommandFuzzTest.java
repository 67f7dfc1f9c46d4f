// InvokeCommandFuzzTest: arbitrary request bodies to the admin API's InvokeCommand, over real HTTP.
package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.gatehouse.store.TestDatabase;

/**
 * In a plain {@code ./mvnw test} this replays the stored inputs under
 * {@code src/test/resources/dev/gatehouse/admin/InvokeCommandFuzzTestInputs/<method>/}; with {@code JAZZER_FUZZ=1}
 * it fuzzes. Property: whatever the body (bytes, broken JSON, deep nesting, huge values, any cmdlet and
 * parameters), the gateway answers it with a client error or a success, never a 500 and never a hang, and
 * keeps answering.
 */
class InvokeCommandFuzzTest {
    private static AdminHarness harness;

    private static synchronized AdminHarness harness() throws Exception {
        if (harness == null) {
            harness = new AdminHarness(TestDatabase.Kind.SQLITE);
            harness.ok(null, "New-Tenant", Map.of("Name", "Contoso"));
        }
        return harness;
    }

    @AfterAll
    static void stop() {
        if (harness != null) harness.close();
        harness = null;
    }

    @FuzzTest(maxDuration = "30s")
    void answersEveryBodyWithoutAnInternalError(byte[] body) throws Exception {
        AdminHarness h = harness();
        AdminHarness.Response r = h.post(h.operatorToken, "/adminapi/v1/Contoso/InvokeCommand", new String(body, StandardCharsets.UTF_8));
        assertThat(r.status()).as("%s", r).isIn(200, 400, 404, 413);
        if (r.status() != 200) assertThat(r.errorMessage()).isNotBlank();
    }
}
