// HuntingPageBusyTest: with every hunting slot taken, the hunting page answers 429 with Retry-After and says so in words, as REST does.
package dev.gatehouse.web.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.gatehouse.admin.AdminCmdlets;
import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.admin.AdminServices;
import dev.gatehouse.hunting.HuntingService;
import dev.gatehouse.observability.Metrics;
import dev.gatehouse.store.TestDatabase;
import dev.gatehouse.web.AdminCentre;
import dev.gatehouse.web.HeldHunting;
import dev.gatehouse.web.HttpApi;

class HuntingPageBusyTest {

    /**
     * The admin centre over a hunting service whose queries wait until let go: two run, eight wait, and the next is
     * refused at once. The page shows the service's message as a sentence, in the result's place; the editor is not
     * marked invalid (the query is fine).
     */
    @Test void whenHuntingIsFullThePageAnswers429AndSaysWhy() throws Exception {
        try (AdminHarness h = new AdminHarness(TestDatabase.Kind.SQLITE); HeldHunting held = new HeldHunting();
             HttpApi api = new HttpApi("127.0.0.1", 0, new Metrics(), () -> true)) {
            h.organization("Contoso", "contoso.com", "Alice");
            String token = h.adminToken("Contoso", "contoso-admin");
            new AdminCentre(held.in(AdminServices.over(h.gateway.store())), AdminCmdlets.registry(), Pages.all()).mount(api);
            api.start();
            String site = "http://127.0.0.1:" + api.port();
            HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            browser.send(form(site + "/signin", "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8), null), HttpResponse.BodyHandlers.ofString());
            String page = browser.send(HttpRequest.newBuilder(URI.create(site + "/hunting")).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher csrf = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">").matcher(page);
            assertThat(csrf.find()).as(page).isTrue();

            HeldHunting.Filled full = held.fill(browser, form(site + "/hunting/run", "query=EmailEvents+%7C+count", csrf.group(1)));
            assertThat(full.held()).hasSize(HuntingService.RUNNING + HuntingService.WAITING);
            HttpResponse<String> busy = full.refused();
            assertThat(busy).isNotNull();
            assertThat(busy.statusCode()).isEqualTo(429);
            assertThat(busy.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(busy.body()).contains("<p class=\"warning\" role=\"alert\">Advanced hunting is busy: 2 queries are running and 8 are "
                    + "waiting; run the query again in a moment.</p>");
            assertThat(busy.body()).as("the query is fine: no error next to the editor").containsPattern("<div id=\"query-error\"[^>]*>\\s*</div>");
            held.release();
            for (var f : full.held()) {
                HttpResponse<String> done = f.get(30, TimeUnit.SECONDS);
                assertThat(done.statusCode()).isEqualTo(200);
                assertThat(done.body()).contains("1 row in ");
            }
        }
    }

    /** A form POST as htmx sends it (with the CSRF header once signed in). */
    private static HttpRequest form(String url, String body, String csrf) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        if (csrf != null) b.header("X-CSRF-Token", csrf).header("HX-Request", "true");
        return b.build();
    }
}
