package dev.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that trickle (issue 10, item 3), through the packaged jar: a message's whole content has one
 * deadline (--data-timeout) whether it comes in one DATA or in many BDAT chunks, and an HTTP request that
 * trickles its header is cut (--http-request-timeout) while fresh requests are answered.
 */
class SlowClientsIT {

    @TempDir static Path dir;
    /** One gateway for the class: each test trickles on connections of its own, and the gateway must serve others meanwhile anyway. */
    static GatewayProcess gw;

    @BeforeAll
    static void start() throws Exception {
        GatewayProcess.Exit e = GatewayProcess.run(List.of("provision", "--data-dir", dir.toString(), "--tenant", "contoso",
                "--domain", "contoso.com", "--mailbox", "alice@contoso.com"), Map.of(), Duration.ofSeconds(60));
        assertThat(e.code()).as(e.text()).isZero();
        gw = GatewayProcess.start(dir, List.of("--data-timeout", "3s", "--smtp-timeout", "60s", "--http-request-timeout", "2s"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gw != null) gw.close();
    }

    /** Sends {@code text} one byte every {@code every}; returns how long until the server cut the connection, or null. */
    private static Duration trickle(OutputStream out, String text, Duration every, Duration atMost) throws InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; System.nanoTime() - start < atMost.toNanos(); i++) {
            try {
                out.write(text.charAt(i % text.length()));
                out.flush();
            } catch (java.io.IOException closed) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(every.toMillis());
        }
        return null;
    }

    @Test
    void aMessageTrickledAfter354IsCutAtTheDataTimeoutWhileEachByteArrivesInTime() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", gw.smtpPort)) {
            c.reply();
            c.cmd("EHLO slow.example");
            RawSmtpClient.expect(c.cmd("MAIL FROM:<slow@example.org>"), "250");
            RawSmtpClient.expect(c.cmd("RCPT TO:<alice@contoso.com>"), "250");
            RawSmtpClient.expect(c.cmd("DATA"), "354");
            long start = System.nanoTime();
            // a byte every 300 ms: no single read waits long, but the whole content takes too long
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        c.send("x");
                        Thread.sleep(300);
                    }
                } catch (Exception stopped) {
                    // the server closed the connection
                }
            });
            String reply = c.reply();
            long secs = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            writer.interrupt();
            assertThat(reply).startsWith("421 4.4.2").contains("timeout");
            assertThat(secs).as("cut at the 3 s data timeout, not the 60 s command timeout").isBetween(2L, 10L);
        }
    }

    @Test
    void manySlowBdatChunksShareOneDeadline() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", gw.smtpPort)) {
            c.reply();
            c.cmd("EHLO slow.example");
            RawSmtpClient.expect(c.cmd("MAIL FROM:<slow@example.org>"), "250");
            RawSmtpClient.expect(c.cmd("RCPT TO:<alice@contoso.com>"), "250");
            long start = System.nanoTime();
            String last = null;
            try {
                for (int i = 0; i < 30; i++) { // each chunk is quick on its own; together they outlast the deadline
                    c.send("BDAT 2\r\n");
                    Thread.sleep(400);
                    c.send("ab");
                    last = c.reply();
                    if (!last.startsWith("250")) break;
                }
            } catch (java.io.IOException closed) {
                last = "closed";
            }
            assertThat(last).isNotNull().doesNotStartWith("250");
            assertThat(Duration.ofNanos(System.nanoTime() - start).toSeconds()).isBetween(2L, 10L);
        }
    }

    @Test
    void anHttpRequestTricklingItsHeaderIsCutAndHealthStillAnswers() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", gw.httpPort), 5000);
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (InputStream in = s.getInputStream()) {
                    while (in.read() >= 0) { /* until closed */ }
                } catch (java.io.IOException ignored) {
                    // reset: closed
                }
            });
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.httpPort + "/healthz"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as("a fresh request is answered while the trickler waits").isEqualTo(200);
            Duration cut = trickle(out, "X-Slow: y\r\n", Duration.ofMillis(250), Duration.ofSeconds(20));
            reader.join(Duration.ofSeconds(20));
            assertThat(cut).as("the trickling request was cut").isNotNull();
            assertThat(cut.toSeconds()).isLessThan(12);
        }
    }
}
