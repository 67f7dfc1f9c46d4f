// Over real SMTP and real HTTP: mail sent to an in-process gateway is found by Get-MessageTraceV2 and followed to
// its events by Get-MessageTraceDetailV2, with the connector and the rule named, each tenant seeing its own copies.
package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.admin.AdminHarness.Response;
import dev.gatehouse.store.TestDatabase;

class MessageTraceCmdletsTest {
    static AdminHarness h;
    static final String CONTOSO = "Contoso";
    static final String FABRIKAM = "Fabrikam";
    static final String DIRECT = "127.0.0.50";
    static final String SCANNER = "127.0.0.60";
    static String directSendId;
    static String scannerId;
    static String quarantinedId;

    @BeforeAll
    static void start() throws Exception {
        h = new AdminHarness(TestDatabase.Kind.SQLITE);
        h.organization(CONTOSO, "contoso.com", "Alice", "Bob");
        h.ok(CONTOSO, "New-InboundConnector", Map.of("Name", "CP-IP", "ConnectorType", "Partner", "SenderDomains", "*",
                "SenderIPAddresses", SCANNER));
        h.ok(CONTOSO, "New-TransportRule", Map.of("Name", "Quarantine held mail", "SubjectContainsWords", "held", "Quarantine", true));
        h.organization(FABRIKAM, "fabrikam.com", "Carol");

        send(DIRECT, "alice@contoso.com", List.of("bob@contoso.com"), "Monthly report", "<report-1@contoso.com>");
        send(SCANNER, "scanner@contoso.com", List.of("bob@contoso.com"), "Scanned document", "<scan-7@contoso.com>");
        send(DIRECT, "news@partner.example", List.of("alice@contoso.com", "bob@contoso.com", "carol@fabrikam.com"),
                "Invoice held for review", "<held-3@partner.example>");
        directSendId = one(trace(CONTOSO, Map.of("MessageId", "report-1@contoso.com"))).path("MessageTraceId").asText();
        scannerId = one(trace(CONTOSO, Map.of("MessageId", "<scan-7@contoso.com>"))).path("MessageTraceId").asText();
        quarantinedId = trace(CONTOSO, Map.of("Subject", "held")).get(0).path("MessageTraceId").asText();
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    private static void send(String from, String mailFrom, List<String> rcpts, String subject, String messageId) throws Exception {
        try (var smtp = h.smtpFrom(from)) {
            String reply = smtp.sendMessage(mailFrom, rcpts, "From: " + mailFrom + "\r\nSubject: " + subject + "\r\nMessage-ID: " + messageId
                    + "\r\n\r\nbody\r\n");
            assertThat(reply).startsWith("250");
        }
        Thread.sleep(5); // distinct receive times, so "newest first" has one answer
    }

    private static JsonNode trace(String tenant, Map<String, ?> params) {
        return h.ok(tenant, "Get-MessageTraceV2", params);
    }

    private static JsonNode detail(String tenant, String id, String recipient) {
        return h.ok(tenant, "Get-MessageTraceDetailV2", Map.of("MessageTraceId", id, "RecipientAddress", recipient));
    }

    private static JsonNode one(JsonNode rows) {
        assertThat(rows.size()).as("%s", rows).isEqualTo(1);
        return rows.get(0);
    }

    private static List<String> column(JsonNode rows, String name) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.path(name).asText()));
        return out;
    }

    private static String error(String tenant, String cmdlet, Map<String, ?> params) {
        Response r = h.invoke(h.operatorToken, tenant, cmdlet, params);
        assertThat(r.status()).as("%s", r).isEqualTo(400);
        return r.errorMessage();
    }

    @Test
    void listsOneRowPerRecipientNewestFirstWithExchangesColumns() {
        JsonNode rows = trace(CONTOSO, Map.of());
        assertThat(column(rows, "RecipientAddress")).containsExactly("alice@contoso.com", "bob@contoso.com", "bob@contoso.com",
                "bob@contoso.com");
        assertThat(column(rows, "Subject")).containsExactly("Invoice held for review", "Invoice held for review", "Scanned document",
                "Monthly report");
        List<String> names = new ArrayList<>();
        rows.get(0).fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("Received", "SenderAddress", "RecipientAddress", "Subject", "Status", "ToIP", "FromIP", "Size",
                "MessageId", "MessageTraceId");
        JsonNode scan = rows.get(2);
        assertThat(scan.path("SenderAddress").asText()).isEqualTo("scanner@contoso.com");
        assertThat(scan.path("FromIP").asText()).isEqualTo(SCANNER);
        assertThat(scan.path("ToIP").isNull()).isTrue();
        assertThat(scan.path("MessageId").asText()).isEqualTo("<scan-7@contoso.com>");
        assertThat(scan.path("Size").asLong()).isGreaterThan(80);
        assertThat(column(rows, "Status").subList(0, 2)).containsOnly("Quarantined");
    }

    @Test
    void eachTenantSeesOnlyItsOwnRecipientsOfAMessageThatReachedBoth() {
        JsonNode rows = trace(FABRIKAM, Map.of());
        assertThat(column(rows, "RecipientAddress")).containsExactly("carol@fabrikam.com");
        assertThat(rows.get(0).path("MessageTraceId").asText()).isEqualTo(quarantinedId);
        // Contoso's rule does not apply to Fabrikam's copy
        assertThat(rows.get(0).path("Status").asText()).isIn("Pending", "Delivered");
        assertThat(detail(FABRIKAM, scannerId, "bob@contoso.com")).isEmpty();
        assertThat(detail(FABRIKAM, quarantinedId, "bob@contoso.com")).isEmpty();
        assertThat(column(detail(FABRIKAM, quarantinedId, "carol@fabrikam.com"), "Event")).doesNotContain("Transport rule");
    }

    @Test
    void filtersBySenderWildcardIpStatusAndSubject() {
        assertThat(column(trace(CONTOSO, Map.of("SenderAddress", "SCANNER@contoso.com")), "MessageTraceId")).containsExactly(scannerId);
        assertThat(trace(CONTOSO, Map.of("SenderAddress", "*@CONTOSO.COM")).size()).isEqualTo(2);
        assertThat(trace(CONTOSO, Map.of("SenderAddress", List.of("nobody@contoso.com", "*@partner.example"))).size()).isEqualTo(2);
        assertThat(column(trace(CONTOSO, Map.of("FromIP", SCANNER)), "MessageTraceId")).containsExactly(scannerId);
        assertThat(column(trace(CONTOSO, Map.of("RecipientAddress", "Alice@Contoso.com")), "MessageTraceId")).containsExactly(quarantinedId);
        assertThat(column(trace(CONTOSO, Map.of("Status", "Quarantined")), "RecipientAddress"))
                .containsExactly("alice@contoso.com", "bob@contoso.com");
        assertThat(trace(CONTOSO, Map.of("Status", "FilteredAsSpam"))).isEmpty();
        assertThat(column(trace(CONTOSO, Map.of("Subject", "SCANNED")), "MessageTraceId")).containsExactly(scannerId);
        assertThat(column(trace(CONTOSO, Map.of("Subject", "report", "SubjectFilterType", "EndsWith")), "MessageTraceId"))
                .containsExactly(directSendId);
        assertThat(trace(CONTOSO, Map.of("Subject", "report", "SubjectFilterType", "StartsWith"))).isEmpty();
        assertThat(column(trace(CONTOSO, Map.of("MessageTraceId", directSendId.toUpperCase())), "Subject")).containsExactly("Monthly report");
    }

    @Test
    void resultSizeAndStartingRecipientAddressPageThroughEveryRowOnce() {
        List<String> seen = new ArrayList<>();
        JsonNode page = trace(CONTOSO, Map.of("ResultSize", 1));
        while (page.size() == 1) {
            JsonNode last = page.get(0);
            seen.add(last.path("MessageTraceId").asText() + " " + last.path("RecipientAddress").asText());
            page = trace(CONTOSO, Map.of("ResultSize", 1, "EndDate", last.path("Received").asText(),
                    "StartingRecipientAddress", last.path("RecipientAddress").asText()));
        }
        assertThat(seen).hasSize(4).doesNotHaveDuplicates();
        assertThat(seen.subList(0, 2)).containsExactly(quarantinedId + " alice@contoso.com", quarantinedId + " bob@contoso.com");

        JsonNode second = h.ok(CONTOSO, "Get-MessageTrace", Map.of("PageSize", 2, "Page", 2));
        assertThat(column(second, "MessageTraceId")).containsExactly(scannerId, directSendId);
    }

    @Test
    void detailNamesTheConnectorOrItsAbsenceInTheReceiveEvent() {
        JsonNode scan = detail(CONTOSO, scannerId, "bob@contoso.com");
        JsonNode receive = scan.get(0);
        assertThat(receive.path("Event").asText()).isEqualTo("Receive");
        assertThat(receive.path("Detail").asText()).isEqualTo("Message received from sender.example [" + SCANNER + "] without TLS, "
                + "through inbound connector 'CP-IP'.");
        assertThat(receive.path("Data").asText()).contains("<MEP Name=\"ConnectorId\" String=\"CP-IP\" />",
                "<MEP Name=\"ClientIP\" String=\"" + SCANNER + "\" />", "<MEP Name=\"MailFrom\" String=\"scanner@contoso.com\" />");
        assertThat(receive.path("MessageId").asText()).isEqualTo("<scan-7@contoso.com>");
        assertThat(receive.path("MessageTraceId").asText()).isEqualTo(scannerId);
        List<String> names = new ArrayList<>();
        receive.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("Date", "Event", "Action", "Detail", "Data", "MessageId", "MessageTraceId");

        assertThat(detail(CONTOSO, directSendId, "BOB@contoso.com").get(0).path("Detail").asText())
                .endsWith("without TLS, through no connector (Direct Send).");
    }

    @Test
    void detailNamesTheRuleThatQuarantinedTheMessage() throws Exception {
        String ruleGuid = h.ok(CONTOSO, "Get-TransportRule", Map.of("Identity", "Quarantine held mail")).get(0).path("Guid").asText();
        JsonNode events = detail(CONTOSO, quarantinedId, "alice@contoso.com");
        assertThat(column(events, "Event")).startsWith("Receive").contains("Transport rule", "Deliver");
        assertThat(column(events, "Detail")).contains("Transport rule: 'Quarantine held mail', ID: ('" + ruleGuid
                + "'), DLP policy: '', ID: (00000000-0000-0000-0000-000000000000).");
        assertThat(column(events, "Action")).contains("Quarantine");
        JsonNode onlyRules = h.ok(CONTOSO, "Get-MessageTraceDetailV2", Map.of("MessageTraceId", quarantinedId,
                "RecipientAddress", "alice@contoso.com", "Event", "transport rule"));
        assertThat(column(onlyRules, "Event")).isNotEmpty().containsOnly("Transport rule");
        assertThat(h.ok(CONTOSO, "Get-MessageTraceDetailV2", Map.of("MessageTraceId", quarantinedId, "RecipientAddress",
                "alice@contoso.com", "SenderAddress", "someone@else.example"))).isEmpty();
        assertThat(h.ok(CONTOSO, "Get-MessageTraceDetailV2", Map.of("MessageTraceId", quarantinedId, "RecipientAddress",
                "alice@contoso.com", "MessageId", "held-3@partner.example"))).isNotEmpty();
    }

    @Test
    void aTraceRowPipesIntoItsDetail() {
        Response r = h.runScript(h.operatorToken, CONTOSO, "Get-MessageTraceV2 -SenderAddress scanner@contoso.com | "
                + "Get-MessageTraceDetailV2 -Event Receive | Format-List", false);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.body()).as("%s", r).contains("through inbound connector 'CP-IP'");
    }

    @Test
    void deliveredCopiesTurnFromPendingToDelivered() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (trace(CONTOSO, Map.of("Status", "Delivered")).size() == 2) break;
            Thread.sleep(50);
        }
        assertThat(column(trace(CONTOSO, Map.of("Status", "Delivered")), "MessageTraceId")).containsExactly(scannerId, directSendId);
        assertThat(column(detail(CONTOSO, directSendId, "bob@contoso.com"), "Event")).containsExactly("Receive", "Deliver");
    }

    @Test
    void windowsAndValuesOutsideExchangesLimitsAreRefusedNamingTheParameter() {
        Instant now = Instant.now();
        assertThat(error(CONTOSO, "Get-MessageTraceV2", Map.of("StartDate", now.minus(Duration.ofDays(91)).toString(),
                "EndDate", now.minus(Duration.ofDays(85)).toString())))
                .contains("-StartDate '", "is too far back: message trace keeps 90 days");
        // only a start: the search covers the 10 days after it, which hold none of today's mail
        assertThat(trace(CONTOSO, Map.of("StartDate", now.minus(Duration.ofDays(12)).toString()))).isEmpty();
        assertThat(error(CONTOSO, "Get-MessageTraceV2", Map.of("StartDate", now.minus(Duration.ofDays(12)).toString(),
                "EndDate", now.toString()))).contains("-StartDate '", "-EndDate '", "more than 10 days apart");
        assertThat(error(CONTOSO, "Get-MessageTraceV2", Map.of("StartDate", "2026-01-02", "EndDate", "2026-01-01")))
                .contains("-EndDate '2026-01-01T00:00:00Z' is earlier than -StartDate '2026-01-02T00:00:00Z'");
        assertThat(error(CONTOSO, "Get-MessageTrace", Map.of("StartDate", now.minus(Duration.ofDays(11)).toString())))
                .contains("Get-MessageTrace searches the last 10 days");
        assertThat(error(CONTOSO, "Get-MessageTraceV2", Map.of("MessageTraceId", "not-a-guid")))
                .contains("-MessageTraceId 'not-a-guid' is not a GUID");
        assertThat(error(CONTOSO, "Get-MessageTraceV2", Map.of("ResultSize", 5001))).contains("ResultSize", "5001");
        assertThat(error(CONTOSO, "Get-MessageTraceV2", Map.of("Status", "Lost"))).contains("Status", "Lost");
        List<String> many = new ArrayList<>(Collections.nCopies(101, "a@contoso.com"));
        assertThat(error(CONTOSO, "Get-MessageTraceV2", Map.of("RecipientAddress", many)))
                .contains("-RecipientAddress has 101 values; at most 100 are allowed");
        assertThat(error(CONTOSO, "Get-MessageTraceDetailV2", Map.of("MessageTraceId", scannerId))).contains("RecipientAddress");
    }
}
