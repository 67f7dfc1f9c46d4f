// InboundReportBrowserTest: Reports › Inbound messages in a real browser, over mail sent through real SMTP with and without connectors.
package dev.gatehouse.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.connector.SmtpTestClient;
import dev.gatehouse.connector.TestPki;
import dev.gatehouse.store.TestDatabase;

class InboundReportBrowserTest {
    static final String DIRECT = "127.0.0.50";
    static final String SCANNER = "127.0.0.60";
    static final String TLS_GATEWAY = "127.0.0.61";
    static final String NORTHWIND_GATEWAY = "127.0.0.62";
    static final String FABRIKAM_GATEWAY = "127.0.0.70";
    /** A connector name that would end the chart's script element, and needs quoting in CSV. */
    static final String HOSTILE = "</script><script>alert(\"x,1\")</script>";

    static AdminHarness h;
    static Browser b;
    static String contoso;
    static String fabrikam;
    static String northwind;
    static SSLContext tls;

    @BeforeAll static void start() throws Exception {
        Browser.assumeInstalled();
        h = new AdminHarness(TestDatabase.Kind.SQLITE);
        h.organization("Contoso", "contoso.com", "Alice", "Bob");
        h.organization("Fabrikam", "fabrikam.com", "Carol");
        h.organization("Northwind", "northwind.example", "Dave");
        h.ok("Contoso", "New-InboundConnector", Map.of("Name", "CP-IP", "ConnectorType", "Partner", "SenderDomains", "*",
                "SenderIPAddresses", SCANNER));
        h.ok("Contoso", "New-InboundConnector", Map.of("Name", "CP-TLS", "ConnectorType", "Partner", "SenderDomains", "*",
                "SenderIPAddresses", TLS_GATEWAY, "RequireTls", true));
        h.ok("Northwind", "New-InboundConnector", Map.of("Name", HOSTILE, "ConnectorType", "Partner", "SenderDomains", "*",
                "SenderIPAddresses", NORTHWIND_GATEWAY));
        h.ok("Fabrikam", "New-InboundConnector", Map.of("Name", "FAB-SECRET", "ConnectorType", "Partner", "SenderDomains", "*",
                "SenderIPAddresses", FABRIKAM_GATEWAY));
        contoso = h.adminToken("Contoso", "contoso-admin");
        fabrikam = h.adminToken("Fabrikam", "fabrikam-admin");
        northwind = h.adminToken("Northwind", "northwind-admin");
        tls = new TestPki("Report Test CA").issue("client.test").clientContext();

        // Contoso: Direct Send twice (one message also to Fabrikam, one over TLS), 3 through CP-IP, 1 through CP-TLS
        send(DIRECT, false, "news@partner.example", "alice@contoso.com", "bob@contoso.com", "carol@fabrikam.com");
        send(DIRECT, true, "news@partner.example", "bob@contoso.com");
        for (int i = 0; i < 3; i++) send(SCANNER, false, "scanner@contoso.com", "bob@contoso.com");
        send(TLS_GATEWAY, true, "relay@partner.example", "alice@contoso.com");
        send(NORTHWIND_GATEWAY, false, "relay@partner.example", "dave@northwind.example");
        // Fabrikam's own connector: never in Contoso's report
        for (int i = 0; i < 2; i++) send(FABRIKAM_GATEWAY, false, "gw@fabrikam-partner.example", "carol@fabrikam.com");
        b = new Browser(h.base);
    }

    @AfterAll static void stop() {
        if (b != null) b.close();
        if (h != null) h.close();
    }

    static void send(String ip, boolean startTls, String mailFrom, String... rcpts) throws Exception {
        try (SmtpTestClient c = new SmtpTestClient(ip, h.gateway.smtpPort())) {
            if (startTls) c.startTls(tls);
            SmtpTestClient.expect(c.cmd("MAIL FROM:<" + mailFrom + ">"), "250");
            for (String r : rcpts) SmtpTestClient.expect(c.cmd("RCPT TO:<" + r + ">"), "250");
            SmtpTestClient.expect(c.data("From: " + mailFrom + "\r\n"), "250");
        }
    }

    static void openAs(String token, String path) {
        b.driver.manage().deleteAllCookies();
        b.signIn(token);
        b.open(path);
        b.waitFor("#details-table");
    }

