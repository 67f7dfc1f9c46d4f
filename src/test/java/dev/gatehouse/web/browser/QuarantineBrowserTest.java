// QuarantineBrowserTest: the quarantine pages in a real browser against a real gateway: mail a rule quarantined over real
// SMTP is listed, filtered, read as text only (a hostile message runs and loads nothing), released (and delivered),
// deleted and downloaded; another organization reaches none of it.
package dev.gatehouse.web.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.store.TestDatabase;

class QuarantineBrowserTest {
    static AdminHarness h;
    static Browser b;
    static HostileMail.Admins admins;

    @BeforeAll static void start() throws Exception {
        Browser.assumeInstalled();
        h = new AdminHarness(TestDatabase.Kind.SQLITE);
        admins = HostileMail.organizations(h);
        for (String s : List.of("Invoice 1 to release", "Invoice 2 to delete", "Invoice 3 to download", "Invoice 4 for Fabrikam to try",
                "Invoice 5 in bulk", "Invoice 6 in bulk")) {
            HostileMail.send(h, "127.0.0.50", "x@partner.example", List.of("bob@contoso.com"),
                    HostileMail.plain("x@partner.example", "bob@contoso.com", s, "<" + s.replace(' ', '-') + "@partner.example>",
                            "Please pay " + s + " by Friday."));
        }
        HostileMail.send(h, "127.0.0.50", "x@partner.example", List.of("bob@contoso.com"), HostileMail.hostile("bob@contoso.com", "<xss@partner.example>"));
        await().atMost(Duration.ofSeconds(20)).until(() -> h.ok("Contoso", "Get-QuarantineMessage", Map.of()).size() == 7);
        b = new Browser(h.base);
    }

    @AfterAll static void stop() {
        if (b != null) b.close();
        if (h != null) h.close();
    }

    private static void signIn(String token) { HostileMail.signIn(b, token); }

    private static String identity(String subject) {
        JsonNode rows = h.ok("Contoso", "Get-QuarantineMessage", Map.of("Subject", subject));
        assertThat(rows.size()).isEqualTo(1);
        return rows.get(0).get("Identity").asText();
    }

    private static String path(String identity) { return "/quarantine/" + identity.replace('\\', '/'); }

    private static List<String> column(String css) { return HostileMail.texts(b, css); }

    private static List<String> subjects() { return column("table.quarantine td.subject"); }

    @Test void theListShowsWhatTheRuleQuarantinedAndFiltersIt() {
        signIn(admins.contoso());
        b.find("nav.side a[href='/quarantine']").click();
        b.waitFor("table.quarantine");
        assertThat(subjects()).contains("Invoice 1 to release", "Invoice 3 to download", "Invoice 4 for Fabrikam to try", HostileMail.SUBJECT);
        assertThat(b.find("table.quarantine tbody tr").getText()).contains("x@partner.example", "bob@contoso.com", "Hold partner mail",
                "NOTRELEASED");
        b.shot("quarantine-list");
        HostileMail.assertNothingRan(b);

        b.type("f-Subject", "DOWNLOAD");
        b.find("form.filters button[type=submit]").click();
        b.waitForText("table.quarantine tbody", "Invoice 3 to download");
        assertThat(subjects()).containsExactly("Invoice 3 to download");
        assertThat(b.driver.getCurrentUrl()).contains("Subject=DOWNLOAD");
        b.type("f-Subject", "");
        b.type("f-SenderAddress", "nobody@partner.example");
        b.find("form.filters button[type=submit]").click();
        assertThat(b.waitFor("p.empty").getText()).isEqualTo("No quarantined messages match.");

        // the cmdlet's own refusal of a value it can't take, above the form (Page is the pager's, no field of it)
        b.open("/quarantine?Page=0");
        assertThat(b.find("form.filters p.error.summary").getText()).contains("Page", "0");
        b.consoleErrors(); // the 400 of that refusal
    }

