// HomeBrowserTest: the home page after real mail over SMTP: today's copies by outcome, the 7-day table and chart,
// and the Direct Send panel (off, what would break; then on), never counting another organization's mail.
package dev.gatehouse.web.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.it.RawSmtpClient;
import dev.gatehouse.store.TestDatabase;

class HomeBrowserTest {
    static AdminHarness h;
    static Browser b;
    static String contosoToken;

    @BeforeAll static void start() throws Exception {
        Browser.assumeInstalled();
        h = new AdminHarness(TestDatabase.Kind.SQLITE);
        h.organization("Contoso", "contoso.com", "Alice", "Bob");
        h.organization("Fabrikam", "fabrikam.com", "Carol");
        h.runScript(h.operatorToken, "Contoso", "New-TransportRule Hold -SubjectContainsWords hold-me -Quarantine $true", false);
        h.runScript(h.operatorToken, "Contoso", "New-TransportRule Refuse -SubjectContainsWords refuse-me -RejectMessageReasonText 'Not here'", false);
        // Direct Send from a scanner (2 copies delivered), one quarantined, one refused by a rule; Fabrikam's own mail
        assertThat(send("127.0.0.50", "scanner@contoso.com", "scan", "alice@contoso.com", "bob@contoso.com")).startsWith("250");
        assertThat(send("127.0.0.51", "news@partner.example", "hold-me", "alice@contoso.com")).startsWith("250");
        assertThat(send("127.0.0.51", "news@partner.example", "refuse-me", "bob@contoso.com")).startsWith("550");
        for (int i = 0; i < 3; i++) assertThat(send("127.0.0.51", "news@partner.example", "hello", "carol@fabrikam.com")).startsWith("250");
        await().atMost(Duration.ofSeconds(30)).until(() -> h.ok("Contoso", "Get-MailFlowSummary", Map.of()).get(6).path("Pending").asLong() == 0
                && h.ok("Contoso", "Get-MailFlowSummary", Map.of()).get(6).path("Delivered").asLong() == 2);
        contosoToken = h.adminToken("Contoso", "contoso-admin");
        b = new Browser(h.base);
        b.signIn(contosoToken);
    }

    @AfterAll static void stop() {
        if (b != null) b.close();
        if (h != null) h.close();
    }

    static String send(String ip, String from, String subject, String... rcpts) throws IOException {
        try (RawSmtpClient smtp = h.smtpFrom(ip)) {
            return smtp.sendMessage(from, List.of(rcpts), "From: " + from + "\r\nTo: " + String.join(", ", rcpts) + "\r\nSubject: " + subject
                    + "\r\n\r\nbody\r\n");
        }
    }

    private static String today(String outcome) { return b.find("#today [data-outcome=" + outcome + "] .n").getText(); }

    @Test void todaysCopiesByOutcomeTheWeekAndItsChart() {
        b.open("/");
        assertThat(today("delivered")).isEqualTo("2");
        assertThat(today("quarantined")).isEqualTo("1");
        assertThat(today("rejected")).isEqualTo("1");
        assertThat(today("refused")).isEqualTo("0");
        assertThat(today("pending")).isEqualTo("0");
        assertThat(b.all("#week tbody tr")).hasSize(7);
        assertThat(b.find("#week tfoot").getText()).as("the week's total is Contoso's 4 copies, none of Fabrikam's 3").endsWith("4");
        b.waitFor("figure.chart canvas");
        b.assertNoConsoleErrors();
        b.shot("home");
    }

    @Test void theDirectSendPanelSaysWhatWouldBreakThenThatItIsOn() {
        b.open("/");
        assertThat(b.find("#rejectdirectsend").getText()).isEqualTo("Off");
        assertThat(b.find("#directsend-counts").getText()).contains("1 anonymous message(s) claiming your domains were accepted");
        assertThat(b.find("#directsend-break").getText()).contains("would refuse mail from 1 source(s)");
        assertThat(b.find("#directsend-sources tbody").getText()).contains("127.0.0.50", "contoso.com", "scanner@contoso.com");

        h.runScript(h.operatorToken, "Contoso", "Set-OrganizationConfig -RejectDirectSend $true", false);
        b.open("/");
        assertThat(b.find("#rejectdirectsend").getText()).isEqualTo("On");
        assertThat(b.all("#directsend-break")).isEmpty();
        h.runScript(h.operatorToken, "Contoso", "Set-OrganizationConfig -RejectDirectSend $false", false);
    }
}
