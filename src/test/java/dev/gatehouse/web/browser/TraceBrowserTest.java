// TraceBrowserTest: message trace and historical searches in a real browser against a real gateway: the header's box finds
// a message sent over real SMTP and shows its events, the search form filters and pages, a hostile subject stays text, a
// historical search runs and its CSV downloads; another organization sees none of it.
package dev.gatehouse.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.support.ui.Select;

import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.store.TestDatabase;

class TraceBrowserTest {
    static AdminHarness h;
    static Browser b;
    static HostileMail.Admins admins;
    static String reportId;

    @BeforeAll static void start() throws Exception {
        Browser.assumeInstalled();
        h = new AdminHarness(TestDatabase.Kind.SQLITE);
        admins = HostileMail.organizations(h);
        HostileMail.send(h, "127.0.0.50", "scanner@contoso.com", List.of("bob@contoso.com"),
                HostileMail.plain("scanner@contoso.com", "bob@contoso.com", "Monthly report", "<report-1@contoso.com>", "See attached."));
        HostileMail.send(h, "127.0.0.50", "scanner@contoso.com", List.of("alice@contoso.com", "bob@contoso.com"),
                HostileMail.plain("scanner@contoso.com", "alice@contoso.com", "Weekly report", "<report-2@contoso.com>", "See attached."));
        HostileMail.send(h, "127.0.0.51", "x@partner.example", List.of("bob@contoso.com"), HostileMail.hostile("bob@contoso.com", "<xss@partner.example>"));
        reportId = h.ok("Contoso", "Get-MessageTraceV2", Map.of("MessageId", "<report-1@contoso.com>")).get(0).get("MessageTraceId").asText();
        b = new Browser(h.base);
    }

    @AfterAll static void stop() {
        if (b != null) b.close();
        if (h != null) h.close();
    }

    private static void signIn(String token) { HostileMail.signIn(b, token); }

    private static List<String> column(String css) { return HostileMail.texts(b, css); }

    /** The historical search list's row of the search with this title. */
    private static WebElement row(String title) {
        return b.driver.findElement(By.xpath("//div[@id='searches']//tr[td[1][normalize-space()='" + title + "']]"));
    }

    private static void ask(String q) {
        b.type("whathappened-q", q);
        b.find("form.whathappened button").click();
    }

    @Test void theHeadersBoxOpensTheMessageAndItsEvents() {
        signIn(admins.contoso());
        ask("report-1@contoso.com"); // a Message-ID without its brackets: the one message opens directly
        b.waitFor("table.events");
        assertThat(b.driver.getCurrentUrl()).contains("/trace/" + reportId + "?recipient=bob%40contoso.com");
        assertThat(b.find("#message-facts").getText()).contains("Monthly report", "scanner@contoso.com", "<report-1@contoso.com>",
                "127.0.0.50", reportId);
        assertThat(b.find("#trace-status").getText()).isEqualTo("Delivered");
        assertThat(column("table.events tr.event td:nth-child(2)")).containsExactly("Receive", "Deliver");
        assertThat(b.find("table.events tr.event").getText()).contains("Message received from sender.example [127.0.0.50]");
        b.find("table.events summary").click();
        assertThat(b.find("table.events details pre").getText()).contains("<MEP Name=\"ClientIP\" String=\"127.0.0.50\" />");
        b.shot("trace-detail");
        b.assertNoConsoleErrors();

        ask("<report-2@contoso.com>"); // one message to two recipients: it opens, with the way to each recipient's events
        b.waitFor("nav.recipients");
        assertThat(column("nav.recipients a")).containsExactlyInAnyOrder("alice@contoso.com", "bob@contoso.com");
        String other = b.find("nav.recipients a:not([aria-current])").getText();
        b.find("nav.recipients a:not([aria-current])").click();
        b.waitForText("#events-h", "Events for " + other);
        assertThat(b.find("nav.recipients a[aria-current=page]").getText()).isEqualTo(other);

        ask("scanner@contoso.com"); // no message has that Message-ID: the sender's mail
        assertThat(b.waitFor("p.searched").getText()).contains("as a sender");
        assertThat(column("table.trace td.subject")).containsExactlyInAnyOrder("Weekly report", "Weekly report", "Monthly report");
        b.assertNoConsoleErrors();
    }

    @Test void theSearchFiltersByStatusAndPagesOnAsTheCmdletSays() {
        signIn(admins.contoso());
        b.find("nav.side a[href='/trace']").click();
        b.waitFor("table.trace");
        assertThat(b.all("table.trace tbody tr")).hasSize(4);
        b.find("#status-Quarantined").click();
        b.find("form.filters button[type=submit]").click();
        b.waitForText("table.trace tbody", "Quarantined");
        assertThat(column("table.trace td.subject")).containsExactly(HostileMail.SUBJECT);
        b.find("#status-Quarantined").click();
        b.type("f-SenderAddress", "scanner@contoso.com");
        new Select(b.find("#f-ResultSize")).selectByVisibleText("50");
        b.find("form.filters button[type=submit]").click();
        b.waitForText("table.trace tbody", "Monthly report");
        b.shot("trace-search");
        b.assertNoConsoleErrors();

        // a page of one row at a time: each next page continues after the last row shown, and ends
        b.open("/trace?SenderAddress=scanner%40contoso.com&ResultSize=1");
        List<String> seen = new java.util.ArrayList<>(column("table.trace td.addr:nth-child(3)"));
        for (int i = 0; i < 2; i++) {
            b.find("a[rel=next]").click();
            b.waitFor("a[href^='/trace?'][href*='ResultSize=1']");
            seen.addAll(column("table.trace td.addr:nth-child(3)"));
        }
        assertThat(seen).containsExactlyInAnyOrder("alice@contoso.com", "bob@contoso.com", "bob@contoso.com");
        b.find("a[rel=next]").click();
        assertThat(b.waitFor("p.empty").getText()).isEqualTo("No more messages.");
        b.assertNoConsoleErrors();
    }