    @Test void previewShowsHeadersAndTextAndReleaseDeliversIt() throws Exception {
        signIn(admins.contoso());
        b.open("/quarantine?Subject=release");
        b.find("table.quarantine td.subject a").click();
        assertThat(b.waitFor("#headers").getText()).contains("Subject: Invoice 1 to release", "From: x@partner.example",
                "Message-ID: <Invoice-1-to-release@partner.example>");
        assertThat(b.find("#body").getText()).isEqualTo("Please pay Invoice 1 to release by Friday.");
        assertThat(b.find("#release-status").getText()).isEqualTo("NOTRELEASED");
        b.shot("quarantine-preview");
        HostileMail.assertNothingRan(b);

        // to an address outside the organization: the cmdlet's refusal next to the field
        b.find("#to-others").click();
        b.type("f-User", "carol@fabrikam.com");
        b.find("#release").click();
        WebElement error = b.waitFor("#f-User-error");
        assertThat(error.getText()).contains("carol@fabrikam.com", "only to recipients of your organization");
        assertThat(b.find("#f-User").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(b.find("#f-User").getAttribute("aria-describedby")).contains("f-User-error");
        b.consoleErrors(); // the 400 of that refusal

        b.find("#to-recipient").click();
        b.find("#release").click();
        assertThat(b.waitFor("p.notice").getText()).isEqualTo("Released to bob@contoso.com.");
        assertThat(b.find("#release-status").getText()).isEqualTo("RELEASED");
        await().atMost(Duration.ofSeconds(20)).until(() -> HostileMail.delivered(h, "bob@contoso.com").stream()
                .anyMatch(m -> m.contains("Subject: Invoice 1 to release")));
        assertThat(HostileMail.delivered(h, "bob@contoso.com")).filteredOn(m -> m.contains("Invoice 1 to release")).singleElement()
                .satisfies(m -> assertThat(m).startsWith("X-Forefront-Antispam-Report: SFV:SKQ;"));

        // and to someone else of the organization as well
        b.find("#to-others").click();
        b.type("f-User", "alice@contoso.com");
        b.find("#release").click();
        assertThat(b.waitFor("p.notice").getText()).isEqualTo("Released to alice@contoso.com.");
        await().atMost(Duration.ofSeconds(20)).until(() -> HostileMail.delivered(h, "alice@contoso.com").stream()
                .anyMatch(m -> m.contains("Subject: Invoice 1 to release")));
        b.assertNoConsoleErrors();
    }

    @Test void deleteRemovesTheMessageForGood() {
        signIn(admins.contoso());
        String id = identity("Invoice 2 to delete");
        b.open(path(id));
        b.find("#delete").click();
        b.driver.switchTo().alert().accept(); // "Delete this message for good?"
        assertThat(b.waitFor("p.notice").getText()).isEqualTo("The message was deleted for good.");
        assertThat(subjects()).doesNotContain("Invoice 2 to delete");
        assertThat(h.ok("Contoso", "Get-QuarantineMessage", Map.of("Subject", "Invoice 2")).size()).isZero();
        b.open(path(id));
        assertThat(b.find("main").getText()).contains("couldn't be found");
        assertThat(b.consoleErrors()).singleElement().satisfies(e -> assertThat(e).contains("404"));
    }

    @Test void tickedMessagesAreReleasedAndDeletedTogether() throws Exception {
        signIn(admins.contoso());
        b.open("/quarantine?Subject=in+bulk");
        assertThat(subjects()).containsExactlyInAnyOrder("Invoice 5 in bulk", "Invoice 6 in bulk");
        b.all("table.quarantine input[name=Identities]").forEach(WebElement::click);
        b.find("button[value=release]").click();
        b.driver.switchTo().alert().accept();
        assertThat(b.waitFor("p.notice").getText()).isEqualTo("2 messages were released to their recipients.");
        assertThat(b.driver.getCurrentUrl()).contains("Subject=in+bulk");
        assertThat(column("table.quarantine span.badge")).containsExactly("RELEASED", "RELEASED");
        await().atMost(Duration.ofSeconds(20)).until(() -> HostileMail.delivered(h, "bob@contoso.com").stream()
                .filter(m -> m.contains("in bulk")).count() == 2);

        b.all("table.quarantine input[name=Identities]").forEach(WebElement::click);
        b.find("button[value=delete]").click();
        b.driver.switchTo().alert().accept();
        assertThat(b.waitFor("p.notice").getText()).isEqualTo("2 messages were deleted for good.");
        assertThat(b.find("p.empty").getText()).isEqualTo("No quarantined messages match.");
        b.assertNoConsoleErrors();
    }

    @Test void theOriginalDownloadsAsAnAttachmentNeverShown() throws Exception {
        signIn(admins.contoso());
        String id = identity("Invoice 3 to download");
        b.open(path(id));
        assertThat(b.find("#download").getAttribute("href")).endsWith(path(id) + "/original.eml");
        HttpResponse<byte[]> eml = HostileMail.Session.of(b).get(path(id) + "/original.eml");
        assertThat(eml.statusCode()).isEqualTo(200);
        assertThat(eml.headers().firstValue("Content-Type").orElse("")).startsWith("message/rfc822");
        assertThat(eml.headers().firstValue("Content-Disposition").orElse("")).isEqualTo("attachment; filename=\"" + id.substring(37) + ".eml\"");
        assertThat(eml.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(new String(eml.body(), StandardCharsets.ISO_8859_1)).contains("Subject: Invoice 3 to download", "Please pay Invoice 3");
    }

    @Test void aHostileMessageIsShownAsTextAndNothingInItRunsOrLoads() {
        signIn(admins.contoso());
        b.open("/quarantine");
        assertThat(subjects()).contains(HostileMail.SUBJECT);
        HostileMail.assertNothingRan(b);
        b.driver.findElement(By.linkText(HostileMail.SUBJECT)).click();
        assertThat(b.waitFor("#headers").getText()).contains("Subject: " + HostileMail.SUBJECT);
        assertThat(b.find("dd.subject").getText()).isEqualTo(HostileMail.SUBJECT);
        // both parts as text; the HTML part's link written out as its address, not a link
        assertThat(b.find("#body").getText()).contains("Log in at " + HostileMail.LINK + " today.", "Log in [" + HostileMail.LINK + "]")
                .doesNotContain("alert(3)");
        assertThat(b.all("main a[href*='phish.example']")).isEmpty();
        b.shot("quarantine-hostile");
        HostileMail.assertNothingRan(b);
    }

    @Test void anotherOrganizationCanNeitherSeeNorTouchIt() throws Exception {
        String id = identity("Invoice 4 for Fabrikam to try");
        signIn(admins.fabrikam());
        b.open("/quarantine");
        assertThat(b.find("p.empty").getText()).isEqualTo("No quarantined messages match.");
        b.open(path(id));
        assertThat(b.find("main").getText()).contains("couldn't be found").doesNotContain("Invoice 4");
        var fabrikam = HostileMail.Session.of(b);
        assertThat(fabrikam.get(path(id)).statusCode()).isEqualTo(404);
        assertThat(fabrikam.get(path(id) + "/original.eml").statusCode()).isEqualTo(404);
        assertThat(fabrikam.post(path(id) + "/release", "To=recipient").statusCode()).isEqualTo(404);
        assertThat(fabrikam.post(path(id) + "/delete", "").statusCode()).isEqualTo(404);
        fabrikam.post("/quarantine/selected", "action=delete&Identities=" + java.net.URLEncoder.encode(id, StandardCharsets.UTF_8));
        JsonNode still = h.ok("Contoso", "Get-QuarantineMessage", Map.of("Identity", id)).get(0);
        assertThat(still.get("ReleaseStatus").asText()).isEqualTo("NOTRELEASED");
        assertThat(HostileMail.delivered(h, "bob@contoso.com")).noneMatch(m -> m.contains("Invoice 4"));
    }
}
