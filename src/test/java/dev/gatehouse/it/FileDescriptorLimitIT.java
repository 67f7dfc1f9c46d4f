package dev.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 2: under a lowered open-file limit ({@code ulimit -n 512}, soft and hard), the gateway caps
 * SMTP connections below what it can hold; clients past the cap get {@code 421 4.7.0} at once, while
 * {@code /healthz} and a fresh SMTP session (once a slot is free) still answer, and mail is still delivered.
 */
class FileDescriptorLimitIT {

    @TempDir Path dir;

    @Test
    void connectionsUpToTheCapLeaveRoomForHealthAndForAFreshSession() throws Exception {
        GatewayProcess.Exit e = GatewayProcess.run(List.of("provision", "--data-dir", dir.toString(), "--tenant", "contoso",
                "--domain", "contoso.com", "--mailbox", "alice@contoso.com"), Map.of(), Duration.ofSeconds(60));
        assertThat(e.code()).as(e.text()).isZero();
        int[] ports = GatewayProcess.freePorts(2);
        int smtpPort = ports[0];
        int httpPort = ports[1];
        String java = String.join(" ", GatewayProcess.javaCommand(GatewayProcess.serveArgs(dir, smtpPort, httpPort,
                List.of("--max-connections-per-ip", "100000"))));
        List<String> bash = List.of("bash", "-c", "ulimit -Sn 512 && ulimit -Hn 512 && exec " + java);
        try (GatewayProcess gw = GatewayProcess.launchCommand(bash, smtpPort, httpPort)) {
            Matcher cap = gw.output().stream().map(Pattern.compile("event=connection_cap max_connections=(\\d+)")::matcher)
                    .filter(Matcher::find).findFirst().orElseThrow(() -> new AssertionError("no connection_cap line:\n" + gw.output()));
            int max = Integer.parseInt(cap.group(1));
            assertThat(max).as("kept under the 512 descriptors").isBetween(50, 512 - 200);
            assertThat(gw.output()).anyMatch(l -> l.contains("WARN") && l.contains("event=connection_cap"));

            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < max; i++) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", smtpPort), 5000);
                    s.setSoTimeout(10_000);
                    held.add(s);
                    assertThat(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine())
                            .as("session %d of %d is greeted", i + 1, max).startsWith("220 ");
                }
                for (int i = 0; i < 20; i++) { // past the cap: refused at once, not left hanging
                    try (Socket extra = new Socket()) {
                        extra.connect(new InetSocketAddress("127.0.0.1", smtpPort), 5000);
                        extra.setSoTimeout(5000);
                        assertThat(new BufferedReader(new InputStreamReader(extra.getInputStream(), StandardCharsets.US_ASCII)).readLine())
                                .startsWith("421 4.7.0");
                    }
                }
                HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/healthz")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                held.removeFirst().close();
                Thread.sleep(300);
                try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", smtpPort)) {
                    assertThat(c.reply()).startsWith("220 ");
                    c.cmd("EHLO fresh.example");
                    assertThat(c.sendMessage("x@example.org", List.of("alice@contoso.com"), "Subject: still works\r\n\r\nhi\r\n"))
                            .startsWith("250");
                }
            } finally {
                for (Socket s : held) s.close();
            }
            ItSupport.awaitDrained(List.of(gw), Duration.ofSeconds(30), dir);
            assertThat(gw.output()).noneMatch(l -> l.contains("Too many open files"));
        }
    }
}
