// Over real SMTP and real HTTP: after RejectDirectSend is switched on, Get-DirectSendReport -IncludeRefused shows who
// still gets through and who is now refused (and why), per sender IP and MAIL FROM domain, each tenant its own.
package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.admin.AdminHarness.Response;
import dev.gatehouse.attribution.RefusalLog;
import dev.gatehouse.it.RawSmtpClient;
import dev.gatehouse.store.TestDatabase;

class DirectSendReportRefusedCmdletTest {
    static AdminHarness h;
    static final String CONTOSO = "Contoso";
    static final String FABRIKAM = "Fabrikam";
    static final String SCANNER = "127.0.0.50";
    static final String PARTNER = "127.0.0.51";
    static final String RELAY = "127.0.0.52";
    static final String FABRIKAM_SENDER = "127.0.0.53";
    static final String BILLING = "127.0.0.54";
    static final String COPIER = "127.0.0.55";
    static final Map<String, Object> INCLUDE_REFUSED = Map.of("IncludeRefused", true);
    static Instant beforeRefusals;

    @BeforeAll
    static void start() throws Exception {
        h = new AdminHarness(TestDatabase.Kind.SQLITE);
        h.organization(CONTOSO, "contoso.com", "Alice", "Bob");
        h.ok(CONTOSO, "New-InboundConnector", Map.of("Name", "Billing gateway", "SenderDomains", "billing.example",
                "SenderIPAddresses", "127.0.0.70", "RestrictDomainsToIPAddresses", true));
        h.ok(CONTOSO, "New-InboundConnector", Map.of("Name", "Copier", "SenderDomains", "contoso.com", "SenderIPAddresses", COPIER,
                "RequireTls", true));
        h.organization(FABRIKAM, "fabrikam.com", "Carol");

        // RejectDirectSend off: the scanner's anonymous mail as contoso.com gets through (Direct Send)
        send(SCANNER, "scanner@contoso.com", List.of("bob@contoso.com"));
        send(SCANNER, "scanner@contoso.com", List.of("alice@contoso.com", "bob@contoso.com"));

        h.ok(CONTOSO, "Set-OrganizationConfig", Map.of("RejectDirectSend", true));
        beforeRefusals = Instant.now();
        // one transaction refused for two recipients within one second, and a second attempt a second later
        startOfASecond();
        assertThat(attempt(SCANNER, "scanner@contoso.com", List.of("bob@contoso.com", "alice@contoso.com")))
                .allMatch(r -> r.startsWith("550 5.7.68 "));
        startOfASecond();
        assertThat(attempt(SCANNER, "scanner@contoso.com", List.of("bob@contoso.com"))).allMatch(r -> r.startsWith("550 5.7.68 "));
        assertThat(attempt(PARTNER, "news@partner.example", List.of("nobody@contoso.com"))).allMatch(r -> r.startsWith("550 5.4.1 "));
        assertThat(attempt(BILLING, "invoices@billing.example", List.of("alice@contoso.com"))).allMatch(r -> r.startsWith("550 5.7.51 "));
        assertThat(attempt(COPIER, "copier@contoso.com", List.of("bob@contoso.com"))).allMatch(r -> r.startsWith("530 5.7.0 "));
        assertThat(attempt(RELAY, "scanner@contoso.com", List.of("someone@nowhere.example"))).allMatch(r -> r.startsWith("550 5.7.64 "));
        assertThat(attempt(FABRIKAM_SENDER, "z@other.example", List.of("nobody@fabrikam.com"))).allMatch(r -> r.startsWith("550 5.4.1 "));

        // the refusal log is written without delaying the replies: wait until every row is in
        await().atMost(Duration.ofSeconds(30)).until(() -> refusedRecipients(CONTOSO) == 6 && refusedRecipients(FABRIKAM) == 1
                && !new RefusalLog(h.gateway.store()).listUnowned(beforeRefusals, Instant.now().plusSeconds(1), 10).isEmpty());
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    private static void send(String ip, String mailFrom, List<String> rcpts) throws IOException {
        try (var smtp = h.smtpFrom(ip)) {
            assertThat(smtp.sendMessage(mailFrom, rcpts, "From: " + mailFrom + "\r\nSubject: scan\r\n\r\nscan\r\n")).startsWith("250");
        }
    }

    /** MAIL FROM and RCPT TOs, no DATA; the RCPT replies. */
    private static List<String> attempt(String ip, String mailFrom, List<String> rcpts) throws IOException {
        try (var smtp = h.smtpFrom(ip)) {
            RawSmtpClient.expect(smtp.cmd("MAIL FROM:<" + mailFrom + ">"), "250");
            List<String> replies = new ArrayList<>();
            for (String r : rcpts) replies.add(smtp.cmd("RCPT TO:<" + r + ">"));
            smtp.cmd("QUIT");
            return replies;
        }
    }

    /** Waits for the next whole second, so what follows within a few milliseconds shares one second. */
    private static void startOfASecond() throws InterruptedException {
        Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 20);
    }

