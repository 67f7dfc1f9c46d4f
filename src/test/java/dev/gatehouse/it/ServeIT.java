package dev.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README path, end to end through the packaged jar and swaks: provision, serve, send, find the
 * message in the Maildir with the gateway's stamps; attribution refusals with their exact replies;
 * the operator token, health and metrics; a clean SIGTERM and a restart that keeps delivering.
 */
class ServeIT {

    /** swaks prints {@code <-} for plain and {@code <~} for TLS replies. */
    private static final String QUEUED = "(?m)^<[-~]  250 2\\.0\\.0 OK: queued as ";

    @TempDir Path dir;

    @Test
    void readmePathOnSqlite() throws Exception {
        provisionWithJar("contoso", "contoso.com", "alice@contoso.com,bob@contoso.com");
        provisionWithJar("fabrikam", "fabrikam.com", "carol@fabrikam.com");
        int[] ports = GatewayProcess.freePorts(2);
        int smtpPort = ports[0];
        int httpPort = ports[1];
        GatewayProcess gw = GatewayProcess.start(dir, smtpPort, httpPort, List.of());
        try {
            // plain, with a forged internal-authentication header from outside
            String out = swaks(gw.smtpPort, "alice@contoso.com", "serve-plain", "--header", "X-MS-Exchange-Organization-AuthAs: Internal");
            assertThat(out).contains(" -> X-MS-Exchange-Organization-AuthAs: Internal").containsPattern(QUEUED);
            String plain = awaitDelivered("serve-plain", "alice@contoso.com");
            assertThat(plain).startsWith("Received: from ").contains("by mx.gatehouse.test (Gatehouse) with ESMTP ");
            assertThat(plain).containsPattern("(?m)^X-MS-Exchange-Organization-Network-Message-Id: [0-9a-f-]{36}\r?$");
            // the forged value is gone; the only AuthAs is the gateway's own verdict for anonymous mail
            assertThat(plain).doesNotContain("AuthAs: Internal");
            assertThat(java.util.regex.Pattern.compile("(?mi)^X-MS-Exchange-Organization-AuthAs:").matcher(plain).results().count()).isEqualTo(1);
            assertThat(plain).containsPattern("(?m)^X-MS-Exchange-Organization-AuthAs: Anonymous\r?$");

            // STARTTLS
            out = swaks(gw.smtpPort, "alice@contoso.com", "serve-tls", "--tls");
            assertThat(out).contains("TLS started").containsPattern(QUEUED);
            String tls = awaitDelivered("serve-tls", "alice@contoso.com");
            assertThat(tls).contains("with ESMTPS").contains("X-MS-Exchange-Organization-Network-Message-Id: ");

            // one message, two tenants
            out = swaks(gw.smtpPort, "alice@contoso.com,carol@fabrikam.com", "serve-two-tenants");
            assertThat(out).containsPattern(QUEUED);
            awaitDelivered("serve-two-tenants", "alice@contoso.com");
            awaitDelivered("serve-two-tenants", "carol@fabrikam.com");

            // attribution refusals, exact text
            try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", gw.smtpPort)) {
                assertThat(c.reply()).startsWith("220");
                assertThat(c.cmd("EHLO client.example.org")).startsWith("250");
                assertThat(c.cmd("MAIL FROM:<x@example.org>")).startsWith("250");
                assertThat(c.cmd("RCPT TO:<someone@unknown-domain.example>")).isEqualTo("550 5.7.64 TenantAttribution; Relay Access Denied");
                assertThat(c.cmd("RCPT TO:<nobody@contoso.com>")).isEqualTo("550 5.4.1 Recipient address rejected: Access denied");
                assertThat(c.cmd("QUIT")).startsWith("221");
            }

            Path token = dir.resolve("operator.token");
            assertThat(token).isRegularFile();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
            assertThat(Files.readString(token).trim()).isNotEmpty();

            assertThat(ItSupport.get(gw.httpPort, "/healthz").statusCode()).isEqualTo(200);
            String metrics = ItSupport.metrics(gw.httpPort);
            assertThat(ItSupport.metric(metrics, "gatehouse_messages_accepted_total")).isEqualTo(3.0);
            assertThat(ItSupport.metric(metrics, "gatehouse_messages_refused_total{reason=\"relay_denied\"}")).isEqualTo(1.0);
            // what became of the recipients, and HELP text on every metric (issue 10)
            String counted = ItSupport.metrics(gw.httpPort);
            assertThat(ItSupport.metric(counted, "gatehouse_recipients_delivered_total")).isEqualTo(4.0);
            assertThat(counted).contains("gatehouse_recipients_relayed_total", "gatehouse_recipients_deferred_total{agent=\"local\"}",
                    "gatehouse_recipients_failed_total{agent=\"relay\"}", "gatehouse_recipients_quarantined_total", "gatehouse_bounces_total");
            assertThat(counted).contains("gatehouse_end_of_data_to_reply_seconds_bucket{le=").contains("gatehouse_commit_latency_seconds_bucket{le=");
            for (String line : counted.split("\n")) {
                if (line.startsWith("# HELP ")) assertThat(line.split(" ", 4)).as(line).hasSize(4).satisfies(p -> assertThat(p[3]).isNotBlank());
            }
            long typed = counted.lines().filter(l -> l.startsWith("# TYPE ")).count();
            assertThat(counted.lines().filter(l -> l.startsWith("# HELP ")).count()).as("a HELP line for every metric").isEqualTo(typed);

            assertThat(gw.terminate(Duration.ofSeconds(30))).as("exit status after SIGTERM").isZero();
        } finally {
            gw.close();
        }

