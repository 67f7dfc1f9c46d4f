// Over real SMTP and real HTTP: Get-MailFlowSummary counts what an in-process gateway did with an organization's mail
// this week per outcome (delivered, quarantined and rejected by rules, refused at SMTP, ...), and its Direct Send panel;
// another organization's mail never counts.
package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.admin.AdminHarness.Response;
import dev.gatehouse.it.RawSmtpClient;
import dev.gatehouse.store.TestDatabase;

class MailFlowSummaryCmdletTest {
    static AdminHarness h;
    static final String CONTOSO = "Contoso";
    static final String FABRIKAM = "Fabrikam";
    static final String SCANNER = "127.0.0.50";
    static final String PARTNER = "127.0.0.51";
    static final List<String> OUTCOMES = List.of("Delivered", "Quarantined", "RejectedByRule", "RefusedAtSmtp", "Pending", "DeletedByRule",
            "Redirected", "Failed");
    static LocalDate firstDay;

    @BeforeAll
    static void start() throws Exception {
        firstDay = LocalDate.now(ZoneOffset.UTC);
        h = new AdminHarness(TestDatabase.Kind.SQLITE);
        h.organization(CONTOSO, "contoso.com", "Alice", "Bob");
        h.organization(FABRIKAM, "fabrikam.com", "Carol");
        script(CONTOSO, "New-TransportRule Hold -SubjectContainsWords hold-me -Quarantine $true");
        script(CONTOSO, "New-TransportRule Refuse -SubjectContainsWords refuse-me -RejectMessageReasonText 'Not accepted here'");
        script(CONTOSO, "New-TransportRule 'No invoices for Bob' -SentTo bob@contoso.com -SubjectContainsWords invoice "
                + "-RejectMessageReasonText 'Bob takes no invoices'");
        script(CONTOSO, "New-TransportRule Drop -SubjectContainsWords drop-me -DeleteMessage $true");

        // Direct Send while RejectDirectSend is off: the scanner's message to two recipients is delivered (2 copies)
        assertThat(send(SCANNER, "scanner@contoso.com", "scan", "alice@contoso.com", "bob@contoso.com")).startsWith("250");
        // quarantined by a rule (1), refused by a rule at DATA (1), refused for Bob and delivered to Alice (1 + 1), dropped (1)
        assertThat(send(PARTNER, "news@partner.example", "hold-me", "alice@contoso.com")).startsWith("250");
        assertThat(send(PARTNER, "news@partner.example", "refuse-me", "bob@contoso.com")).startsWith("550 5.7.1 Not accepted here");
        assertThat(send(PARTNER, "news@partner.example", "invoice 42", "alice@contoso.com", "bob@contoso.com")).startsWith("250");
        assertThat(send(PARTNER, "news@partner.example", "drop-me", "alice@contoso.com")).startsWith("250");
        // refused at SMTP: Direct Send once RejectDirectSend is on (5.7.68), and an unknown recipient (5.4.1)
        script(CONTOSO, "Set-OrganizationConfig -RejectDirectSend $true");
        assertThat(rcpt(SCANNER, "scanner@contoso.com", "alice@contoso.com")).startsWith("550 5.7.68 ");
        assertThat(rcpt(PARTNER, "news@partner.example", "nobody@contoso.com")).startsWith("550 5.4.1 ");
        // another organization's mail: delivered, and refused
        assertThat(send(PARTNER, "news@partner.example", "hold-me refuse-me drop-me", "carol@fabrikam.com")).startsWith("250");
        assertThat(rcpt(PARTNER, "news@partner.example", "nobody@fabrikam.com")).startsWith("550 5.4.1 ");

        // delivery and the refusal log finish after the replies
        await().atMost(Duration.ofSeconds(30)).until(() -> week(CONTOSO).get("Pending") == 0 && week(CONTOSO).get("RefusedAtSmtp") == 2
                && week(FABRIKAM).get("Pending") == 0 && week(FABRIKAM).get("RefusedAtSmtp") == 1);
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    static void script(String tenant, String text) {
        Response r = h.runScript(h.operatorToken, tenant, text, false);
        assertThat(r.status()).as("%s -> %s", text, r).isEqualTo(200);
        assertThat(r.json().path("Errors")).as("%s -> %s", text, r).isEmpty();
    }

    static String send(String ip, String mailFrom, String subject, String... rcpts) throws IOException {
        try (RawSmtpClient smtp = h.smtpFrom(ip)) {
            return smtp.sendMessage(mailFrom, List.of(rcpts), "From: " + mailFrom + "\r\nTo: " + String.join(", ", rcpts) + "\r\nSubject: "
                    + subject + "\r\n\r\nbody\r\n");
        }
    }

    /** MAIL FROM and one RCPT TO: the RCPT reply. */
    static String rcpt(String ip, String mailFrom, String rcpt) throws IOException {
        try (RawSmtpClient smtp = h.smtpFrom(ip)) {
            RawSmtpClient.expect(smtp.cmd("MAIL FROM:<" + mailFrom + ">"), "250");
            String reply = smtp.cmd("RCPT TO:<" + rcpt + ">");
            smtp.cmd("QUIT");
            return reply;
        }
    }

    /** Each outcome and Total summed over the seven days (the test may straddle a UTC midnight). */
    static Map<String, Long> week(String tenant) {
        Map<String, Long> sums = new java.util.LinkedHashMap<>();
        for (JsonNode day : h.ok(tenant, "Get-MailFlowSummary", Map.of())) {
            for (String o : OUTCOMES) sums.merge(o, day.path(o).asLong(), Long::sum);
            sums.merge("Total", day.path("Total").asLong(), Long::sum);
        }
        return sums;
    }

    @Test
    void eachRecipientCountsOnceUnderWhatBecameOfIt() {
        assertThat(week(CONTOSO)).containsExactly(Map.entry("Delivered", 3L), Map.entry("Quarantined", 1L), Map.entry("RejectedByRule", 2L),
                Map.entry("RefusedAtSmtp", 2L), Map.entry("Pending", 0L), Map.entry("DeletedByRule", 1L), Map.entry("Redirected", 0L),
                Map.entry("Failed", 0L), Map.entry("Total", 9L));
    }

    @Test
    void anotherOrganizationsMailNeverCounts() {
        // Contoso's rules don't apply to Fabrikam's mail, and each sees only its own refusals
        assertThat(week(FABRIKAM)).containsEntry("Delivered", 1L).containsEntry("RefusedAtSmtp", 1L).containsEntry("Total", 2L);
    }

    @Test
    void sevenUtcDaysOldestFirstTodayLast() {
        JsonNode days = h.ok(CONTOSO, "Get-MailFlowSummary", Map.of());
        assertThat(days).hasSize(7);
        List<LocalDate> dates = new ArrayList<>();
        days.forEach(d -> dates.add(LocalDate.ofInstant(java.time.Instant.parse(d.path("Date").asText()), ZoneOffset.UTC)));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(dates.getLast()).isEqualTo(today);
        for (int i = 1; i < 7; i++) assertThat(dates.get(i)).isEqualTo(dates.get(i - 1).plusDays(1));
        // everything happened today (or, across a midnight, since the day the test started)
        for (JsonNode d : days) {
            LocalDate date = LocalDate.ofInstant(java.time.Instant.parse(d.path("Date").asText()), ZoneOffset.UTC);
            if (date.isBefore(firstDay)) assertThat(d.path("Total").asLong()).as("%s", date).isZero();
        }
    }

    @Test
    void theDirectSendPanelSaysWhatGotThroughWhatWasRefusedAndThatTheSwitchIsOn() {
        JsonNode panel = h.ok(CONTOSO, "Get-MailFlowSummary", Map.of("DirectSend", true));
        assertThat(panel).hasSize(1);
        JsonNode p = panel.get(0);
        assertThat(p.path("RejectDirectSend").asBoolean()).isTrue();
        assertThat(p.path("RejectDirectSendHeaderFrom").asBoolean()).isFalse();
        assertThat(p.path("AcceptedMessages").asLong()).isEqualTo(1);
        assertThat(p.path("AcceptedRecipients").asLong()).isEqualTo(2);
        assertThat(p.path("RefusedMessages").asLong()).isEqualTo(1);
        assertThat(p.path("RefusedRecipients").asLong()).isEqualTo(1);
        assertThat(p.path("SourcesToConnect").asInt()).isEqualTo(1);
        assertThat(p.path("TopSources")).singleElement().satisfies(s -> assertThat(s.asText()).isEqualTo(SCANNER + " contoso.com: 1 messages"));

        JsonNode fabrikam = h.ok(FABRIKAM, "Get-MailFlowSummary", Map.of("DirectSend", true)).get(0);
        assertThat(fabrikam.path("RejectDirectSend").asBoolean()).isFalse();
        assertThat(fabrikam.path("AcceptedMessages").asLong()).isZero();
        assertThat(fabrikam.path("RefusedRecipients").asLong()).isZero();
        assertThat(fabrikam.path("TopSources")).isEmpty();
    }

    @Test
    void theShellShowsTheDaysAsATable() {
        Response r = h.runScript(h.operatorToken, CONTOSO,
                "Get-MailFlowSummary | Format-Table Delivered,Quarantined,RejectedByRule,RefusedAtSmtp,Pending,Total", false);
        assertThat(r.status()).isEqualTo(200);
        List<String> lines = r.json().path("Output").asText().lines().map(String::strip).toList();
        assertThat(lines.getFirst()).isEqualTo("Delivered Quarantined RejectedByRule RefusedAtSmtp Pending Total");
        assertThat(lines).hasSize(2 + 7);
    }
}
