// HuntingBrowserTest: the advanced hunting page in a real browser over real SMTP mail: the article's query, errors, charts, paging, CSV, escaping, recent queries, tenant scope.
package dev.gatehouse.web.browser;

import static dev.gatehouse.admin.ArticleScenarios.CONNECTOR_IP;
import static dev.gatehouse.admin.ArticleScenarios.CONTOSO;
import static dev.gatehouse.admin.ArticleScenarios.FABRIKAM;
import static dev.gatehouse.admin.ArticleScenarios.NO_CONNECTOR_IP;
import static dev.gatehouse.admin.ArticleScenarios.SCENARIO_1_SUBJECT;
import static dev.gatehouse.admin.ArticleScenarios.SCENARIO_3_SUBJECT;
import static dev.gatehouse.admin.ArticleScenarios.SCENARIO_7_SUBJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.admin.ArticleScenarios;
import dev.gatehouse.admin.HuntingFixture;
import dev.gatehouse.store.TestDatabase;

class HuntingBrowserTest {
    static final String SCRIPT_SUBJECT = "</script><script>alert(1)</script>";
    static final String FABRIKAM_SUBJECT = "Fabrikam's own 4242";
    /** 256 rows, N = 0 to 255 in order: 16 values crossed with themselves. */
    static final String ROWS_256 = "let d = datatable(n:long)[" + IntStream.range(0, 16).mapToObj(Integer::toString).collect(Collectors.joining(","))
            + "];\nd | extend k = 1 | join kind=inner (d | project k = 1, m = n) on k\n| project N = n * 16 + m | sort by N asc";

    static AdminHarness h;
    static ArticleScenarios scenarios;
    static Browser b;

    @BeforeAll static void start() throws Exception {
        Browser.assumeInstalled();
        h = new AdminHarness(TestDatabase.Kind.SQLITE);
        scenarios = ArticleScenarios.start(h);
        ArticleScenarios.toBob(h, CONNECTOR_IP, "scanner@contoso.com", "scanner@contoso.com", SCRIPT_SUBJECT, "<xss@x>");
        h.ok(FABRIKAM, "New-Mailbox", Map.of("Name", "carol", "PrimarySmtpAddress", "carol@fabrikam.com"));
        ArticleScenarios.send(h, NO_CONNECTOR_IP, "x@evil.example", "carol@fabrikam.com", "x@evil.example", FABRIKAM_SUBJECT, "<f1@x>");
        HuntingFixture.awaitHunting(h);
        b = new Browser(h.base);
    }

    @AfterAll static void stop() {
        if (b != null) b.close();
        if (h != null) h.close();
    }

    @BeforeEach void signInAsContoso() {
        b.driver.manage().deleteAllCookies();
        b.signIn(scenarios.contosoToken());
        b.open("/hunting");
        b.waitFor("#query");
        b.consoleErrors(); // drained: each test sees its own
    }

    /** Types the query into the editor and runs it with Ctrl+Enter, as a user would. */
    static void run(String query) {
        WebElement editor = b.find("#query");
        editor.clear();
        editor.sendKeys(query);
        editor.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
    }

    static void runAndWait(String query, String summary) {
        run(query);
        b.waitForText("#hunting-status", summary);
    }

    /** The texts of one column of the table, as shown, in one round trip to the browser. */
    @SuppressWarnings("unchecked")
    static List<String> column(String name) {
        List<String> cells = (List<String>) b.driver.executeScript("""
                const names = [...document.querySelectorAll('#hunting-table thead th .name')].map(e => e.textContent);
                const i = names.indexOf(arguments[0]);
                return i < 0 ? null : [...document.querySelectorAll('#hunting-table tbody tr')].map(tr => tr.cells[i].innerText);
                """, name);
        assertThat(cells).as("a column %s", name).isNotNull();
        return cells;
    }

    @Test void theArticlesQueryVerbatimShowsScenariosOneAndThreeButNotSeven() {
        runAndWait(HuntingFixture.ARTICLE_QUERY, "2 rows in ");
        assertThat(column("NetworkMessageId")).containsExactlyInAnyOrderElementsOf(scenarios.noConnector())
                .doesNotContain(scenarios.throughConnector());
        assertThat(column("Subject")).containsExactlyInAnyOrder(SCENARIO_1_SUBJECT, SCENARIO_3_SUBJECT);
        assertThat(column("Connectors")).containsOnly("");
        assertThat(b.all("#hunting-table thead th").stream().map(WebElement::getText).toList()).as("the schema: names and types")
                .startsWith("Timestamp\ndatetime", "RecipientEmailAddress\nstring").hasSize(9);
        assertThat(b.find("#hunting-table .range").getText()).isEqualTo("Rows 1\u20132 of 2");
        assertThat(b.all("figure.chart")).as("no datetime-and-count result: no chart").isEmpty();
        assertThat(b.find("#query").getAttribute("aria-invalid")).isNull();
        b.assertNoConsoleErrors();
        b.shot("hunting");
    }

