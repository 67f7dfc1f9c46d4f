// Over real SMTP and real HTTP: Invoke-HuntingQuery runs the article's Direct Send query on an organization's mail, and the shell says to use it when KQL is pasted.
package dev.gatehouse.admin;

import static dev.gatehouse.admin.HuntingFixture.ARTICLE_QUERY;
import static dev.gatehouse.admin.HuntingFixture.CONTOSO;
import static dev.gatehouse.admin.HuntingFixture.DIRECT;
import static dev.gatehouse.admin.HuntingFixture.DIRECT_SUBJECT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.admin.AdminHarness.Response;
import dev.gatehouse.store.TestDatabase;

class InvokeHuntingQueryTest {
    static AdminHarness h;
    static String contosoToken;
    static final List<String> ARTICLE_COLUMNS = List.of("Timestamp", "RecipientEmailAddress", "SenderFromAddress", "Subject",
            "NetworkMessageId", "EmailDirection", "Connectors", "SenderIPv4", "SenderIPv6");

    @BeforeAll
    static void start() throws Exception {
        h = new AdminHarness(TestDatabase.Kind.SQLITE);
        HuntingFixture.start(h);
        contosoToken = h.ok(null, "New-AdminToken", Map.of("Name", "contoso-admin", "Organization", CONTOSO)).get(0).get("Token").asText();
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    /** The article's query in a double-quoted string, as the first example of Get-Help shows it. */
    static String articleCommand() { return "Invoke-HuntingQuery -Query \"" + ARTICLE_QUERY + "\""; }

    @Test
    void theArticlesQueryFindsTheDirectSendMailOfTheOrganizationOnlyWithItsColumnsInOrder() {
        Response r = h.runScript(contosoToken, null, articleCommand(), true);
        assertThat(r.json().path("Success").asBoolean()).as("%s", r).isTrue();
        JsonNode rows = parse(r.json().path("Output").asText());
        assertThat(rows).hasSize(2); // one row per recipient, Alice and Bob; not the connector's mail, not Fabrikam's
        List<String> recipients = new ArrayList<>();
        for (JsonNode row : rows) {
            List<String> names = new ArrayList<>();
            row.fieldNames().forEachRemaining(names::add);
            assertThat(names).isEqualTo(ARTICLE_COLUMNS);
            assertThat(row.path("Subject").asText()).isEqualTo(DIRECT_SUBJECT);
            assertThat(row.path("SenderIPv4").asText()).isEqualTo(DIRECT);
            assertThat(row.path("Connectors").asText()).isEmpty();
            assertThat(row.path("EmailDirection").asText()).isEqualTo("Inbound");
            // a datetime shows as Defender's portal shows it: ISO 8601 in UTC
            String ts = row.path("Timestamp").asText();
            assertThat(ts).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
            assertThat(Instant.parse(ts)).isBetween(Instant.now().minusSeconds(600), Instant.now());
            recipients.add(row.path("RecipientEmailAddress").asText());
        }
        assertThat(recipients).containsExactlyInAnyOrder("alice@contoso.com", "bob@contoso.com");
    }

    @Test
    void theDefaultViewIsATableOfTheQuerysColumns() {
        Response r = h.runScript(h.operatorToken, CONTOSO, "Invoke-HuntingQuery 'EmailEvents | where Connectors == ''Scanner'' "
                + "| project Subject, SenderIPv4, AttachmentCount'", false);
        assertThat(r.json().path("Success").asBoolean()).as("%s", r).isTrue();
        assertThat(r.json().path("Output").asText()).isEqualTo("""
                Subject         : Scanned through the connector
                SenderIPv4      : 127.0.0.60
                AttachmentCount : 0
                """);
        Response two = h.runScript(h.operatorToken, CONTOSO, "Invoke-HuntingQuery 'EmailEvents | where Subject == \"" + DIRECT_SUBJECT
                + "\" | project RecipientEmailAddress, UrlCount | sort by RecipientEmailAddress asc'", false);
        assertThat(two.json().path("Output").asText()).isEqualTo("""
                RecipientEmailAddress UrlCount
                --------------------- --------
                alice@contoso.com            0
                bob@contoso.com              0
                """);
    }

    @Test
    void aResultCutByRowLimitSaysSoInAWarningBesideTheRows() {
        Response r = h.invoke(contosoToken, null, "Invoke-HuntingQuery", Map.of("Query", "EmailEvents | project Subject", "RowLimit", 1));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.value()).hasSize(1);
        assertThat(r.json().path("Warnings")).extracting(JsonNode::asText)
                .containsExactly("The results were truncated to 1 row; narrow the query (where, summarize, take) to see the rest.");
        Response script = h.runScript(contosoToken, null, "Invoke-HuntingQuery 'EmailEvents' -RowLimit 2 | Select-Object Subject", false);
        assertThat(script.json().path("Warnings")).extracting(JsonNode::asText)
                .containsExactly("The results were truncated to 2 rows; narrow the query (where, summarize, take) to see the rest.");
        assertThat(script.json().path("Output").asText()).doesNotContain("WARNING");
        // all rows fit: no warning
        assertThat(h.invoke(contosoToken, null, "Invoke-HuntingQuery", Map.of("Query", "EmailEvents | count")).json().has("Warnings")).isFalse();
    }