        // restarted on the same data dir and ports, it keeps delivering
        try (GatewayProcess again = GatewayProcess.start(dir, smtpPort, httpPort, List.of())) {
            assertThat(swaks(again.smtpPort, "bob@contoso.com", "serve-after-restart")).containsPattern(QUEUED);
            awaitDelivered("serve-after-restart", "bob@contoso.com");
            assertThat(ItSupport.get(again.httpPort, "/healthz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void sendAndDeliverOnPostgres() throws Exception {
        try (ItSupport.PgSchema pg = new ItSupport.PgSchema()) {
            ItSupport.provision(pg.url, dir, "contoso", "contoso.com", "alice@contoso.com");
            try (GatewayProcess gw = GatewayProcess.start(dir, List.of("--store", pg.url))) {
                assertThat(gw.output()).anyMatch(l -> l.contains("gatehouse ready") && l.contains("postgresql"));
                assertThat(swaks(gw.smtpPort, "alice@contoso.com", "serve-pg")).containsPattern(QUEUED);
                assertThat(swaks(gw.smtpPort, "alice@contoso.com", "serve-pg-tls", "--tls")).containsPattern(QUEUED);
                assertThat(awaitDelivered("serve-pg", "alice@contoso.com")).contains("X-MS-Exchange-Organization-Network-Message-Id: ");
                assertThat(awaitDelivered("serve-pg-tls", "alice@contoso.com")).contains("with ESMTPS");
                assertThat(gw.terminate(Duration.ofSeconds(30))).isZero();
            }
        }
    }

    private void provisionWithJar(String tenant, String domain, String mailboxes) throws Exception {
        GatewayProcess.Exit e = GatewayProcess.run(List.of("provision", "--data-dir", dir.toString(), "--tenant", tenant,
                "--domain", domain, "--mailbox", mailboxes), Map.of(), Duration.ofSeconds(60));
        assertThat(e.code()).as(e.text()).isZero();
        assertThat(e.text()).contains("tenant " + tenant);
    }

    /** Runs swaks against the gateway; returns its transcript (and fails on a non-zero exit). */
    private static String swaks(int port, String to, String testId, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1", "--port", String.valueOf(port),
                "--from", "x@example.org", "--to", to, "--header", "X-Test-Id: " + testId));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("swaks exit status; transcript:\n" + out).isZero();
        return out;
    }

    /** Waits for the message with this X-Test-Id in the address's Maildir (any tenant) and returns it. */
    private String awaitDelivered(String testId, String address) {
        String[] found = new String[1];
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (Path f : ItSupport.deliveredFiles(dir)) {
                if (f.getParent().getParent().getFileName().toString().equals(address) && testId.equals(ItSupport.testId(f))) {
                    found[0] = Files.readString(f, StandardCharsets.ISO_8859_1);
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

}
