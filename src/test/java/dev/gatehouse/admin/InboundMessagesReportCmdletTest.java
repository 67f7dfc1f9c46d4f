// Over real SMTP (with and without STARTTLS, TLS 1.2 and 1.3) and real HTTP: Get-InboundMessagesReport counts the mail
// an in-process gateway accepted, per connector and TLS version, each tenant its own, and exports it as CSV.
package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.admin.AdminHarness.Response;
import dev.gatehouse.cmdlet.OutputFiles;
import dev.gatehouse.cmdlet.PipelineRunner;
import dev.gatehouse.cmdlet.RunResult;
import dev.gatehouse.connector.SmtpTestClient;
import dev.gatehouse.store.TestDatabase;

class InboundMessagesReportCmdletTest {
    static AdminHarness h;
    static final String CONTOSO = "Contoso";
    static final String FABRIKAM = "Fabrikam";
    static final String DIRECT = "127.0.0.50";
    static final String SCANNER = "127.0.0.60";
    static final String GATEWAY = "127.0.0.61";
    static final List<String> COLUMNS = List.of("Date", "ConnectorDirectionAndName", "ConnectorType", "ForcedTls", "NoTls", "Tls10", "Tls11",
            "Tls12", "Tls13", "Volume");
    static String forcedTlsRefusal;