    /** The details table's Volume summed per connector (the mail of this test may straddle a UTC midnight). */
    static Map<String, Long> volumes() {
        Map<String, Long> out = new TreeMap<>();
        for (WebElement tr : b.all("#details-table tbody tr")) {
            List<WebElement> td = tr.findElements(By.tagName("td"));
            if (td.size() == 10) out.merge(td.get(1).getText(), Long.parseLong(td.get(9).getText()), Long::sum);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<String> legend(String chart) {
        return (List<String>) b.driver.executeScript("return JSON.parse(document.querySelector(arguments[0]).dataset.chart)"
                + ".series.map(function (s) { return s.label; })", chart);
    }

    static long chartTotal(String chart) {
        return ((Number) b.driver.executeScript("return JSON.parse(document.querySelector(arguments[0]).dataset.chart).series"
                + ".reduce(function (n, s) { return n + s.values.reduce(function (a, v) { return a + v; }, 0); }, 0)", chart)).longValue();
    }

    static void setDate(String id, LocalDate day) {
        b.driver.executeScript("document.getElementById(arguments[0]).value = arguments[1]", id, day.toString());
    }

    @Test void showsMailThroughNoConnectorAndEachConnectorWithItsVolumeAndTls() {
        openAs(contoso, "/reports/inbound");
        assertThat(b.find("nav.side a.current").getText()).isEqualTo("Inbound messages");
        assertThat(volumes()).containsExactly(Map.entry("Inbound - CP-IP", 3L), Map.entry("Inbound - CP-TLS", 1L),
                Map.entry("Inbound - No connector", 2L));
        assertThat(b.find("#total-volume").getText()).isEqualTo("6");
        assertThat(b.find("#total-noconnector").getText()).isEqualTo("2");
        assertThat(b.find("#total-notls").getText()).as("Direct Send once and CP-IP three times in plain text").isEqualTo("4");
        WebElement forced = b.driver.findElement(By.xpath("//table[@id='details-table']//tr[td[2]='Inbound - CP-TLS']"));
        assertThat(forced.findElements(By.tagName("td")).stream().map(WebElement::getText).toList().subList(2, 10))
                .as("type, Forced TLS?, No TLS, TLS 1.0-1.3, Volume").containsExactly("Partner", "Yes", "0", "0", "0", "0", "1", "1");

        b.waitFor("#volume-chart .uplot");
        b.waitFor("#tls-chart .uplot");
        assertThat(legend("#volume-chart")).containsExactly("No connector", "CP-IP", "CP-TLS");
        assertThat(chartTotal("#volume-chart")).isEqualTo(6);
        assertThat(legend("#tls-chart")).containsExactly("No TLS", "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3");
        assertThat(chartTotal("#tls-chart")).isEqualTo(6);
        b.assertNoConsoleErrors();
        b.shot("reports-inbound");
        b.driver.executeScript("document.getElementById('details').scrollIntoView()");
        b.shot("reports-inbound-details");
    }

    @Test void aConnectorNamedLikeMarkupIsShownChartedAndExportedExactlyAsNamed() throws Exception {
        openAs(northwind, "/reports/inbound");
        assertThat(volumes()).containsExactly(Map.entry("Inbound - " + HOSTILE, 1L));
        assertThat(b.all("script:not([src])")).as("the name started no script").isEmpty();
        b.waitFor("#volume-chart .uplot");
        assertThat(legend("#volume-chart")).containsExactly("No connector", HOSTILE);
        assertThat(b.find("#volume-chart .u-legend").getText()).contains(HOSTILE);
        assertThat(new Select(b.find("#ConnectorName")).getOptions()).extracting(WebElement::getText).contains(HOSTILE);
        b.assertNoConsoleErrors();

        List<String> csv = download(b.find("#export").getAttribute("href")).body().lines().toList();
        assertThat(csv).hasSize(2);
        assertThat(csv.get(1)).matches("\\d{4}-\\d\\d-\\d\\dT00:00:00Z,\"Inbound - </script><script>alert\\(\"\"x,1\"\"\\)</script>\",Partner,No,1,0,0,0,0,1");
    }

    @Test void changingGranularityConnectorSortAndRangeUpdatesThePageInPlace() {
        openAs(contoso, "/reports/inbound");
        b.driver.executeScript("window.stillTheSamePage = true");

        new Select(b.find("#Granularity")).selectByValue("Hour");
        b.waitForText("#details-table caption", "per hour");
        assertThat(b.all("#details-table tbody tr td:first-child")).allSatisfy(td -> assertThat(td.getText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:00"));
        assertThat(b.driver.getCurrentUrl()).contains("Granularity=Hour");

        new Select(b.find("#ConnectorName")).selectByVisibleText("CP-IP");
        b.waitForText("#total-volume", "3");
        assertThat(volumes()).containsOnlyKeys("Inbound - CP-IP");
        assertThat(legend("#volume-chart")).containsExactly("CP-IP");
        assertThat(b.waitFor("#volume-chart .u-legend").getText()).as("redrawn after the swap").contains("CP-IP").doesNotContain("No connector");

        new Select(b.find("#ConnectorName")).selectByVisibleText("All connectors");
        b.waitForText("#total-volume", "6");
        b.find("#details-table th:last-child a").click(); // Volume, largest first
        b.waitFor("#details-table th:last-child[aria-sort=descending]");
        List<Long> column = b.all("#details-table tbody td:last-child").stream().map(td -> Long.parseLong(td.getText())).toList();
        assertThat(column).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        setDate("StartDate", today.minusDays(40));
        setDate("EndDate", today.minusDays(10));
        b.find("#inbound-form button[type=submit]").click();
        b.waitForText("#details-table tbody", "No mail came in during this range.");
        assertThat(b.find("#total-volume").getText()).isEqualTo("0");
        b.driver.findElement(By.linkText("Last 90 days")).click();
        b.waitForText("#total-volume", "6");
        assertThat(b.find("#StartDate").getAttribute("value")).isEqualTo(today.minusDays(89).toString());
        assertThat(b.all("p.error")).as("the longest quick range is inside the 90 days").isEmpty();
        assertThat(b.driver.executeScript("return window.stillTheSamePage === true")).as("htmx swapped the report; no reload").isEqualTo(true);
        b.assertNoConsoleErrors();
    }

    @Test void anInvalidRangeShowsTheServicesMessageNextToTheFieldItNames() {
        openAs(contoso, "/reports/inbound");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        setDate("StartDate", today.minusDays(100));
        b.find("#inbound-form button[type=submit]").click();
        WebElement error = b.waitFor("#StartDate-error");
        assertThat(error.getText()).startsWith("-StartDate '" + today.minusDays(100) + "T00:00:00Z' is too far back: the report covers the last 90 days");
        assertThat(b.find("#StartDate").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(b.find("#StartDate").getAttribute("aria-describedby")).contains("StartDate-error");
        assertThat(b.all("#EndDate-error")).isEmpty();
        b.shot("reports-inbound-invalid");

        // the same without script: a plain GET, the end before the start
        b.open("/reports/inbound?StartDate=" + today.minusDays(2) + "&EndDate=" + today.minusDays(5));
        assertThat(b.waitFor("#EndDate-error").getText()).contains("must be later than -StartDate '" + today.minusDays(2) + "T00:00:00Z'");
        assertThat(b.all("#export")).as("nothing to export").isEmpty();
        b.assertNoConsoleErrors();
    }

    @Test void theCsvExportHoldsExactlyTheSearchedRows() throws Exception {
        openAs(contoso, "/reports/inbound");
        b.type("q", "cp-ip");
        b.waitForText("#rowcount", "matching");
        assertThat(volumes()).containsOnlyKeys("Inbound - CP-IP");
        int shown = b.all("#details-table tbody tr").size();

        HttpResponse<String> csv = download(b.find("#export").getAttribute("href"));
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment; filename=\"inbound-messages-");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("\uFEFFDate,Connector direction and name,Connector type,Forced TLS?,No TLS,TLS 1.0,TLS 1.1,"
                + "TLS 1.2,TLS 1.3,Volume");
        assertThat(lines).hasSize(1 + shown);
        assertThat(lines.subList(1, lines.size())).allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT00:00:00Z,Inbound - CP-IP,Partner,No,\\d+,0,0,0,0,\\d+"));
        assertThat(lines.subList(1, lines.size()).stream().mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(',') + 1))).sum()).isEqualTo(3);

        b.find("#q").sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        new WebDriverWait(b.driver, Duration.ofSeconds(15)).until(ExpectedConditions.not(
                ExpectedConditions.textToBePresentInElementLocated(By.id("rowcount"), "matching")));
        List<String> all = download(b.find("#export").getAttribute("href")).body().lines().toList();
        assertThat(all).hasSize(1 + b.all("#details-table tbody tr").size());
        assertThat(all.stream().skip(1).mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(',') + 1))).sum()).isEqualTo(6);
        assertThat(all).as("no connector has no type: a dash, not a formula-guarded '-")
                .anyMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT00:00:00Z,Inbound - No connector,-,No,\\d+,0,0,0,\\d+,\\d+"));
    }

    @Test void anotherOrganizationsConnectorAndMailNeverShow() throws Exception {
        openAs(contoso, "/reports/inbound");
        assertThat(b.driver.getPageSource()).doesNotContain("FAB-SECRET");
        assertThat(new Select(b.find("#ConnectorName")).getOptions()).noneMatch(o -> o.getText().contains("FAB"));
        b.open("/reports/inbound?ConnectorName=FAB-SECRET");
        b.waitForText("#details-table tbody", "No mail came in during this range.");
        assertThat(download("/reports/inbound.csv?ConnectorName=FAB-SECRET").body().lines()).hasSize(1);

        openAs(fabrikam, "/reports/inbound");
        assertThat(volumes()).containsExactly(Map.entry("Inbound - FAB-SECRET", 2L), Map.entry("Inbound - No connector", 1L));
        assertThat(b.driver.getPageSource()).doesNotContain("CP-IP");
        b.assertNoConsoleErrors();
    }

    /** GET {@code path} with the browser's session cookie, as a click on the export link would. */
    static HttpResponse<String> download(String path) throws Exception {
        String cookie = b.driver.manage().getCookieNamed("gatehouse_session").getValue();
        URI uri = URI.create(h.base).resolve(path);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).header("Cookie", "gatehouse_session=" + cookie).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
