// AdminCentreStoryTest: an admin's afternoon in the admin centre, in one real browser against one running gateway:
// sign in, create a connector and a rule with the forms, mail arrives over SMTP, the rule's catch waits in the
// quarantine and is released, the trace tells its story, the article's KQL query finds the Direct Send, and the
// inbound report shows no-connector mail beside the new connector.
package dev.gatehouse.web.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.admin.HuntingFixture;
import dev.gatehouse.it.RawSmtpClient;
import dev.gatehouse.store.TestDatabase;

class AdminCentreStoryTest {
    static AdminHarness h;
    static Browser b;

    @BeforeAll static void start() throws Exception {
        Browser.assumeInstalled();
        h = new AdminHarness(TestDatabase.Kind.SQLITE);
        h.organization("Contoso", "contoso.com", "Alice", "Bob");
        b = new Browser(h.base);
    }

    @AfterAll static void stop() {
        if (b != null) b.close();
        if (h != null) h.close();
    }

    static String send(String ip, String from, String to, String subject, String messageId) throws IOException {
        try (RawSmtpClient smtp = h.smtpFrom(ip)) {
            return smtp.sendMessage(from, List.of(to), "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: "
                    + messageId + "\r\n\r\nHello from " + ip + "\r\n");
        }
    }

    static void submitForm() { b.find("form.mailflow button[type=submit]").click(); }

    @Test void fromSignInToReleaseTraceHuntAndReport() throws Exception {
        String token = h.adminToken("Contoso", "contoso-admin");
        b.signIn(token);

        // a partner connector for the scanner at 127.0.0.60, made with the form
        b.open("/mailflow/connectors/new");
        b.type("Name", "Office scanner");
        b.type("SenderDomains", "*");
        b.type("SenderIPAddresses", "127.0.0.60");
        submitForm();
        b.waitFor("#connectors");
        assertThat(b.find("#connectors tbody").getText()).contains("Office scanner", "127.0.0.60");

        // a rule that holds invoices in the quarantine, made with the form
        b.open("/mailflow/rules/new");
        b.type("Name", "Hold invoices");
        b.type("SubjectContainsWords", "invoice");
        WebElement quarantine = b.find("#Quarantine");
        if (!quarantine.isSelected()) quarantine.click();
        submitForm();
        b.waitFor("li.rule");
        assertThat(b.find("li.rule .words").getText()).contains("Deliver the message to the hosted quarantine");

        // mail over SMTP: the scanner through its connector, an invoice from the internet, Direct Send claiming contoso.com
        assertThat(send("127.0.0.60", "scanner@contoso.com", "alice@contoso.com", "Scan 12", "<scan-12@contoso.com>")).startsWith("250");
        assertThat(send("127.0.0.70", "billing@vendor.example", "alice@contoso.com", "Invoice 77", "<inv-77@vendor.example>")).startsWith("250");
        assertThat(send("127.0.0.71", "ceo@contoso.com", "bob@contoso.com", "Wire the money", "<ds-1@anywhere.example>")).startsWith("250");
        HuntingFixture.awaitHunting(h);

        // the invoice waits in the quarantine; released to Alice, it reaches her mailbox
        b.find("nav.side a[href='/quarantine']").click();
        b.waitFor("table.quarantine");
        assertThat(b.find("table.quarantine tbody").getText()).contains("Invoice 77", "billing@vendor.example")
                .doesNotContain("Scan 12", "Wire the money");
        b.shot("story-quarantine");
        b.find("table.quarantine td.subject a").click();
        assertThat(b.waitFor("#headers").getText()).contains("Subject: Invoice 77");
        b.find("#to-recipient").click();
        b.find("#release").click();
        assertThat(b.waitFor("p.notice").getText()).isEqualTo("Released to alice@contoso.com.");
        Path alice = h.db.dir().resolve("data").resolve("mail");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (var files = Files.walk(alice)) {
                return files.filter(Files::isRegularFile).filter(p -> p.toString().contains("alice@contoso.com")).anyMatch(p -> {
                    try {
                        return Files.readString(p).contains("Subject: Invoice 77");
                    } catch (IOException e) {
                        return false;
                    }
                });
            }
        });

        // "What happened to this message?": the invoice's trace, received then quarantined
        b.type("whathappened-q", "<inv-77@vendor.example>");
        b.find("form.whathappened button").click();
        // one message: its detail opens at once, with the quarantined original's events
        b.waitFor("table.events");
        assertThat(b.find("#message-facts").getText()).contains("Invoice 77", "billing@vendor.example");
        assertThat(b.find("table.events").getText()).contains("Hold invoices");
        b.shot("story-trace");

        // the article's KQL query, verbatim: the Direct Send and the invoice (no connector), not the scanner
        b.find("nav.side a[href='/hunting']").click();
        WebElement editor = b.waitFor("#query");
        editor.clear();
        editor.sendKeys(HuntingFixture.ARTICLE_QUERY);
        editor.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
        b.waitForText("#hunting-status", "rows in ");
        String table = b.find("#hunting-table tbody").getText();
        assertThat(table).contains("Wire the money", "ceo@contoso.com", "127.0.0.71").doesNotContain("Scan 12");
        b.shot("story-hunting");

        // the inbound report: no-connector mail beside the new connector
        b.find("nav.side a[href='/reports/inbound']").click();
        b.waitFor("figure.chart canvas");
        String details = b.find("main").getText();
        assertThat(details).contains("Inbound - No connector", "Inbound - Office scanner");
        b.assertNoConsoleErrors();
        b.shot("story-inbound-report");
    }
}