    @Test
    void aRowLimitOutsideDefendersRangeIsRefusedNamingTheValue() {
        Response r = h.runScript(contosoToken, null, "Invoke-HuntingQuery 'EmailEvents' -RowLimit 30001", false);
        assertThat(r.json().path("Errors").get(0).asText()).isEqualTo("Invoke-HuntingQuery: Cannot validate argument on parameter "
                + "'RowLimit'. The 30001 argument is greater than the maximum allowed range of 30000. Supply an argument that is "
                + "less than or equal to 30000 and then try the command again.");
        assertThat(h.invoke(contosoToken, null, "Invoke-HuntingQuery", Map.of("Query", "EmailEvents", "RowLimit", 0)).errorMessage())
                .contains("The 0 argument is less than the minimum allowed range of 1");
    }

    @Test
    void aQueryTheEngineRefusesIsTheCmdletsErrorWithItsPosition() {
        Response r = h.runScript(contosoToken, null, "Invoke-HuntingQuery \"EmailEvents\n| where Nope == 1\"", false);
        assertThat(r.json().path("Success").asBoolean()).isFalse();
        assertThat(r.json().path("Errors")).extracting(JsonNode::asText)
                .containsExactly("Invoke-HuntingQuery: Failed to resolve scalar expression named 'Nope' at 2:9");
        Response invoked = h.invoke(contosoToken, null, "Invoke-HuntingQuery", Map.of("Query", "EmailEvents | mv-expand x"));
        assertThat(invoked.status()).isEqualTo(400);
        assertThat(invoked.errorMessage()).startsWith("Invoke-HuntingQuery: ").contains(" at 1:").doesNotContain("Exception");
    }

    @Test
    void theOperatorChoosesTheOrganizationAsForEveryTenantCmdlet() {
        Response none = h.runScript(h.operatorToken, null, "Invoke-HuntingQuery 'EmailEvents | count'", false);
        assertThat(none.json().path("Errors").get(0).asText()).startsWith("Invoke-HuntingQuery: This cmdlet acts on one organization");
        Response fabrikam = h.invoke(h.operatorToken, HuntingFixture.FABRIKAM, "Invoke-HuntingQuery",
                Map.of("Query", "EmailEvents | project Subject"));
        assertThat(fabrikam.value()).extracting(v -> v.path("Subject").asText()).containsExactly(HuntingFixture.FABRIKAM_SUBJECT);
    }

    @Test
    void pastingTheArticlesQueryIntoTheShellSaysHowToRunIt() {
        Response r = h.runScript(contosoToken, null, ARTICLE_QUERY + "\n", false);
        assertThat(r.json().path("Errors")).extracting(JsonNode::asText).containsExactly("At line:2 char:1: An empty pipe element is not "
                + "allowed.\nThis looks like a KQL query (advanced hunting), not PowerShell. Run it with: gatehouse hunt -f query.kql "
                + "(or run gatehouse hunt, paste the query and press Ctrl-D), or in this shell: Invoke-HuntingQuery -Query '<the query>' "
                + "(with each ' inside it doubled).");
        // the first line alone (a terminal that sends a paste line by line), a one-liner, and a let statement
        for (String kql : List.of("EmailEvents", "EmailUrlInfo | take 10", "let since = ago(7d);\nEmailEvents | where Timestamp > since",
                "// Direct Send\nMyFunction\n| take 1")) {
            String error = h.runScript(contosoToken, null, kql, false).json().path("Errors").get(0).asText();
            assertThat(error).as(kql).contains("\nThis looks like a KQL query");
        }
    }

    @Test
    void aPowerShellMistakeGetsNoKqlHint() {
        for (String ps : List.of("Get-Mailbox |\n| Format-Table", "Get-Mailbx", "Get-Mailbox -Identity", "Get-Mailbox | Format-Table Name,")) {
            Response r = h.runScript(contosoToken, null, ps, false);
            assertThat(r.json().path("Success").asBoolean()).as(ps).isFalse();
            assertThat(r.json().path("Errors").toString()).as(ps).doesNotContain("KQL");
        }
    }

    private static JsonNode parse(String json) {
        try {
            return AdminHarness.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