    private static int refusedRecipients(String tenant) {
        int n = 0;
        for (JsonNode r : h.ok(tenant, "Get-DirectSendReport", INCLUDE_REFUSED)) {
            if (!"Accepted".equals(r.path("Outcome").asText())) n += r.path("RecipientCount").asInt();
        }
        return n;
    }

    private static List<String> rows(JsonNode rows) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : rows) {
            out.add(String.join(" | ", r.path("SenderIP").asText(), r.path("MailFromDomain").asText(), r.path("Outcome").asText(),
                    r.path("MessageCount").asText() + " msg", r.path("RecipientCount").asText() + " rcpt", r.path("SampleSender").asText(),
                    r.path("SampleRecipient").asText()));
        }
        return out;
    }

    private static List<String> names(JsonNode row) {
        List<String> names = new ArrayList<>();
        row.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void includeRefusedShowsWhoGetsThroughBesideWhoIsRefusedAndWhy() {
        JsonNode report = h.ok(CONTOSO, "Get-DirectSendReport", INCLUDE_REFUSED);
        assertThat(rows(report)).containsExactly(
                SCANNER + " | contoso.com | Accepted | 2 msg | 3 rcpt | scanner@contoso.com | bob@contoso.com",
                SCANNER + " | contoso.com | Refused 5.7.68 (RejectDirectSend) | 2 msg | 3 rcpt | scanner@contoso.com | alice@contoso.com",
                PARTNER + " | partner.example | Refused 5.4.1 (no such recipient) | 1 msg | 1 rcpt | news@partner.example | nobody@contoso.com",
                BILLING + " | billing.example | Refused 5.7.51 (connector restriction) | 1 msg | 1 rcpt | invoices@billing.example | alice@contoso.com",
                COPIER + " | contoso.com | Refused 530 5.7.0 (RequireTls) | 1 msg | 1 rcpt | copier@contoso.com | bob@contoso.com");
        assertThat(names(report.get(0))).containsExactly("SenderIP", "MailFromDomain", "Outcome", "MessageCount", "RecipientCount",
                "FirstSeen", "LastSeen", "SampleSender", "SampleRecipient");
        Instant acceptedLast = Instant.parse(report.get(0).path("LastSeen").asText());
        Instant refusedFirst = Instant.parse(report.get(1).path("FirstSeen").asText());
        Instant refusedLast = Instant.parse(report.get(1).path("LastSeen").asText());
        assertThat(refusedFirst).isAfter(acceptedLast).isAfterOrEqualTo(beforeRefusals.minusMillis(1));
        // the two attempts fell in two seconds: MessageCount 2 for three refused recipients
        assertThat(refusedLast.getEpochSecond()).isGreaterThan(refusedFirst.getEpochSecond());
    }

    @Test
    void withoutTheSwitchTheReportIsTheAcceptedOneWithItsOutcome() {
        JsonNode report = h.ok(CONTOSO, "Get-DirectSendReport", Map.of());
        assertThat(report.size()).isEqualTo(1);
        assertThat(names(report.get(0))).containsExactly("SenderIP", "MailFromDomain", "Outcome", "MessageCount", "RecipientCount",
                "FirstSeen", "LastSeen", "SampleSender");
        assertThat(report.get(0).path("Outcome").asText()).isEqualTo("Accepted");
        assertThat(report.get(0).path("SenderIP").asText()).isEqualTo(SCANNER);
        assertThat(report.get(0).path("MessageCount").asInt()).isEqualTo(2);
        assertThat(report.get(0).path("RecipientCount").asInt()).isEqualTo(3);
    }

    @Test
    void anotherTenantSeesNoneOfItAndOnlyItsOwnRefusals() {
        assertThat(rows(h.ok(FABRIKAM, "Get-DirectSendReport", INCLUDE_REFUSED))).containsExactly(
                FABRIKAM_SENDER + " | other.example | Refused 5.4.1 (no such recipient) | 1 msg | 1 rcpt | z@other.example | nobody@fabrikam.com");
        assertThat(h.ok(FABRIKAM, "Get-DirectSendReport", Map.of())).isEmpty();
        assertThat(rows(h.ok(CONTOSO, "Get-DirectSendReport", INCLUDE_REFUSED))).noneMatch(r -> r.contains(FABRIKAM_SENDER));
    }

    @Test
    void relayRefusalsBelongToNoTenantAndAppearInNoReport() {
        List<RefusalLog.Refusal> unowned = new RefusalLog(h.gateway.store()).listUnowned(beforeRefusals, Instant.now().plusSeconds(1), 10);
        assertThat(unowned).singleElement().satisfies(r -> {
            assertThat(r.clientIp()).isEqualTo(RELAY);
            assertThat(r.recipient()).isEqualTo("someone@nowhere.example");
        });
        for (String tenant : List.of(CONTOSO, FABRIKAM)) {
            assertThat(rows(h.ok(tenant, "Get-DirectSendReport", INCLUDE_REFUSED))).as(tenant)
                    .noneMatch(r -> r.contains(RELAY) || r.contains("nowhere.example") || r.contains("5.7.64"));
        }
    }

    @Test
    void theWindowAppliesToRefusalsToo() {
        String end = beforeRefusals.minusMillis(1).toString();
        JsonNode before = h.ok(CONTOSO, "Get-DirectSendReport", Map.of("EndDate", end, "IncludeRefused", true));
        assertThat(rows(before)).singleElement().satisfies(r -> assertThat(r).contains("| Accepted |"));
        JsonNode after = h.ok(CONTOSO, "Get-DirectSendReport", Map.of("StartDate", beforeRefusals.toString(), "IncludeRefused", true));
        assertThat(rows(after)).hasSize(4).noneMatch(r -> r.contains("| Accepted |"));
    }

    @Test
    void anAdminReadsItAtAGlanceInTheShell() {
        Response r = h.runScript(h.operatorToken, CONTOSO, "Get-DirectSendReport -IncludeRefused | Format-Table "
                + "Outcome,SenderIP,SampleSender,SampleRecipient,MessageCount,RecipientCount -AutoSize", false);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        String text = r.json().path("Output").asText();
        assertThat(text.lines().map(String::strip).toList()).contains(
                "Accepted                               127.0.0.50 scanner@contoso.com      bob@contoso.com               2              3",
                "Refused 5.7.68 (RejectDirectSend)      127.0.0.50 scanner@contoso.com      alice@contoso.com             2              3",
                "Refused 5.7.51 (connector restriction) 127.0.0.54 invoices@billing.example alice@contoso.com             1              1");
    }
}