    @Test void theCmdletsRefusalShowsNextToTheFieldItNames() {
        signIn(admins.contoso());
        String longAgo = Instant.now().minus(95, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MINUTES).toString().replace(":00Z", "");
        b.open("/trace?StartDate=" + longAgo);
        WebElement error = b.waitFor("#f-StartDate-error");
        assertThat(error.getText()).startsWith("-StartDate '").contains("is too far back: message trace keeps 90 days");
        assertThat(b.find("#f-StartDate").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(b.find("#f-StartDate").getAttribute("aria-describedby")).isEqualTo("f-StartDate-error");
        assertThat(b.consoleErrors()).singleElement().satisfies(e -> assertThat(e).contains("400"));
    }

    @Test void aHostileSubjectStaysTextOnTheSearchAndTheDetail() {
        signIn(admins.contoso());
        b.open("/trace?Status=Quarantined");
        assertThat(column("table.trace td.subject")).containsExactly(HostileMail.SUBJECT);
        HostileMail.assertNothingRan(b);
        b.find("table.trace td.subject a").click();
        assertThat(b.waitFor("dd.subject").getText()).isEqualTo(HostileMail.SUBJECT);
        assertThat(b.find("#trace-status").getText()).isEqualTo("Quarantined");
        assertThat(column("table.events tr.event td:nth-child(3)")).contains("Quarantine");
        HostileMail.assertNothingRan(b);
        b.find("#message-facts a[href^='/quarantine']").click(); // and it is in quarantine
        b.waitForText("table.quarantine", HostileMail.SUBJECT);
        HostileMail.assertNothingRan(b);
    }

    @Test void aHistoricalSearchRunsWhileThePageWatchesAndItsReportDownloads() throws Exception {
        // the list polls every 5 s while a search runs; the search is done well within a second, so here the page's
        // 5 s timer fires after 0.2 s instead of the test waiting out the interval
        try (var _ = b.shortenTimers(5000, 200)) {
            signIn(admins.contoso());
            b.open("/trace/searches");
            b.type("f-ReportTitle", "Scanner mail");
            new Select(b.find("#f-ReportType")).selectByVisibleText("MessageTrace");
            b.find("form.start button[type=submit]").click(); // MessageTrace needs an address or a Message-ID
            assertThat(b.waitFor("#f-ReportType-error").getText()).isEqualTo("-ReportType MessageTrace needs -MessageID, -SenderAddress or -RecipientAddress.");
            assertThat(b.find("#f-ReportTitle").getAttribute("value")).isEqualTo("Scanner mail");
            b.consoleErrors(); // the 400 of that refusal
            b.type("f-SenderAddress", "scanner@contoso.com");
            b.find("form.start button[type=submit]").click();
            assertThat(b.waitFor("p.notice").getText()).contains("The search 'Scanner mail' has started");
            // the table fetches itself until the search is done: no reload
            new WebDriverWait(b.driver, Duration.ofSeconds(30)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> row("Scanner mail").getText().contains("Done")); // a poll may swap the row while it is read
            WebElement download = row("Scanner mail").findElement(By.cssSelector("a[href$='/report']"));
            assertThat(download.getText()).isEqualTo("Download CSV");
            b.shot("trace-searches");
            b.assertNoConsoleErrors();
            assertThat(b.find("#searches").getAttribute("hx-trigger")).as("polling stops when nothing runs").isNull();

            HttpResponse<byte[]> csv = HostileMail.Session.of(b).get(download.getAttribute("href").replace(b.base, ""));
            assertThat(csv.statusCode()).isEqualTo(200);
            assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
            assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment; filename=\"Scanner_mail_");
            assertThat(new String(csv.body(), StandardCharsets.UTF_8)).contains("<report-1@contoso.com>", "<report-2@contoso.com>")
                    .doesNotContain("xss@partner.example");
        }
    }

    @Test void anotherOrganizationSeesNoneOfIt() throws Exception {
        String job = h.ok("Contoso", "Start-HistoricalSearch", Map.of("ReportTitle", "Theirs", "ReportType", "MessageTrace",
                "SenderAddress", List.of("scanner@contoso.com"), "StartDate", Instant.now().minus(1, ChronoUnit.DAYS).toString(),
                "EndDate", Instant.now().plus(1, ChronoUnit.DAYS).toString())).get(0).get("JobId").asText();
        signIn(admins.fabrikam());
        ask("report-1@contoso.com");
        assertThat(b.waitFor("p.empty").getText()).isEqualTo("No messages match.");
        b.open("/trace/" + reportId + "?recipient=bob%40contoso.com");
        assertThat(b.find("main").getText()).contains("couldn't be found").doesNotContain("Monthly report");
        b.open("/trace/" + reportId);
        assertThat(b.find("main").getText()).doesNotContain("Monthly report");
        b.open("/trace/searches");
        assertThat(b.find("#searches").getText()).doesNotContain("Theirs");
        var fabrikam = HostileMail.Session.of(b);
        assertThat(fabrikam.get("/trace/" + reportId + "?recipient=bob%40contoso.com").statusCode()).isEqualTo(404);
        assertThat(fabrikam.get("/trace/searches/" + job + "/report").statusCode()).isEqualTo(404);
        assertThat(fabrikam.post("/trace/searches/" + job + "/stop", "").statusCode()).isEqualTo(404);
    }
}