    @Test void aQueryWithAnErrorShowsItsPositionNextToTheEditor() {
        run("EmailEvents\n| where Nope == 1");
        WebElement error = b.waitFor("#query-error .error");
        assertThat(error.getText()).startsWith("Failed to resolve scalar expression named 'Nope' at 2:9.");
        WebElement editor = b.find("#query");
        assertThat(editor.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(editor.getAttribute("aria-describedby")).contains("query-error");
        assertThat(b.all("#hunting-table")).as("no result for a refused query").isEmpty();
        b.find("#query-error button.goto").click();
        assertThat(b.driver.executeScript("return document.activeElement.id")).isEqualTo("query");
        assertThat(((Number) b.driver.executeScript("return document.getElementById('query').selectionStart")).intValue())
                .as("the caret at line 2, column 9: 'Nope'").isEqualTo("EmailEvents\n| where ".length());
        assertThat(b.consoleErrors()).as("the refused query's 400, and nothing else").allMatch(e -> e.contains("400"));
        b.shot("hunting-error");

        runAndWait("EmailEvents | count", "1 row in ");
        assertThat(b.find("#query-error").getText()).isEmpty();
        assertThat(b.find("#query").getAttribute("aria-invalid")).isNull();
    }

    @Test void aTimechartOfCountsPerHourIsDrawn() {
        runAndWait("EmailEvents\n| summarize count() by bin(Timestamp, 1h)\n| render timechart", " in ");
        b.waitFor("figure.chart canvas");
        assertThat(b.find("figure.chart figcaption").getText()).isEqualTo("count_ by Timestamp (render timechart).");
        // scenarios 1, 3 and 7 and the script subject, in one hour or two; no Fabrikam mail
        assertThat(column("count_").stream().mapToInt(Integer::parseInt).sum()).isEqualTo(4);
        b.assertNoConsoleErrors();
        b.driver.executeScript("window.scrollTo(0, document.querySelector('.hunting-summary').offsetTop - 420)");
        b.shot("hunting-chart");
    }

    @Test void pagingMovesToRowsOneHundredAndOneToTwoHundred() {
        runAndWait(ROWS_256, "256 rows in ");
        assertThat(b.find("#hunting-table .range").getText()).isEqualTo("Rows 1\u2013100 of 256");
        assertThat(column("N")).hasSize(100).startsWith("0").endsWith("99");
        b.find("#hunting-table a[data-pager=next]").click();
        b.waitForText("#hunting-table .range", "Rows 101\u2013200 of 256");
        assertThat(column("N")).hasSize(100).startsWith("100").endsWith("199");
        assertThat(b.driver.executeScript("return document.activeElement.dataset.pager")).as("the keyboard stays on Next").isEqualTo("next");
        b.shot("hunting-paging");
        b.find("#hunting-table a[data-pager=last]").click();
        b.waitForText("#hunting-table .range", "Rows 201\u2013256 of 256");
        assertThat(column("N")).hasSize(56).endsWith("255");
        b.assertNoConsoleErrors();
    }

    @Test void aResultOverThirtyThousandRowsIsCutThereAndSaysSo() {
        String d = "let d = datatable(n:long)[" + IntStream.range(0, 16).mapToObj(Integer::toString).collect(Collectors.joining(",")) + "];\n";
        String crossed = d + "d | extend k = 1 | join kind=inner (d | project k = 1, m = n) on k | join kind=inner (d | project k = 1, o = n) on k"
                + " | join kind=inner (d | project k = 1, p = n) on k | project N = ((n * 16 + m) * 16 + o) * 16 + p | sort by N asc";
        runAndWait(crossed, "30,000 rows in ");
        assertThat(b.find("#hunting-result .warning").getText()).startsWith("Truncated: the query matched more than 30,000 rows");
        b.find("#hunting-table a[data-pager=last]").click();
        b.waitForText("#hunting-table .range", "Rows 29,901\u201330,000 of 30,000");
        assertThat(column("N")).endsWith("29999");
        assertThat(b.find("#page-number").getAttribute("value")).isEqualTo("300");
        b.assertNoConsoleErrors();
    }

    @Test void theCsvExportHasEveryRowAndNoFormula() throws Exception {
        runAndWait(HuntingFixture.ARTICLE_QUERY + "\n| order by Subject asc", "2 rows in ");
        HttpResponse<String> csv = get(b.find("a[href^='/hunting/export.csv']").getAttribute("href"));
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
        assertThat(csv.headers().firstValue("Content-Disposition").orElseThrow()).matches("attachment; filename=\"hunting-\\d{8}-\\d{6}\\.csv\"");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("\uFEFFTimestamp,RecipientEmailAddress,SenderFromAddress,Subject,NetworkMessageId,"
                + "EmailDirection,Connectors,SenderIPv4,SenderIPv6");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).as("scenario 1's subject stays text in a spreadsheet")
                .contains(",bob@contoso.com,alice@contoso.com,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"pay\"\")\",")
                .contains(",Inbound,,127.0.0.50,");
        assertThat(lines.get(2)).contains(",Scenario 3,").doesNotContain(SCENARIO_7_SUBJECT);
        assertThat(String.join("\n", lines)).contains(scenarios.noConnector().get(0), scenarios.noConnector().get(1));
    }

