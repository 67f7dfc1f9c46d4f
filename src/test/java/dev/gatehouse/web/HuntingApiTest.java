// POST /api/v1/hunting/run over real HTTP on real SMTP mail: Defender's answer shape, tenant choice, and every refusal with its status.
package dev.gatehouse.web;

import static dev.gatehouse.admin.HuntingFixture.ARTICLE_QUERY;
import static dev.gatehouse.admin.HuntingFixture.CONTOSO;
import static dev.gatehouse.admin.HuntingFixture.DIRECT_SUBJECT;
import static dev.gatehouse.admin.HuntingFixture.FABRIKAM;
import static dev.gatehouse.admin.HuntingFixture.FABRIKAM_SUBJECT;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.admin.AdminServices;
import dev.gatehouse.admin.AdminHarness.Response;
import dev.gatehouse.admin.HuntingFixture;
import dev.gatehouse.hunting.HuntingService;
import dev.gatehouse.observability.Metrics;
import dev.gatehouse.store.TestDatabase;

class HuntingApiTest {
    static AdminHarness h;
    static String contosoToken;
    static String fabrikamGuid;

    @BeforeAll
    static void start() throws Exception {
        h = new AdminHarness(TestDatabase.Kind.SQLITE);
        HuntingFixture.start(h);
        contosoToken = h.ok(null, "New-AdminToken", Map.of("Name", "contoso-admin", "Organization", CONTOSO)).get(0).get("Token").asText();
        fabrikamGuid = h.ok(null, "Get-Tenant", Map.of("Identity", FABRIKAM)).get(0).get("Guid").asText();
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    static Response hunt(String token, Map<String, ?> body) {
        return h.post(token, HuntingApi.PATH, AdminHarness.JSON.valueToTree(body).toString());
    }

    @Test
    void theArticlesQueryAnswersDefendersSchemaAndResults() {
        Response r = hunt(contosoToken, Map.of("Query", ARTICLE_QUERY));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        List<String> schema = new ArrayList<>();
        r.json().path("Schema").forEach(c -> schema.add(c.path("Name").asText() + ":" + c.path("Type").asText()));
        assertThat(schema).containsExactly("Timestamp:DateTime", "RecipientEmailAddress:String", "SenderFromAddress:String", "Subject:String",
                "NetworkMessageId:String", "EmailDirection:String", "Connectors:String", "SenderIPv4:String", "SenderIPv6:String");
        JsonNode results = r.json().path("Results");
        assertThat(results).hasSize(2).allSatisfy(row -> {
            assertThat(row.path("Subject").asText()).isEqualTo(DIRECT_SUBJECT);
            assertThat(row.path("Timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
            assertThat(row.path("Connectors").isTextual()).isTrue();
        });
        assertThat(r.json().path("Truncated").asBoolean()).isFalse();
        assertThat(r.json().path("RowLimit").asInt()).isEqualTo(30_000);
        assertThat(r.json().path("Visualization").isNull()).isTrue();
        assertThat(r.json().path("Stats").path("ExecutionTime").isNumber()).isTrue();
    }

    @Test
    void numbersAreJsonNumbersAndARenderIsTheVisualization() {
        Response r = hunt(contosoToken, Map.of("Query", "EmailEvents | summarize Messages = count(), Attachments = sum(AttachmentCount) "
                + "by bin(Timestamp, 1d) | render timechart"));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().path("Schema").toString()).contains("{\"Name\":\"Messages\",\"Type\":\"Int64\"}");
        JsonNode row = r.json().path("Results").get(0);
        assertThat(row.path("Messages").isIntegralNumber()).isTrue();
        assertThat(row.path("Messages").asLong()).isEqualTo(3); // Alice and Bob's Direct Send, Alice's through the connector
        assertThat(r.json().path("Visualization").asText()).isEqualTo("timechart");
    }

    @Test
    void aQueryErrorIs400WithThePositionInDefendersErrorShape() {
        Response r = hunt(contosoToken, Map.of("Query", "EmailEvents\n| where Nope == 1"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").path("code").asText()).isEqualTo("BadRequest");
        assertThat(r.errorMessage()).isEqualTo("Failed to resolve scalar expression named 'Nope' at 2:9");
    }

    @Test
    void aTenantTokenQueriesItsOwnOrganizationAndMayNameNoOther() {
        Response own = hunt(contosoToken, Map.of("Query", "EmailEvents | distinct Subject", "Organization", CONTOSO.toUpperCase()));
        assertThat(own.status()).as("%s", own).isEqualTo(200);
        assertThat(own.json().path("Results").toString()).contains(DIRECT_SUBJECT).doesNotContain(FABRIKAM_SUBJECT);
        for (String other : List.of(FABRIKAM, fabrikamGuid, "NoSuchOrganization")) {
            Response r = hunt(contosoToken, Map.of("Query", "EmailEvents", "Organization", other));
            assertThat(r.status()).as(other).isEqualTo(403);
            assertThat(r.json().path("error").path("code").asText()).isEqualTo("Forbidden");
            assertThat(r.errorMessage()).isEqualTo("A tenant admin token runs queries on its own organization (Contoso) only; leave out "
                    + "Organization or name your own.");
            assertThat(r.body()).doesNotContain(FABRIKAM_SUBJECT);
        }
    }

    @Test
    void theOperatorNamesTheOrganization() {
        Response byName = hunt(h.operatorToken, Map.of("Query", "EmailEvents | project Subject", "Organization", FABRIKAM));
        assertThat(byName.status()).as("%s", byName).isEqualTo(200);
        assertThat(byName.json().path("Results")).extracting(r -> r.path("Subject").asText()).containsExactly(FABRIKAM_SUBJECT);
        Response byGuid = hunt(h.operatorToken, Map.of("Query", "EmailEvents | project Subject", "Organization", fabrikamGuid));
        assertThat(byGuid.json().path("Results")).extracting(r -> r.path("Subject").asText()).containsExactly(FABRIKAM_SUBJECT);

        Response none = hunt(h.operatorToken, Map.of("Query", "EmailEvents"));
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.errorMessage()).contains("name the one to query").contains("\"Organization\": \"Contoso\"");
        Response missing = hunt(h.operatorToken, Map.of("Query", "EmailEvents", "Organization", "Northwind"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorMessage()).isEqualTo("The organization 'Northwind' couldn't be found.");
    }

    @Test
    void aLowRowLimitTruncatesAndSaysSo() {
        Response r = hunt(contosoToken, Map.of("Query", "EmailEvents", "RowLimit", 2));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("Results")).hasSize(2);
        assertThat(r.json().path("Truncated").asBoolean()).isTrue();
        assertThat(r.json().path("RowLimit").asInt()).isEqualTo(2);
        for (Object bad : List.of(0, 30_001, "ten", 1.5)) {
            Response refused = hunt(contosoToken, Map.of("Query", "EmailEvents", "RowLimit", bad));
            assertThat(refused.status()).as("%s", bad).isEqualTo(400);
            assertThat(refused.errorMessage()).startsWith("RowLimit must be a whole number from 1 to 30000; got ");
        }
    }

    @Test
    void aQueryOver64KiBIs413() {
        String padded = "EmailEvents | take 1 // " + "x".repeat(HuntingRun.MAX_QUERY);
        Response r = hunt(contosoToken, Map.of("Query", padded));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.errorMessage()).isEqualTo("The query is " + padded.length() + " characters long; the limit is 65536.");
        Response justUnder = hunt(contosoToken, Map.of("Query", padded.substring(0, HuntingRun.MAX_QUERY)));
        assertThat(justUnder.status()).as("%s", justUnder).isEqualTo(200);
    }

    @Test
    void onlyPostWithAValidTokenAndAQuery() {
        Response get = h.get(contosoToken, HuntingApi.PATH);
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.json().path("error").path("code").asText()).isEqualTo("MethodNotAllowed");
        Response put = h.send(HttpRequest.newBuilder(URI.create(h.base + HuntingApi.PATH)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + contosoToken).PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(put.status()).isEqualTo(405);
        assertThat(hunt(null, Map.of("Query", "EmailEvents")).status()).isEqualTo(401);
        assertThat(hunt("ghta_notAToken", Map.of("Query", "EmailEvents")).status()).isEqualTo(401);
        Response noQuery = hunt(contosoToken, Map.of("query", 1));
        assertThat(noQuery.status()).isEqualTo(400);
        assertThat(noQuery.errorMessage()).startsWith("Expected {\"Query\": \"<KQL>\"}");
        Response notJson = h.post(contosoToken, HuntingApi.PATH, "EmailEvents | take 1");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.errorMessage()).startsWith("The request body is not valid JSON");
        assertThat(h.post(contosoToken, "/api/v1/hunting/runs", "{}").status()).isEqualTo(404);
    }

    @Test
    void theOpenApiDocumentDescribesIt() {
        JsonNode run = h.get(null, "/adminapi/openapi.json").json().path("paths").path(HuntingApi.PATH).path("post");
        assertThat(run.path("requestBody").path("content").path("application/json").path("schema").path("required"))
                .extracting(JsonNode::asText).containsExactly("Query");
        List<String> statuses = new ArrayList<>();
        run.path("responses").fieldNames().forEachRemaining(statuses::add);
        assertThat(statuses).containsExactly("200", "400", "401", "403", "404", "405", "413", "429", "504");
    }

    /**
     * With every slot taken (two queries running, eight waiting, held by the evaluator), the next query is refused at
     * once with 429 and Retry-After; the held ones finish when let go.
     */
    @Test
    void whenHuntingIsFullTheNextQueryIs429WithRetryAfter() throws Exception {
        try (HeldHunting held = new HeldHunting(); HttpApi api = new HttpApi("127.0.0.1", 0, new Metrics(), () -> true)) {
            new HuntingApi(held.in(AdminServices.over(h.gateway.store()))).mount(api);
            api.start();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + HuntingApi.PATH))
                    .header("Authorization", "Bearer " + contosoToken).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"Query\": \"EmailEvents | count\"}")).build();
            HeldHunting.Filled full = held.fill(HttpClient.newHttpClient(), request);
            assertThat(full.held()).hasSize(HuntingService.RUNNING + HuntingService.WAITING);
            HttpResponse<String> busy = full.refused();
            assertThat(busy).isNotNull();
            assertThat(busy.statusCode()).isEqualTo(429);
            assertThat(busy.headers().firstValue("Retry-After")).hasValue("5");
            JsonNode error = AdminHarness.JSON.readTree(busy.body()).path("error");
            assertThat(error.path("code").asText()).isEqualTo("TooManyRequests");
            assertThat(error.path("message").asText()).startsWith("advanced hunting is busy: 2 queries are running and 8 are waiting");
            held.release();
            for (var f : full.held()) assertThat(f.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    /** The JSON answer of a whole row of EmailEvents: every column with Defender's type. */
    @Test
    void aWholeEmailEventsRowHasEveryColumn() {
        ObjectNode body = AdminHarness.JSON.createObjectNode().put("Query", "EmailEvents | where Connectors != '' | take 1");
        Response r = h.post(contosoToken, HuntingApi.PATH, body.toString());
        assertThat(r.json().path("Schema")).hasSize(39);
        assertThat(r.json().path("Results").get(0).path("Connectors").asText()).isEqualTo("Scanner");
        assertThat(r.json().path("Schema").toString()).contains("{\"Name\":\"AttachmentCount\",\"Type\":\"Int32\"}",
                "{\"Name\":\"EmailClusterId\",\"Type\":\"Int64\"}");
        assertThat(r.json().path("Results").get(0).path("AttachmentCount").isInt()).isTrue();
    }
}