    @BeforeAll
    static void start() throws Exception {
        h = new AdminHarness(TestDatabase.Kind.SQLITE);
        h.organization(CONTOSO, "contoso.com", "Alice", "Bob");
        h.ok(CONTOSO, "New-InboundConnector", Map.of("Name", "CP-IP", "ConnectorType", "Partner", "SenderDomains", "*",
                "SenderIPAddresses", SCANNER));
        h.ok(CONTOSO, "New-InboundConnector", Map.of("Name", "CP-TLS", "ConnectorType", "Partner", "SenderDomains", "*",
                "SenderIPAddresses", GATEWAY, "RequireTls", true));
        h.organization(FABRIKAM, "fabrikam.com", "Carol");

        // Direct Send: one message to three recipients of two tenants without TLS, one over TLS 1.3
        send(DIRECT, null, "news@partner.example", "alice@contoso.com", "bob@contoso.com", "carol@fabrikam.com");
        send(DIRECT, "TLSv1.3", "news@partner.example", "bob@contoso.com");
        // the scanner's connector: TLS 1.2, and plain text to two recipients
        send(SCANNER, "TLSv1.2", "scanner@contoso.com", "bob@contoso.com");
        send(SCANNER, null, "scanner@contoso.com", "alice@contoso.com", "bob@contoso.com");
        // the connector that forces TLS: accepted over TLS 1.3, refused in plain text (not counted)
        send(GATEWAY, "TLSv1.3", "relay@partner.example", "alice@contoso.com");
        try (SmtpTestClient c = new SmtpTestClient(GATEWAY, h.gateway.smtpPort())) {
            SmtpTestClient.expect(c.cmd("MAIL FROM:<relay@partner.example>"), "250");
            forcedTlsRefusal = c.cmd("RCPT TO:<alice@contoso.com>");
        }
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    static void send(String fromIp, String tls, String mailFrom, String... rcpts) throws Exception {
        try (SmtpTestClient c = new SmtpTestClient(fromIp, h.gateway.smtpPort())) {
            if (tls != null) c.startTls(context(tls));
            SmtpTestClient.expect(c.cmd("MAIL FROM:<" + mailFrom + ">"), "250");
            for (String r : rcpts) SmtpTestClient.expect(c.cmd("RCPT TO:<" + r + ">"), "250");
            SmtpTestClient.expect(c.data("From: " + mailFrom + "\r\n"), "250");
        }
    }

    /** A client that offers only {@code protocol} (the gateway's certificate is self-signed, so any is trusted). */
    static SSLContext context(String protocol) throws Exception {
        SSLContext ctx = SSLContext.getInstance(protocol);
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] c, String a) {}
            @Override public void checkServerTrusted(X509Certificate[] c, String a) {}
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, null);
        return ctx;
    }

    static JsonNode report(String tenant, Map<String, ?> params) { return h.ok(tenant, "Get-InboundMessagesReport", params); }

    /**
     * Per connector row name: type, forced TLS and the counts summed over the periods (the mail of this test may
     * straddle a UTC midnight or hour), e.g. {@code "Partner No 1 0 0 1 0 2"}.
     */
    static Map<String, String> totals(JsonNode rows) {
        Map<String, long[]> sums = new TreeMap<>();
        Map<String, String> kinds = new TreeMap<>();
        for (JsonNode r : rows) {
            String name = r.path("ConnectorDirectionAndName").asText();
            kinds.put(name, r.path("ConnectorType").asText() + " " + r.path("ForcedTls").asText());
            long[] s = sums.computeIfAbsent(name, k -> new long[6]);
            for (int i = 0; i < 6; i++) s[i] += r.path(COLUMNS.get(4 + i)).asLong();
        }
        Map<String, String> out = new TreeMap<>();
        sums.forEach((name, s) -> out.put(name, kinds.get(name) + " " + s[0] + " " + s[1] + " " + s[2] + " " + s[3] + " " + s[4] + " " + s[5]));
        return out;
    }

    static List<Instant> dates(JsonNode rows) {
        List<Instant> out = new ArrayList<>();
        rows.forEach(r -> out.add(Instant.parse(r.path("Date").asText())));
        return out;
    }

    @Test
    void onePerConnectorRowCountsMessagesByTlsVersionWithTheAdminCentresColumns() {
        JsonNode rows = report(CONTOSO, Map.of());
        List<String> names = new ArrayList<>();
        rows.get(0).fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyElementsOf(COLUMNS);
        // columns: type, forced TLS, NoTls, Tls10, Tls11, Tls12, Tls13, Volume
        assertThat(totals(rows)).containsExactly(
                Map.entry("Inbound - CP-IP", "Partner No 1 0 0 1 0 2"),
                Map.entry("Inbound - CP-TLS", "Partner Yes 0 0 0 0 1 1"),
                Map.entry("Inbound - No connector", "- No 1 0 0 0 1 2"));
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        assertThat(dates(rows)).allSatisfy(d -> assertThat(d).isIn(today, today.minus(Duration.ofDays(1))));
        assertThat(forcedTlsRefusal).as("plain text to the connector that forces TLS is refused").startsWith("530");
    }

    @Test
    void aMessageToTwoTenantsCountsOnceInEachAndEachSeesOnlyItsOwn() {
        assertThat(totals(report(FABRIKAM, Map.of()))).containsExactly(Map.entry("Inbound - No connector", "- No 1 0 0 0 0 1"));
        Response r = h.invoke(h.operatorToken, FABRIKAM, "Get-InboundMessagesReport", Map.of("ConnectorName", "CP-IP"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.value()).isEmpty();
    }

    @Test
    void hourGranularityGivesRowsOnTheHourWithTheSameTotals() {
        JsonNode hourly = report(CONTOSO, Map.of("Granularity", "Hour"));
        assertThat(dates(hourly)).isNotEmpty().allSatisfy(d -> assertThat(d).isEqualTo(d.truncatedTo(ChronoUnit.HOURS)));
        assertThat(dates(hourly)).isSorted();
        assertThat(totals(hourly)).isEqualTo(totals(report(CONTOSO, Map.of("Granularity", "Day"))));
        assertThat(dates(report(CONTOSO, Map.of()))).allSatisfy(d -> assertThat(d).isEqualTo(d.truncatedTo(ChronoUnit.DAYS)));
    }

    @Test
    void connectorNameSelectsRowsAndANameThatMatchesNothingGivesNone() {
        assertThat(totals(report(CONTOSO, Map.of("ConnectorName", "cp-ip")))).containsOnlyKeys("Inbound - CP-IP");
        assertThat(totals(report(CONTOSO, Map.of("ConnectorName", List.of("No connector", "CP-TLS")))))
                .containsOnlyKeys("Inbound - No connector", "Inbound - CP-TLS");
        assertThat(report(CONTOSO, Map.of("ConnectorName", "No such connector"))).isEmpty();
    }

    @Test
    void aWindowThatEndsBeforeTodayHasNoneOfTodaysMail() {
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        JsonNode rows = report(CONTOSO, Map.of("StartDate", today.minus(Duration.ofDays(30)).toString(), "EndDate",
                today.minus(Duration.ofDays(1)).toString()));
        assertThat(rows).isEmpty();
        assertThat(totals(report(CONTOSO, Map.of("StartDate", today.minus(Duration.ofDays(89)).toString()))))
                .isEqualTo(totals(report(CONTOSO, Map.of())));
    }

    private static String error(Map<String, ?> params) {
        Response r = h.invoke(h.operatorToken, CONTOSO, "Get-InboundMessagesReport", params);
        assertThat(r.status()).as("%s", r).isEqualTo(400);
        return r.errorMessage();
    }

    @Test
    void datesOutsideTheWindowAreRefusedNamingTheParameterAndValue() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String old = now.minus(Duration.ofDays(91)).toString();
        assertThat(error(Map.of("StartDate", old))).contains("-StartDate '" + old + "' is too far back: the report covers the last 90 days");
        String start = now.minus(Duration.ofDays(2)).toString();
        String end = now.minus(Duration.ofDays(3)).toString();
        assertThat(error(Map.of("StartDate", start, "EndDate", end)))
                .endsWith("-EndDate '" + end + "' must be later than -StartDate '" + start + "'.");
        assertThat(error(Map.of("EndDate", now.minus(Duration.ofDays(100)).toString()))).contains("-EndDate '").contains("too far back");
        assertThat(error(Map.of("Granularity", "Week"))).contains("Granularity", "Week");
    }

    @Test
    void theReportExportsAsCsvAndFormatsAsATable(@TempDir Path dir) throws Exception {
        var services = AdminServices.over(h.gateway.store());
        AdminContext contoso = new AdminContext(new Principal.Operator("admin@ops"), services.tenants().get(CONTOSO), services);
        RunResult r = new PipelineRunner<>(AdminCmdlets.registry(), PipelineRunner.Options.defaults().withFiles(OutputFiles.under(dir)))
                .run("Get-InboundMessagesReport -ConnectorName CP-TLS | Export-Csv -Path inbound.csv -NoTypeInformation", contoso);
        assertThat(r.errors()).isEmpty();
        List<String> lines = Files.readAllLines(dir.resolve("inbound.csv"));
        assertThat(lines.getFirst()).isEqualTo("\"Date\",\"ConnectorDirectionAndName\",\"ConnectorType\",\"ForcedTls\",\"NoTls\",\"Tls10\","
                + "\"Tls11\",\"Tls12\",\"Tls13\",\"Volume\"");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).endsWith("\"Inbound - CP-TLS\",\"Partner\",\"Yes\",\"0\",\"0\",\"0\",\"0\",\"1\",\"1\"");

        Response table = h.runScript(h.operatorToken, CONTOSO, "Get-InboundMessagesReport -ConnectorName 'No connector' | "
                + "Format-Table ConnectorDirectionAndName,NoTls,Tls13,Volume", false);
        assertThat(table.status()).as("%s", table).isEqualTo(200);
        assertThat(table.body()).contains("Inbound - No connector");
        // the REST API writes no files: Export-Csv says so (the JSON rows are the API's export)
        Response export = h.runScript(h.operatorToken, CONTOSO, "Get-InboundMessagesReport | Export-Csv inbound.csv", false);
        assertThat(export.body()).contains("Export-Csv cannot write files here");
    }
}
