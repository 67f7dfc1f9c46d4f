// Scenario 25 end to end, over real SMTP and real HTTP: the seed article's historical search, run verbatim with real
// dates, lists exactly the mail that came in through no connector, its CSV downloads with the tenant's token, and the
// notification lands in admin's Maildir; refusals appear in neither trace nor that report, only in Refusals.
package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.admin.AdminHarness.Response;
import dev.gatehouse.store.TestDatabase;

class HistoricalSearchTest {
    static AdminHarness h;
    static final String CONTOSO = ArticleScenarios.CONTOSO;
    static final String FABRIKAM = ArticleScenarios.FABRIKAM;
    static String contosoGuid;
    static String contosoToken;
    static String fabrikamToken;
    static List<String> noConnector;
    static String throughConnector;

    @BeforeAll
    static void start() throws Exception {
        h = new AdminHarness(TestDatabase.Kind.SQLITE);
        ArticleScenarios s = ArticleScenarios.start(h);
        contosoGuid = s.contosoGuid();
        contosoToken = s.contosoToken();
        fabrikamToken = s.fabrikamToken();
        noConnector = s.noConnector();
        throughConnector = s.throughConnector();
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    /** Runs a script as the shell sends it; its objects (the JSON text of Output), one or several. */
    private static JsonNode run(String token, String script) throws IOException {
        Response r = h.runScript(token, CONTOSO, script, true);
        assertThat(r.json().path("Success").asBoolean()).as("%s", r).isTrue();
        JsonNode objects = AdminHarness.JSON.readTree(r.json().path("Output").asText());
        return objects.isArray() ? objects : AdminHarness.JSON.createArrayNode().add(objects);
    }

    private static JsonNode waitUntilDone(String jobId) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() ->
                List.of("Done", "Failed").contains(h.ok(CONTOSO, "Get-HistoricalSearch", Map.of("JobId", jobId)).get(0).path("Status").asText()));
        return h.ok(CONTOSO, "Get-HistoricalSearch", Map.of("JobId", jobId)).get(0);
    }

    private static HttpResponse<byte[]> download(String url, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String start(Map<String, ?> params) {
        return h.ok(CONTOSO, "Start-HistoricalSearch", params).get(0).path("JobId").asText();
    }

    private static Map<String, Object> today(String title, String type) {
        LocalDate d = LocalDate.now(ZoneOffset.UTC);
        return new java.util.HashMap<>(Map.of("ReportTitle", title, "StartDate", d.minusDays(1).toString(), "EndDate", d.plusDays(1).toString(),
                "ReportType", type));
    }

    @Test
    void theArticlesKqlQueryReturnsScenariosOneAndThreeButNotSeven() throws Exception {
        // spec scenario 25: the R3 query (EmailDirection == 'Inbound' and Connectors == ''), verbatim, with the tenant's token
        String body = AdminHarness.JSON.writeValueAsString(Map.of("Query", HuntingCmdlets.ARTICLE_QUERY));
        List<String> ids = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Response r = h.post(contosoToken, "/api/v1/hunting/run", body);
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            ids.clear();
            for (JsonNode row : r.json().path("Results")) ids.add(row.path("NetworkMessageId").asText());
            return ids.size() >= 2;
        });
        assertThat(ids).containsExactlyInAnyOrderElementsOf(noConnector).doesNotContain(throughConnector);
        Response r = h.post(contosoToken, "/api/v1/hunting/run", body);
        List<String> columns = new ArrayList<>();
        for (JsonNode c : r.json().path("Schema")) columns.add(c.path("Name").asText());
        assertThat(columns).containsExactly("Timestamp", "RecipientEmailAddress", "SenderFromAddress", "Subject", "NetworkMessageId",
                "EmailDirection", "Connectors", "SenderIPv4", "SenderIPv6");
        for (JsonNode row : r.json().path("Results")) {
            assertThat(row.path("Connectors").asText()).isEmpty();
            assertThat(row.path("SenderIPv4").asText()).isEqualTo("127.0.0.50");
            assertThat(row.path("RecipientEmailAddress").asText()).isEqualTo("bob@contoso.com");
        }
    }

    @Test
    void theSeedArticlesSearchListsExactlyTheMailThatCameInThroughNoConnector() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        JsonNode started = run(contosoToken, SeedArticle.historicalSearch(today.minusDays(7), today.plusDays(1))).get(0);
        assertThat(started.path("Status").asText()).isEqualTo("NotStarted");
        assertThat(started.path("ReportTitle").asText()).isEqualTo("DirectSendMessages");
        assertThat(started.path("FileUrl").isNull()).isTrue();
        JsonNode done = waitUntilDone(started.path("JobId").asText());
        assertThat(done.path("Status").asText()).as("%s", done).isEqualTo("Done");
        assertThat(done.path("Rows").asLong()).isEqualTo(2);
        assertThat(done.path("Progress").asInt()).isEqualTo(100);
        String url = done.path("FileUrl").asText();
        assertThat(url).isEqualTo("http://mx.gatehouse.test:" + h.gateway.httpPort() + "/adminapi/v1/Contoso/HistoricalSearchReports/"
                + started.path("JobId").asText());

        HttpResponse<byte[]> file = download(url.replace("mx.gatehouse.test", "127.0.0.1"), contosoToken);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
        assertThat(file.headers().firstValue("Content-Disposition").orElseThrow()).contains("DirectSendMessages_");
        String csv = new String(file.body(), StandardCharsets.UTF_8);
        assertThat(csv).startsWith("\uFEFForigin_timestamp,sender_address,recipient_status,message_subject,total_bytes,message_id,"
                + "network_message_id,original_client_ip,client_hostname,directionality,connector_id,connector_type,tls_version,recipient_count\r\n");
        List<String> rows = csv.lines().skip(1).toList();
        assertThat(rows).hasSize(2);
        assertThat(rows).allSatisfy(r -> assertThat(r).contains(",127.0.0.50,sender.example,Incoming,,NoConnector,No Tls,1"));
        assertThat(String.join("\n", rows)).contains(noConnector.get(0), noConnector.get(1), "bob@contoso.com##")
                .doesNotContain(throughConnector);
        // a subject written as a spreadsheet formula stays text
        assertThat(rows.get(1)).contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"pay\"\")\",");

        // the notification went through Gatehouse's own delivery to admin's Maildir, with the link
        Path inbox = h.db.dir().resolve("data").resolve("mail").resolve(contosoGuid).resolve("admin@contoso.com").resolve("new");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.isDirectory(inbox) && countFiles(inbox) == 1);
        String note;
        try (Stream<Path> s = Files.list(inbox)) {
            note = Files.readString(s.findFirst().orElseThrow());
        }
        assertThat(note).contains("Subject: Notification: Historical search 'DirectSendMessages' is done", "2 rows", url);

        // the other organization can neither see the job nor download its file
        assertThat(download(url.replace("mx.gatehouse.test", "127.0.0.1"), fabrikamToken).statusCode()).isEqualTo(404);
        Response theirs = h.invoke(fabrikamToken, FABRIKAM, "Get-HistoricalSearch", Map.of("JobId", started.path("JobId").asText()));
        assertThat(theirs.status()).as("%s", theirs).isEqualTo(404);
        assertThat(h.invoke(fabrikamToken, FABRIKAM, "Get-HistoricalSearch", Map.of()).value()).isEmpty();
        assertThat(download(url.replace("mx.gatehouse.test", "127.0.0.1"), "ghta_not-a-token").statusCode()).isEqualTo(401);
    }

    private static long countFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void refusalsAreInNeitherTraceNorTheConnectorReportButInTheirOwnReport() throws Exception {
        h.ok(CONTOSO, "Set-OrganizationConfig", Map.of("RejectDirectSend", true));
        try (var smtp = h.smtpFrom("127.0.0.51")) {
            assertThat(smtp.cmd("MAIL FROM:<alice@contoso.com>")).startsWith("250");
            assertThat(smtp.cmd("RCPT TO:<bob@contoso.com>")).startsWith("550 5.7.68");
        } finally {
            h.ok(CONTOSO, "Set-OrganizationConfig", Map.of("RejectDirectSend", false));
        }
        assertThat(h.ok(CONTOSO, "Get-MessageTraceV2", Map.of("FromIP", "127.0.0.51"))).isEmpty();
        Map<String, Object> connector = today("NoConnector again", "ConnectorReport");
        connector.put("ConnectorType", "NoConnector");
        JsonNode report = waitUntilDone(start(connector));
        String csv = new String(download(report.path("FileUrl").asText().replace("mx.gatehouse.test", "127.0.0.1"), h.operatorToken).body(),
                StandardCharsets.UTF_8);
        assertThat(csv).doesNotContain("127.0.0.51");

        JsonNode refusals = waitUntilDone(start(today("Refused", "Refusals")));
        assertThat(refusals.path("Rows").asLong()).isEqualTo(1);
        String refused = new String(download(refusals.path("FileUrl").asText().replace("mx.gatehouse.test", "127.0.0.1"), contosoToken).body(),
                StandardCharsets.UTF_8);
        assertThat(refused.lines().skip(1).toList()).singleElement().satisfies(r -> assertThat(r)
                .contains(",127.0.0.51,sender.example,No Tls,alice@contoso.com,bob@contoso.com,REJECT_DIRECT_SEND,", "5.7.68"));
    }

    @Test
    void eachReportTypeHasItsRowsAndACompressedFileIsAZip() throws Exception {
        Map<String, Object> trace = today("Bob's mail", "MessageTrace");
        trace.put("RecipientAddress", List.of("bob@contoso.com"));
        trace.put("CompressFile", true);
        JsonNode zipped = waitUntilDone(start(trace));
        HttpResponse<byte[]> zip = download(zipped.path("FileUrl").asText().replace("mx.gatehouse.test", "127.0.0.1"), contosoToken);
        assertThat(zip.headers().firstValue("Content-Type")).hasValue("application/zip");
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip.body()))) {
            assertThat(in.getNextEntry().getName()).endsWith(".csv");
            String csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(csv.lines().skip(1).count()).isEqualTo(3);
            assertThat(csv).contains(",CP-IP,Normal");
        }

        Map<String, Object> detail = today("Scanner detail", "MessageTraceDetail");
        detail.put("SenderAddress", List.of("scanner@contoso.com"));
        JsonNode d = waitUntilDone(start(detail));
        String events = new String(download(d.path("FileUrl").asText().replace("mx.gatehouse.test", "127.0.0.1"), contosoToken).body(),
                StandardCharsets.UTF_8);
        assertThat(events).contains(",Receive,,\"Message received from sender.example [127.0.0.60] without TLS, through inbound "
                + "connector 'CP-IP'.\",\"<root><MEP Name=\"\"ConnectorId\"\" String=\"\"CP-IP\"\" />");
        assertThat(events.lines().skip(1).filter(l -> l.contains(",Receive,")).count()).isEqualTo(1);
        assertThat(events.lines().skip(1).filter(l -> l.contains(",Deliver,")).count()).isEqualTo(1);
    }

    @Test
    void theTransportRuleReportNamesEachMatchedRuleAndTheActionsItTook() throws Exception {
        String guid = h.ok(CONTOSO, "New-TransportRule", Map.of("Name", "Tag invoices", "SubjectContainsWords", "tagged",
                "SetHeaderName", "X-Tag", "SetHeaderValue", "invoice", "PrependSubject", "[ext] ")).get(0).path("Guid").asText();
        try (var smtp = h.smtpFrom("127.0.0.60")) {
            assertThat(smtp.sendMessage("rules@contoso.com", List.of("alice@contoso.com"), "Subject: tagged invoice\r\n\r\nx\r\n"))
                    .startsWith("250");
        } finally {
            h.ok(CONTOSO, "Remove-TransportRule", Map.of("Identity", "Tag invoices"));
        }
        Map<String, Object> rules = today("Rules", "TransportRule");
        rules.put("TransportRule", List.of("TAG INVOICES"));
        JsonNode done = waitUntilDone(start(rules));
        String csv = new String(download(done.path("FileUrl").asText().replace("mx.gatehouse.test", "127.0.0.1"), contosoToken).body(),
                StandardCharsets.UTF_8);
        assertThat(csv.lines().skip(1).toList()).singleElement().satisfies(r -> assertThat(r)
                .contains(",rules@contoso.com,alice@contoso.com,tagged invoice,", ",Tag invoices," + guid + ",SetHeader;PrependSubject,Incoming"));
        Map<String, Object> other = today("Other rule", "TransportRule");
        other.put("TransportRule", List.of("Some other rule"));
        assertThat(waitUntilDone(start(other)).path("Rows").asLong()).isZero();
    }

    @Test
    void badRequestsAreRefusedNamingTheParameterAndStopOnlyStopsWaitingSearches() {
        LocalDate d = LocalDate.now(ZoneOffset.UTC);
        String old = SeedArticle.HISTORICAL_SEARCH_VERBATIM.replace("<start>", "07/01/2025").replace("<end>", "07/24/2025");
        Response tooOld = h.runScript(contosoToken, CONTOSO, old, true);
        assertThat(tooOld.body()).contains("-StartDate '2025-07-01T00:00:00Z' is too far back: historical search covers the last 90 days");
        assertThat(error(Map.of("ReportTitle", "x", "StartDate", d.toString(), "EndDate", d.minusDays(1).toString(), "ReportType", "MessageTrace")))
                .contains("-EndDate '", "must be later than -StartDate");
        Map<String, Object> spam = today("x", "SPAM");
        assertThat(error(spam)).contains("-ReportType 'SPAM' isn't available: Gatehouse has no spam filter");
        assertThat(error(today("x", "Bogus"))).contains("ReportType", "Bogus");
        assertThat(error(today("x", "MessageTrace"))).contains("-ReportType MessageTrace needs -MessageID, -SenderAddress or -RecipientAddress");
        Map<String, Object> foreign = today("x", "ConnectorReport");
        foreign.put("NotifyAddress", List.of("carol@fabrikam.com"));
        assertThat(error(foreign)).contains("-NotifyAddress 'carol@fabrikam.com' is not in one of the organization's accepted domains");
        Map<String, Object> many = today("x", "ConnectorReport");
        many.put("SenderAddress", java.util.Collections.nCopies(101, "a@contoso.com"));
        assertThat(error(many)).contains("-SenderAddress has 101 addresses; at most 100");
        Map<String, Object> wrongType = today("x", "MessageTrace");
        wrongType.put("ConnectorType", "NoConnector");
        wrongType.put("SenderAddress", List.of("a@contoso.com"));
        assertThat(error(wrongType)).contains("-ConnectorType 'NoConnector' applies to -ReportType ConnectorReport only");

        String done = waitUntilDone(start(today("finished", "ConnectorReport"))).path("JobId").asText();
        Response stop = h.invoke(contosoToken, CONTOSO, "Stop-HistoricalSearch", Map.of("JobId", done));
        assertThat(stop.status()).isEqualTo(400);
        assertThat(stop.errorMessage()).contains("is Done: only a search that is NotStarted can be stopped");
        assertThat(h.invoke(contosoToken, CONTOSO, "Stop-HistoricalSearch", Map.of("JobId", "nope")).errorMessage())
                .contains("-JobId 'nope' is not a GUID");
    }

    private static String error(Map<String, ?> params) {
        Response r = h.invoke(contosoToken, CONTOSO, "Start-HistoricalSearch", params);
        assertThat(r.status()).as("%s", r).isEqualTo(400);
        return r.errorMessage();
    }
}
