// AdminApiHttpTest: the admin REST API's HTTP contract against a real in-process gateway: the bearer challenge, body
// encoding and shape errors, error codes, endpoint and method errors, the 1 MiB body limit, organization names that need
// escaping in the URL, and an OpenAPI document that lists every route the API answers.
package dev.gatehouse.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.admin.AdminHarness.Response;
import dev.gatehouse.store.TestDatabase;

class AdminApiHttpTest {
    static final String T = "Tailspin";
    static final String GET_DOMAINS = "{\"CmdletInput\":{\"CmdletName\":\"Get-AcceptedDomain\"}}";
    static AdminHarness h;
    static String tenantToken;

    @BeforeAll static void start() throws Exception {
        h = new AdminHarness(TestDatabase.Kind.SQLITE);
        h.ok(null, "New-Tenant", Map.of("Name", T));
        h.ok(T, "New-AcceptedDomain", Map.of("Name", "tailspin.example", "DomainName", "tailspin.example"));
        tenantToken = h.adminToken(T, "tailspin-admin");
    }

    @AfterAll static void stop() {
        if (h != null) h.close();
    }

    private static Response raw(String method, String path, String authorization, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.base + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) b.header("Authorization", authorization);
        return h.send(b.build());
    }

    private static Response operator(String method, String path, String body) {
        return raw(method, path, "Bearer " + h.operatorToken, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** The response headers of one request (AdminHarness's answers carry none). */
    private static HttpHeaders headers(String method, String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.base + path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) b.header("Authorization", "Bearer " + token);
        try {
            return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.discarding()).headers();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String code(Response r) { return r.json().path("error").path("code").asText(); }

    @Test void aMissingOrUnknownTokenGets401WithABearerChallengeAndAJsonError() {
        for (String auth : new String[] {null, "Bearer", "Bearer ", "Token " + h.operatorToken, "Bearer " + h.operatorToken.toUpperCase()}) {
            Response r = raw("POST", "/adminapi/v1/InvokeCommand", auth, GET_DOMAINS.getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).as("Authorization: %s", auth).isEqualTo(401);
            assertThat(code(r)).isEqualTo("Unauthorized");
            assertThat(r.errorMessage()).contains("Authorization: Bearer <token>");
        }
        HttpHeaders challenge = headers("GET", "/adminapi/v1/Commands", null);
        assertThat(challenge.firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"gatehouse\"");
        assertThat(challenge.firstValue("Content-Type")).hasValue("application/json");
    }

    @Test void theBearerSchemeIsCaseInsensitiveAndTheTokenMayBePaddedButNeverComesFromTheUrl() {
        for (String auth : new String[] {"bearer " + h.operatorToken, "BEARER " + h.operatorToken, "Bearer   " + h.operatorToken + "  "}) {
            assertThat(raw("POST", "/adminapi/v1/" + T + "/InvokeCommand", auth, GET_DOMAINS.getBytes(StandardCharsets.UTF_8)).status())
                    .as(auth).isEqualTo(200);
        }
        assertThat(raw("POST", "/adminapi/v1/" + T + "/InvokeCommand?access_token=" + h.operatorToken, null,
                GET_DOMAINS.getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(401);
    }

    @Test void aBodyThatIsNotUtf8IsRefusedBeforeItIsParsed() {
        String json = "{\"CmdletInput\":{\"CmdletName\":\"Get-Mailbox\",\"Parameters\":{\"Identity\":\"caf\u00e9\"}}}";
        for (var charset : List.of(StandardCharsets.ISO_8859_1, StandardCharsets.UTF_16)) {
            Response r = raw("POST", "/adminapi/v1/" + T + "/InvokeCommand", "Bearer " + h.operatorToken, json.getBytes(charset));
            assertThat(r.status()).as("%s", charset).isEqualTo(400);
            assertThat(r.errorMessage()).isEqualTo("The request body is not UTF-8 (JSON must be).");
        }
        Response utf8 = operator("POST", "/adminapi/v1/" + T + "/InvokeCommand", json);
        assertThat(utf8.status()).as("the same request in UTF-8 reaches the cmdlet: %s", utf8).isEqualTo(404);
        assertThat(utf8.errorMessage()).contains("café");
    }

    @Test void aBodyOfTheWrongShapeIsAnsweredWithTheShapeExpected() {
        String invoke = "/adminapi/v1/" + T + "/InvokeCommand";
        String expected = "Expected {\"CmdletInput\":{\"CmdletName\":\"Verb-Noun\",\"Parameters\":{...}}}.";
        for (String body : new String[] {"", "null", "[]", "\"Get-AcceptedDomain\"", "{\"CmdletInput\":\"Get-AcceptedDomain\"}",
                "{\"CmdletInput\":{\"CmdletName\":42}}", "{\"CmdletInput\":{\"CmdletName\":null}}", "{\"CmdletInput\":{}}"}) {
            Response r = operator("POST", invoke, body);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.errorMessage()).as(body).isEqualTo(expected);
        }
        Response nullParameters = operator("POST", invoke, "{\"CmdletInput\":{\"CmdletName\":\"Get-AcceptedDomain\",\"Parameters\":null}}");
        assertThat(nullParameters.status()).as("%s", nullParameters).isEqualTo(200);
        assertThat(nullParameters.value().get(0).get("DomainName").asText()).isEqualTo("tailspin.example");
        Response stringParameters = operator("POST", invoke, "{\"CmdletInput\":{\"CmdletName\":\"Get-AcceptedDomain\",\"Parameters\":\"x\"}}");
        assertThat(stringParameters.errorMessage()).isEqualTo("CmdletInput.Parameters must be a JSON object of parameter names to values.");
        for (String body : new String[] {"{}", "{\"Script\":42}", "{\"Script\":null}", "{\"script\":\"Get-Mailbox\"}"}) {
            Response r = operator("POST", "/adminapi/v1/" + T + "/RunScript", body);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.errorMessage()).as(body).isEqualTo("Expected {\"Script\":\"...\",\"Json\":false}.");
        }
    }

    @Test void cmdletErrorsCarryAStableCodeBesideTheMessage() {
        Response unknown = h.invoke(h.operatorToken, T, "Get-Frobnicator");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(code(unknown)).isEqualTo("InvalidArgument");
        assertThat(unknown.json().path("error").has("parameter")).as("no parameter to name").isFalse();
        Response missing = h.invoke(h.operatorToken, T, "Get-AcceptedDomain", Map.of("Identity", "nowhere.example"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(code(missing)).isEqualTo("NotFound");
        assertThat(missing.errorMessage()).contains("nowhere.example");
        Response forbidden = h.invoke(tenantToken, null, "New-Tenant", Map.of("Name", "Escalation"));
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(code(forbidden)).isEqualTo("Forbidden");
        assertThat(forbidden.errorMessage()).isEqualTo("New-Tenant needs the operator token; a tenant admin token can't run it.");
        assertThat(h.invoke(h.operatorToken, null, "Get-Tenant").body()).doesNotContain("Escalation");
    }

    @Test void unknownEndpointsAre404NamingThePathWhateverTheMethod() {
        for (String path : new String[] {"/adminapi/", "/adminapi/v2/InvokeCommand", "/adminapi/v1/" + T + "/x/InvokeCommand",
                "/adminapi/v1/" + T + "/Frobnicate", "/adminapi/v1/Frobnicate", "/adminapi/v1/" + T + "/Commands"}) {
            for (String method : new String[] {"GET", "POST"}) {
                Response r = operator(method, path, "{}");
                assertThat(r.status()).as("%s %s", method, path).isEqualTo(404);
                assertThat(r.errorMessage()).as("%s %s", method, path).isEqualTo("No such endpoint: " + path);
            }
        }
    }

    @Test void aKnownEndpointCalledWithTheWrongMethodIs405AndSaysWhichMethodToUse() {
        for (String path : new String[] {"/adminapi/v1/InvokeCommand", "/adminapi/v1/" + T + "/InvokeCommand", "/adminapi/v1/RunScript",
                "/adminapi/v1/" + T + "/RunScript"}) {
            for (String method : new String[] {"GET", "PUT", "DELETE"}) {
                Response r = operator(method, path, null);
                assertThat(r.status()).as("%s %s", method, path).isEqualTo(405);
                assertThat(code(r)).isEqualTo("MethodNotAllowed");
                assertThat(r.errorMessage()).isEqualTo("Use POST.");
            }
        }
        for (String path : new String[] {"/adminapi/v1/Commands", "/adminapi/openapi.json"}) {
            Response r = operator("POST", path, "{}");
            assertThat(r.status()).as(path).isEqualTo(405);
            assertThat(r.errorMessage()).isEqualTo("Use GET.");
        }
        assertThat(headers("GET", "/adminapi/v1/" + T + "/InvokeCommand", h.operatorToken).firstValue("Allow")).hasValue("POST");
        assertThat(headers("DELETE", "/adminapi/v1/Commands", h.operatorToken).firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test void aBodyOfExactlyOneMebibyteIsReadAndOneOctetMoreIs413() {
        String invoke = "/adminapi/v1/" + T + "/InvokeCommand";
        String padded = GET_DOMAINS + " ".repeat((1 << 20) - GET_DOMAINS.length());
        assertThat(padded.getBytes(StandardCharsets.UTF_8)).hasSize(1 << 20);
        Response fits = operator("POST", invoke, padded);
        assertThat(fits.status()).as("%s", fits.status()).isEqualTo(200);
        Response over = operator("POST", invoke, padded + " ");
        assertThat(over.status()).isEqualTo(413);
        assertThat(code(over)).isEqualTo("TooLarge");
        assertThat(over.errorMessage()).isEqualTo("The request body is larger than 1 MB.");
    }

    @Test void propertyNamesHaveTheSameLengthLimitAsStringsAndItsRefusalNamesIt() {
        for (int length : new int[] {50_001, 65_536, 65_537}) {
            String name = "n".repeat(length);
            Response r = operator("POST", "/adminapi/v1/" + T + "/InvokeCommand",
                    "{\"CmdletInput\":{\"CmdletName\":\"Get-AcceptedDomain\",\"Parameters\":{\"" + name + "\":1}}}");
            assertThat(r.status()).isEqualTo(400);
            if (length <= 65_536) assertThat(r.errorMessage()).as("%d characters", length).contains("A parameter cannot be found", "Get-AcceptedDomain");
            else assertThat(r.errorMessage()).isEqualTo("The request has a property name longer than 65536 characters.");
        }
    }

    @Test void organizationsWhoseNamesNeedEscapingInTheUrlCanBeAddressed() {
        for (String name : new String[] {"R+D Lab", "100% Pure", "Sales/EU", "Caf\u00e9 & Co"}) {
            h.ok(null, "New-Tenant", Map.of("Name", name));
            Response r = h.invoke(h.operatorToken, name, "Get-OrganizationConfig");
            assertThat(r.status()).as("%s: %s", name, r).isEqualTo(200);
            assertThat(r.value().get(0).get("Name").asText()).isEqualTo(name);
            Response script = h.runScript(h.operatorToken, name, "Get-OrganizationConfig", true);
            assertThat(script.json().path("Success").asBoolean()).as("%s: %s", name, script).isTrue();
        }
        // the literal '+' is a plus in a path, never a space: "R D Lab" does not exist
        Response spaced = h.post(h.operatorToken, "/adminapi/v1/R%20D%20Lab/InvokeCommand", "{\"CmdletInput\":{\"CmdletName\":\"Get-OrganizationConfig\"}}");
        assertThat(spaced.status()).isEqualTo(404);
        assertThat(spaced.errorMessage()).isEqualTo("The organization 'R D Lab' couldn't be found.");
        Response plus = h.post(h.operatorToken, "/adminapi/v1/R+D%20Lab/InvokeCommand", "{\"CmdletInput\":{\"CmdletName\":\"Get-OrganizationConfig\"}}");
        assertThat(plus.status()).as("%s", plus).isEqualTo(200);
    }

    @Test void aTenantTokenReachesOnlyTheOrganizationItsUrlNamesExactlyNeverANaiveDecodingOfIt() {
        h.ok(null, "New-Tenant", Map.of("Name", "Q+A Team"));
        h.ok(null, "New-Tenant", Map.of("Name", "Q A Team"));
        String spaced = h.ok(null, "New-AdminToken", Map.of("Name", "qa-spaced", "Organization", "Q A Team")).get(0).get("Token").asText();
        String plus = h.ok(null, "New-AdminToken", Map.of("Name", "qa-plus", "Organization", "Q+A Team")).get(0).get("Token").asText();
        String body = "{\"CmdletInput\":{\"CmdletName\":\"Get-OrganizationConfig\"}}";
        for (String url : new String[] {"Q+A%20Team", "Q%2BA%20Team"}) {
            Response own = h.post(plus, "/adminapi/v1/" + url + "/InvokeCommand", body);
            assertThat(own.status()).as("%s: %s", url, own).isEqualTo(200);
            assertThat(own.value().get(0).get("Name").asText()).isEqualTo("Q+A Team");
            Response other = h.post(spaced, "/adminapi/v1/" + url + "/InvokeCommand", body);
            assertThat(other.status()).as("Q A Team's token on %s: %s", url, other).isEqualTo(404);
            assertThat(other.errorMessage()).isEqualTo("The organization 'Q+A Team' couldn't be found.");
        }
        assertThat(h.post(spaced, "/adminapi/v1/Q%20A%20Team/InvokeCommand", body).value().get(0).get("Name").asText()).isEqualTo("Q A Team");
        assertThat(h.post(plus, "/adminapi/v1/Q%20A%20Team/InvokeCommand", body).status()).isEqualTo(404);
    }

    @Test void theOpenApiDocumentListsEveryRouteTheApiAnswersAndDeclaresItsPathParameters() throws Exception {
        Response r = h.get(null, "/adminapi/openapi.json");
        assertThat(r.status()).isEqualTo(200);
        JsonNode paths = AdminHarness.JSON.readTree(r.body()).path("paths");
        // every route the API answers, as the shell and scripts call it
        Map<String, String> answered = Map.of("/adminapi/v1/{tenant}/InvokeCommand", "post", "/adminapi/v1/InvokeCommand", "post",
                "/adminapi/v1/{tenant}/RunScript", "post", "/adminapi/v1/RunScript", "post", "/adminapi/v1/Commands", "get",
                "/adminapi/v1/{tenant}/HistoricalSearchReports/{JobId}", "get", HuntingApi.PATH, "post");
        for (var route : answered.entrySet()) {
            assertThat(paths.path(route.getKey()).has(route.getValue())).as("%s %s", route.getValue(), route.getKey()).isTrue();
        }
        List<String> documented = paths.properties().stream().map(Map.Entry::getKey).toList();
        assertThat(documented).containsExactlyInAnyOrderElementsOf(answered.keySet());
        Pattern template = Pattern.compile("\\{([^}]+)}");
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                List<String> declared = new ArrayList<>();
                op.getValue().path("parameters").forEach(p -> {
                    if (p.path("in").asText().equals("path") && p.path("required").asBoolean()) declared.add(p.path("name").asText());
                });
                List<String> used = new ArrayList<>();
                Matcher m = template.matcher(path.getKey());
                while (m.find()) used.add(m.group(1));
                assertThat(declared).as("path parameters of %s %s", op.getKey(), path.getKey()).containsExactlyInAnyOrderElementsOf(used);
                if (op.getKey().equals("post")) {
                    assertThat(op.getValue().path("requestBody").path("content").has("application/json"))
                            .as("request body of %s", path.getKey()).isTrue();
                }
            }
        }
        // and each documented route answers something other than "no such endpoint" for the operator
        assertThat(operator("POST", "/adminapi/v1/RunScript", "{\"Script\":\"Get-Tenant\"}").status()).isEqualTo(200);
        assertThat(operator("GET", "/adminapi/v1/Commands", null).status()).isEqualTo(200);
    }
}
