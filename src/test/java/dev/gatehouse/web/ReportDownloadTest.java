// GET /adminapi/v1/{tenant}/HistoricalSearchReports/{JobId} over real HTTP: the finished report for a token that may act
// on the organization, as an attachment; HEAD answers its headers only; a waiting job, a wrong id, another organization's
// job and a write method are each answered with their own status, never with the file.
package dev.gatehouse.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.store.TestDatabase;

class ReportDownloadTest {
    static AdminHarness h;
    static String job;
    static String tailspinToken;
    static String wingtipToken;

    @BeforeAll static void start() throws Exception {
        h = new AdminHarness(TestDatabase.Kind.SQLITE);
        for (String org : new String[] {"Tailspin Toys", "Wingtip"}) {
            h.ok(null, "New-Tenant", Map.of("Name", org));
        }
        h.ok("Tailspin Toys", "New-AcceptedDomain", Map.of("Name", "tailspin.example", "DomainName", "tailspin.example"));
        tailspinToken = h.adminToken("Tailspin Toys", "t");
        wingtipToken = h.adminToken("Wingtip", "w");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        job = h.ok("Tailspin Toys", "Start-HistoricalSearch", Map.of("ReportTitle", "Q4 / refusals", "StartDate", today.toString(),
                "EndDate", today.plusDays(1).toString(), "ReportType", "Refusals")).get(0).get("JobId").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> h.ok("Tailspin Toys", "Get-HistoricalSearch", Map.of("JobId", job)).get(0)
                .get("Status").asText().equals("Done"));
    }

    @AfterAll static void stop() {
        if (h != null) h.close();
    }

    private static HttpResponse<String> request(String method, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.base + path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) b.header("Authorization", "Bearer " + token);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String path(String job) { return "/adminapi/v1/Tailspin%20Toys/HistoricalSearchReports/" + job; }

    @Test void theOrganizationsTokenGetsTheFileAsAnAttachmentWithASafeName() throws Exception {
        HttpResponse<String> r = request("GET", path(job), tailspinToken);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
        // the title's slash and spaces never reach the file name the browser saves
        assertThat(r.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"Q4___refusals_" + job + ".csv\"");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.body()).startsWith("\uFEFFdate_time,original_client_ip,");
        HttpResponse<String> head = request("HEAD", path(job), tailspinToken);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(request("GET", path(job), h.operatorToken).statusCode()).as("the operator may act on every organization").isEqualTo(200);
    }

    @Test void noOneElseGetsItAndNothingButAFinishedReportIsServed() throws Exception {
        assertThat(request("GET", path(job), null).statusCode()).isEqualTo(401);
        HttpResponse<String> foreign = request("GET", path(job), wingtipToken);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreign.body()).contains("The organization 'Tailspin Toys' couldn't be found.").doesNotContain("date_time");
        HttpResponse<String> ownUrl = request("GET", "/adminapi/v1/Wingtip/HistoricalSearchReports/" + job, wingtipToken);
        assertThat(ownUrl.statusCode()).as("another organization's job under one's own name").isEqualTo(404);
        assertThat(ownUrl.body()).contains("couldn't be found").doesNotContain("date_time");
        HttpResponse<String> unknown = request("GET", path("0190a3c2-7b6e-7d41-9a8e-2f4c1b7e3d90"), tailspinToken);
        assertThat(unknown.statusCode()).isEqualTo(404);
        HttpResponse<String> notAnId = request("GET", path("..%2F..%2Fgatehouse.db"), tailspinToken);
        assertThat(notAnId.statusCode()).isEqualTo(400);
        assertThat(notAnId.body()).contains("is not a GUID");
        HttpResponse<String> write = request("DELETE", path(job), tailspinToken);
        assertThat(write.statusCode()).isEqualTo(405);
        assertThat(write.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(request("GET", path(job), tailspinToken).statusCode()).as("still there after the refused DELETE").isEqualTo(200);
    }
}