    @Test void aSubjectWithScriptIsShownAsTextInTheTableAndTheChart() {
        runAndWait("EmailEvents | where Subject startswith '</script>' | project Subject, SenderIPv4", "1 row in ");
        assertThat(column("Subject")).containsExactly(SCRIPT_SUBJECT);
        assertThat(b.all("#hunting-result script")).isEmpty();
        assertThatThrownBy(() -> b.driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);

        // a series named by the subject: the chart's JSON holds it, and still parses and draws
        run("EmailEvents | summarize Messages = count() by bin(Timestamp, 1d), Subject | render columnchart");
        b.waitFor("figure.chart canvas");
        assertThat(b.find("figure.chart .u-legend").getText()).contains(SCRIPT_SUBJECT, SCENARIO_3_SUBJECT);
        assertThatThrownBy(() -> b.driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        b.assertNoConsoleErrors();
    }

    @Test void theRecentQueriesListKeepsTheLastQueryAfterAReload() {
        String query = "EmailEvents | summarize Messages = count() by SenderIPv4 // recent " + System.nanoTime();
        runAndWait(query, " in ");
        b.driver.navigate().refresh();
        WebElement newest = b.waitFor("#recent-queries li:first-child button");
        assertThat(newest.getAttribute("title")).isEqualTo(query);
        b.find("#query").clear();
        newest.click();
        assertThat(b.find("#query").getAttribute("value")).isEqualTo(query);
        assertThat(b.driver.executeScript("return document.activeElement.id")).isEqualTo("query");
    }

    @Test void anotherOrganizationsMailNeverAppears() {
        runAndWait("EmailEvents | project Subject, RecipientEmailAddress", "4 rows in ");
        assertThat(column("Subject")).contains(SCENARIO_3_SUBJECT).doesNotContain(FABRIKAM_SUBJECT);
        assertThat(b.driver.getPageSource()).doesNotContain("carol@fabrikam.com");

        // the operator, switched to Fabrikam, sees Fabrikam's mail only, and not Contoso's kept result
        b.driver.manage().deleteAllCookies();
        b.signIn(h.operatorToken);
        new Select(b.find("#tenant")).selectByVisibleText(FABRIKAM);
        b.find("main form button[type=submit]").click();
        b.waitForText("#organization", FABRIKAM); // the switch has landed (the page before had an #organization too)
        b.open("/hunting");
        runAndWait("EmailEvents | project Subject, RecipientEmailAddress", "1 row in ");
        assertThat(column("Subject")).containsExactly(FABRIKAM_SUBJECT);
        String fabrikamRun = b.find("a[href^='/hunting/export.csv']").getAttribute("href");
        b.driver.get(h.base + "/organization");
        new Select(b.find("#tenant")).selectByVisibleText(CONTOSO);
        b.find("main form button[type=submit]").click();
        b.waitForText("#organization", CONTOSO);
        b.driver.get(fabrikamRun);
        assertThat(b.find("#hunting-result .warning").getText()).startsWith("This result is no longer kept");
        assertThat(b.driver.getPageSource()).doesNotContain(FABRIKAM_SUBJECT);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        String cookie = b.driver.manage().getCookieNamed("gatehouse_session").getValue();
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Cookie", "gatehouse_session=" + cookie).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
