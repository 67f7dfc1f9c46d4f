// ProxyProtocolTest: a running gateway behind a load balancer: PROXY v1/v2 from a listed peer sets the client everywhere,
// anyone else's header is refused, and a bad, missing or slow header from the balancer closes only that connection.
package dev.gatehouse.server;

import static dev.gatehouse.smtp.ProxyHeaderBytes.ascii;
import static dev.gatehouse.smtp.ProxyHeaderBytes.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.smtp.ProxyHeaderBytes;
import dev.gatehouse.store.TestDatabase;

/**
 * The gateway is configured as {@code serve} would be ({@code proxy-protocol-from = 127.0.0.1}); clients connect from
 * 127.0.0.1 (the "balancer") with a header naming the spec's documentation addresses, or from 127.0.0.2 (anyone else).
 * {@code smtp-timeout = 4s} makes the header deadline 4 s, so the slow cases stay short.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyProtocolTest {
    static final String BALANCER = "127.0.0.1";
    static final String STRANGER = "127.0.0.2";
    static final String REFUSED = "554 5.7.0 Error: PROXY protocol is not accepted from this address";
    static final String DIRECT_SEND = "550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources";

    AdminHarness h;
    int port;
    InetSocketAddress gatewayAddress;

    @BeforeAll
    void start() throws IOException {
        h = new AdminHarness(TestDatabase.Kind.SQLITE, Map.of("proxy-protocol-from", BALANCER + "/32", "smtp-timeout", "4s",
                "max-connections-per-ip", "3"));
        port = h.gateway.smtpPort();
        gatewayAddress = new InetSocketAddress(BALANCER, port);
        h.organization("Contoso", "contoso.com", "Alice", "Bob");
        h.organization("Fabrikam", "fabrikam.com", "Carol");
        h.ok("Fabrikam", "Set-OrganizationConfig", Map.of("RejectDirectSend", true));
        h.ok("Fabrikam", "New-InboundConnector", Map.of("Name", "Partner", "ConnectorType", "Partner", "SenderDomains", "*",
                "SenderIPAddresses", "198.51.100.7", "RestrictDomainsToIPAddresses", false));
    }

    @AfterAll
    void stop() {
        if (h != null) h.close();
    }

    // ---- what the real client's address reaches ----

    @Test
    void v1SourceIsTheClientInReceivedAndMessageTrace() throws Exception {
        String id = send(ProxyHeaderBytes.v1(new InetSocketAddress("203.0.113.50", 40123), gatewayAddress), "alice@contoso.com");
        assertThat(fromIp("Contoso", id)).isEqualTo("203.0.113.50");
        assertThat(received(id)).startsWith("Received: from client.example (203.0.113.50)");
    }

    @Test
    void aPartnerConnectorMatchesTheProxySourceNotTheBalancer() throws Exception {
        byte[] partner = ProxyHeaderBytes.v1(new InetSocketAddress("198.51.100.7", 40000), gatewayAddress);
        String id = send(partner, "scanner@fabrikam.com", "carol@fabrikam.com");
        assertThat(fromIp("Fabrikam", id)).isEqualTo("198.51.100.7");
        JsonNode row = h.ok("Fabrikam", "Get-MessageTraceV2", Map.of("MessageId", id)).get(0);
        JsonNode events = h.ok("Fabrikam", "Get-MessageTraceDetailV2", Map.of("MessageTraceId", row.path("MessageTraceId").asText(),
                "RecipientAddress", "carol@fabrikam.com"));
        assertThat(events.toString()).contains("Partner");

        // the same sender through the same balancer, but for another client: not the partner, so Direct Send is refused
        try (Conn c = Conn.from(BALANCER, port)) {
            c.send(concat(ProxyHeaderBytes.v1(new InetSocketAddress("198.51.100.8", 40001), gatewayAddress), ascii("EHLO client.example\r\n")));
            c.expect("220");
            c.expect("250");
            assertThat(c.cmd("MAIL FROM:<scanner@fabrikam.com>")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<carol@fabrikam.com>")).isEqualTo(DIRECT_SEND);
        }
        // the refusal log (written without holding up the reply) names the client the header gave
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                h.ok("Fabrikam", "Get-DirectSendReport", Map.of("IncludeRefused", true)).toString())
                .contains("\"SenderIP\":\"198.51.100.8\"").doesNotContain("\"SenderIP\":\"" + BALANCER + "\""));
    }

    @Test
    void v2WithAnIpv6SourceNamesThatClient() throws Exception {
        InetSocketAddress client = new InetSocketAddress("2001:db8::50", 51000);
        String id = send(ProxyHeaderBytes.v2(client, new InetSocketAddress("2001:db8::25", 25)), "bob@contoso.com");
        String shown = InetAddress.ofLiteral("2001:db8::50").getHostAddress();
        assertThat(fromIp("Contoso", id)).isEqualTo(shown);
        assertThat(received(id)).startsWith("Received: from client.example (" + shown + ")");
    }

    @Test
    void v2LocalAndV1UnknownKeepTheBalancersOwnAddress() throws Exception {
        assertThat(fromIp("Contoso", send(ProxyHeaderBytes.v2Local(), "alice@contoso.com"))).isEqualTo(BALANCER);
        assertThat(fromIp("Contoso", send(ascii("PROXY UNKNOWN\r\n"), "alice@contoso.com"))).isEqualTo(BALANCER);
    }

    @Test
    void swaksSendsThroughTheProxyProtocolAsARealClient() throws Exception {
        for (String version : List.of("1", "2")) {
            String subject = "swaks-v" + version + "-" + System.nanoTime();
            String out = run("swaks", "--server", BALANCER, "--port", String.valueOf(port), "--from", "someone@example.org",
                    "--to", "alice@contoso.com", "--header", "Subject: " + subject, "--tls",
                    "--proxy-version", version, "--proxy-family", version.equals("1") ? "TCP4" : "AF_INET",
                    "--proxy-source", "203.0.113.7" + version, "--proxy-source-port", "4100" + version,
                    "--proxy-dest", BALANCER, "--proxy-dest-port", String.valueOf(port));
            assertThat(out).contains("TLS started").containsPattern("(?m)^<~  250 2\\.0\\.0 OK: queued as ");
            assertThat(fromIp("Contoso", "Subject", subject)).isEqualTo("203.0.113.7" + version);
            assertThat(received(subject)).startsWith("Received: from ").contains("(203.0.113.7" + version + ")").contains("with ESMTPS");
        }
    }

    // ---- STARTTLS, pipelining and fragmentation after the header ----

    @Test
    void startTlsAfterAHeaderWithPipelinedEhloInTheSamePacket() throws Exception {
        try (Conn c = Conn.from(BALANCER, port)) {
            c.send(concat(ProxyHeaderBytes.v2(new InetSocketAddress("203.0.113.60", 40600), gatewayAddress), ascii("EHLO client.example\r\n")));
            c.expect("220");
            assertThat(c.replyLines()).contains("250 STARTTLS");
            assertThat(c.cmd("STARTTLS")).startsWith("220");
            c.startTls();
            assertThat(c.cmd("EHLO client.example")).startsWith("250");
            String id = c.message("alice@contoso.com");
            assertThat(fromIp("Contoso", id)).isEqualTo("203.0.113.60");
            assertThat(received(id)).contains("(203.0.113.60)").contains("with ESMTPS");
        }
    }

    @Test
    void aHeaderSplitAcrossSeveralWritesStillWorks() throws Exception {
        Map<String, byte[]> headers = Map.of(
                "203.0.113.61", ProxyHeaderBytes.v1(new InetSocketAddress("203.0.113.61", 40610), gatewayAddress),
                "203.0.113.62", ProxyHeaderBytes.withCrc32c(ProxyHeaderBytes.v2(new InetSocketAddress("203.0.113.62", 40620), gatewayAddress)));
        for (var e : headers.entrySet()) {
            byte[] header = e.getValue();
            try (Conn c = Conn.from(BALANCER, port)) {
                int from = 0;
                for (int cut : new int[] {3, 11, 13, 15, 17}) {   // inside "PROXY", the v2 signature, its command, its length field
                    c.send(Arrays.copyOfRange(header, from, cut));
                    from = cut;
                    Thread.sleep(150);
                }
                c.send(concat(Arrays.copyOfRange(header, from, header.length), ascii("EHLO client.example\r\n")));
                c.expect("220");
                c.expect("250");
                assertThat(fromIp("Contoso", c.message("bob@contoso.com"))).isEqualTo(e.getKey());
            }
        }
    }

    // ---- a real load balancer in front ----

    /** HAProxy (Debian's) relays clients from 127.0.0.80 and .81 with send-proxy-v2 (CRC32C and unique-id TLVs) and send-proxy. */
    @Test
    void haproxyInFrontPassesTheRealClientWithV2AndV1() throws Exception {
        int[] ports = AdminHarness.freePorts(2);
        int v2Port = ports[0];
        int v1Port = ports[1];
        Path cfg = h.db.dir().resolve("haproxy.cfg");
        Files.writeString(cfg, String.join("\n", "global", "    maxconn 100", "defaults", "    mode tcp", "    timeout connect 5s",
                "    timeout client 30s", "    timeout server 30s", "    unique-id-format %{+X}o%ci:%cp_%Ts_%rt",
                "frontend v2", "    bind 127.0.0.1:" + v2Port, "    default_backend v2",
                "backend v2", "    server gw 127.0.0.1:" + port + " send-proxy-v2 proxy-v2-options crc32c,unique-id",
                "frontend v1", "    bind 127.0.0.1:" + v1Port, "    default_backend v1",
                "backend v1", "    server gw 127.0.0.1:" + port + " send-proxy", ""));
        Process haproxy = haproxy(cfg, h.db.dir().resolve("haproxy.log"));
        try {
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                try (Socket s = new Socket(BALANCER, v1Port)) { return true; }
            });
            String subject = "haproxy-v2-" + System.nanoTime();
            String out = run("swaks", "--server", BALANCER, "--port", String.valueOf(v2Port), "--local-interface", "127.0.0.80",
                    "--from", "someone@example.org", "--to", "alice@contoso.com", "--header", "Subject: " + subject, "--tls");
            assertThat(out).contains("TLS started").containsPattern("(?m)^<~  250 2\\.0\\.0 OK: queued as ");
            assertThat(fromIp("Contoso", "Subject", subject)).isEqualTo("127.0.0.80");
            assertThat(received(subject)).startsWith("Received: from ").contains("(127.0.0.80)").contains("with ESMTPS");
            passesMailFrom("127.0.0.81", v1Port);
        } finally {
            haproxy.destroy();
            haproxy.waitFor();
        }
    }

    /**
     * Balancers' health checks: HAProxy's with a v2 LOCAL header every 100 ms, and plain TCP connects that send
     * nothing (what {@code nc -z}, keepalived's TCP_CHECK or a Kubernetes tcpSocket probe do), closed or reset.
     * None is a bad header: no warning, and the balancer keeps the gateway up and still passes mail.
     */
    @Test
    void aBalancersHealthChecksAreNotLoggedAsRefusedHeaders() throws Exception {
        int v2Port = AdminHarness.freePort();
        Path cfg = h.db.dir().resolve("haproxy-checks.cfg");
        Files.writeString(cfg, String.join("\n", "global", "    maxconn 100", "defaults", "    mode tcp", "    timeout connect 5s",
                "    timeout client 30s", "    timeout server 30s", "    timeout check 2s",
                "frontend v2", "    bind 127.0.0.1:" + v2Port, "    default_backend v2",
                "backend v2", "    server gw 127.0.0.1:" + port + " send-proxy-v2 check inter 100", ""));
        Path log = h.db.dir().resolve("haproxy-checks.log");
        List<ILoggingEvent> logged = capture("dev.gatehouse.smtp", Level.DEBUG, soFar -> {
            Process haproxy = haproxy(cfg, log);
            try {
                for (int i = 0; i < 5; i++) run("nc", "-z", "-w", "5", BALANCER, String.valueOf(port));
                for (int i = 0; i < 3; i++) {
                    try (Socket reset = new Socket(BALANCER, port)) {
                        reset.setSoLinger(true, 0);   // closed with a reset, as health checkers do to leave no TIME_WAIT
                    }
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> startingWith(soFar.get(), "smtp proxy-health-check peer=127.0.0.1:") >= 5
                        && startingWith(soFar.get(), "smtp proxied peer=127.0.0.1:") >= 5);
                // the balancer still passes mail after its checks
                passesMailFrom("127.0.0.80", v2Port);
            } finally {
                haproxy.destroy();
                haproxy.waitFor();
            }
        });
        assertThat(logged).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .extracting(ILoggingEvent::getFormattedMessage).as("warnings while the gateway was health-checked").isEmpty();
        assertThat(Files.readString(log)).as("HAProxy's own log").doesNotContain("is DOWN");
    }

    private static long startingWith(List<ILoggingEvent> events, String prefix) {
        return events.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith(prefix)).count();
    }

    /** A client at {@code clientIp} sends a message through the balancer's {@code port}; the trace shows it from that address. */
    private void passesMailFrom(String clientIp, int port) throws Exception {
        try (Conn c = Conn.from(clientIp, port)) {
            c.expect("220");
            assertThat(c.cmd("EHLO client.example")).startsWith("250");
            assertThat(fromIp("Contoso", c.message("alice@contoso.com"))).isEqualTo(clientIp);
        }
    }

    /** Debian's HAProxy in the foreground with {@code cfg}, its output in {@code log}. */
    private static Process haproxy(Path cfg, Path log) throws IOException {
        return new ProcessBuilder("haproxy", "-db", "-f", cfg.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    // ---- the per-address limit counts the client, not the balancer ----

    @Test
    void thePerAddressLimitCountsTheRealClientAndNotTheBalancer() throws Exception {
        List<Conn> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) open.add(greeted(proxied("198.51.100.20", 41000 + i)));
            try (Conn fourth = Conn.from(BALANCER, port)) {
                fourth.send(proxied("198.51.100.20", 41003));
                assertThat(fourth.rest()).containsExactly("421 4.7.0 mx.gatehouse.test Error: too many connections from 198.51.100.20");
            }
            // four from the balancer's own address are open or just refused; another client through it is greeted
            open.add(greeted(proxied("198.51.100.21", 41010)));
        } finally {
            for (Conn c : open) c.close();
        }
    }

    // ---- anyone else's header, and a balancer that sends a bad one ----

    @Test
    void aPeerThatIsNotListedCannotNameItsOwnAddress() throws Exception {
        List<ILoggingEvent> logged = capture("dev.gatehouse.smtp.SmtpSession", () -> {
            for (byte[] header : List.of(ProxyHeaderBytes.v1(new InetSocketAddress("198.51.100.7", 40000), gatewayAddress),
                    ProxyHeaderBytes.v2(new InetSocketAddress("198.51.100.7", 40000), gatewayAddress))) {
                try (Conn c = Conn.from(STRANGER, port)) {
                    c.send(concat(header, ascii("EHLO client.example\r\nMAIL FROM:<scanner@fabrikam.com>\r\nRCPT TO:<carol@fabrikam.com>\r\n")));
                    assertThat(c.rest()).containsExactly("220 mx.gatehouse.test ESMTP Gatehouse", REFUSED);
                }
            }
        });
        assertThat(logged).extracting(ILoggingEvent::getFormattedMessage).filteredOn(m -> m.startsWith("smtp proxy-refused")).hasSize(2)
                .allSatisfy(m -> assertThat(m).contains("client=/" + STRANGER + ":", "reason=peer-not-listed"));
        // and without a header, from the same address, nothing has changed: it is still itself, and still not the partner
        try (Conn c = Conn.from(STRANGER, port)) {
            c.expect("220");
            c.cmd("EHLO client.example");
            c.cmd("MAIL FROM:<scanner@fabrikam.com>");
            assertThat(c.cmd("RCPT TO:<carol@fabrikam.com>")).isEqualTo(DIRECT_SEND);
        }
    }

    @Test
    void aBalancerConnectionWithoutAValidHeaderIsClosedWithoutAGreeting() throws Exception {
        Map<String, byte[]> bad = new java.util.LinkedHashMap<>();
        bad.put("no header, SMTP at once", ascii("EHLO client.example\r\n"));
        bad.put("garbage", ascii("PROXY TCP4 999.0.113.50 192.0.2.25 40123 25\r\nEHLO client.example\r\n"));
        bad.put("header then garbage", ascii("PROXY TCP4 203.0.113.50 192.0.2.25 40123 25\nEHLO x\r\n"));
        bad.put("v2 lying length", ProxyHeaderBytes.v2Raw(0x21, 0x11, 4, new byte[] {(byte) 203, 0, 113, 50}));
        bad.put("v2 huge length", ProxyHeaderBytes.v2Raw(0x21, 0x11, 0xFFFF, new byte[64]));
        bad.put("v1 too long", ascii("PROXY UNKNOWN " + "x".repeat(200) + "\r\n"));
        List<ILoggingEvent> logged = capture("dev.gatehouse.smtp.SmtpServer", () -> {
            for (var e : bad.entrySet()) {
                try (Conn c = Conn.from(BALANCER, port)) {
                    c.send(e.getValue());
                    long t0 = System.nanoTime();
                    assertThat(c.rest()).as(e.getKey()).isEmpty();
                    assertThat(Duration.ofNanos(System.nanoTime() - t0)).as(e.getKey() + ": refused at once, not at the deadline")
                            .isLessThan(Duration.ofSeconds(3));
                }
            }
        });
        assertThat(logged).extracting(ILoggingEvent::getFormattedMessage).filteredOn(m -> m.startsWith("smtp proxy-header-refused"))
                .hasSize(bad.size()).allSatisfy(m -> assertThat(m).contains("peer=127.0.0.1:", "reason="));
        assertThat(greeted(proxied("203.0.113.70", 40700)).closeAfterQuit()).isTrue();
    }

    @Test
    void aSilentOrTrickledHeaderIsCutAtTheDeadlineWhileOthersAreServed() throws Exception {
        try (Conn silent = Conn.from(BALANCER, port); Conn trickle = Conn.from(BALANCER, port)) {
            AtomicReference<Object> feederEnded = new AtomicReference<>();
            Thread feeder = Thread.ofVirtual().start(() -> {
                byte[] header = ProxyHeaderBytes.v1(new InetSocketAddress("203.0.113.71", 40710), gatewayAddress);
                try {
                    for (byte b : header) {
                        trickle.send(new byte[] {b});
                        Thread.sleep(200);   // 46 octets at 5 a second: 9 s, past the 4 s deadline
                    }
                    feederEnded.set("sent the whole header");
                } catch (IOException | InterruptedException e) {
                    feederEnded.set(e);
                }
            });
            Thread.sleep(500);
            try (Conn other = greeted(proxied("203.0.113.72", 40720))) {   // served meanwhile
                assertThat(other.cmd("EHLO client.example")).startsWith("250");
            }
            assertThat(silent.rest()).isEmpty();
            assertThat(trickle.rest()).isEmpty();
            assertThat(feeder.join(Duration.ofSeconds(15))).isTrue();
            assertThat(feederEnded.get()).as("the gateway hung up while the header was still arriving").isInstanceOf(IOException.class);
        }
        assertThat(greeted(proxied("203.0.113.73", 40730)).closeAfterQuit()).isTrue();
    }

    // ---- helpers ----

    byte[] proxied(String ip, int sourcePort) { return ProxyHeaderBytes.v1(new InetSocketAddress(ip, sourcePort), gatewayAddress); }

    /** A balancer connection that sent {@code header} and got the greeting. */
    Conn greeted(byte[] header) throws IOException {
        Conn c = Conn.from(BALANCER, port);
        c.send(header);
        c.expect("220");
        return c;
    }

    /** Sends one message with a fresh Message-ID through the balancer after {@code header}; returns the Message-ID. */
    String send(byte[] header, String mailFrom, String rcpt) throws IOException {
        try (Conn c = greeted(header)) {
            assertThat(c.cmd("EHLO client.example")).startsWith("250");
            return c.message(mailFrom, rcpt);
        }
    }

    String send(byte[] header, String rcpt) throws IOException { return send(header, "someone@example.org", rcpt); }

    /** The FromIP column of the message's one trace row in {@code tenant}. */
    String fromIp(String tenant, String messageId) { return fromIp(tenant, "MessageId", messageId); }

    String fromIp(String tenant, String filter, String value) {
        JsonNode rows = h.ok(tenant, "Get-MessageTraceV2", Map.of(filter, value));
        assertThat(rows.size()).as("trace rows for %s: %s", value, rows).isEqualTo(1);
        return rows.get(0).path("FromIP").asText();
    }

    /** The delivered copy of the message holding {@code marker} (its Message-ID or subject), from its first octet. */
    String received(String marker) {
        Path mail = h.db.dir().resolve("data").resolve("mail");
        AtomicReference<String> found = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!Files.isDirectory(mail)) return false;
            try (Stream<Path> files = Files.walk(mail)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String s = Files.readString(f, StandardCharsets.ISO_8859_1);
                    if (s.contains(marker)) { found.set(s); return true; }
                }
            }
            return false;
        });
        return found.get();
    }

    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    interface Body { void run() throws Exception; }

    /** A body that may look at what has been logged so far. */
    interface Watching { void run(java.util.function.Supplier<List<ILoggingEvent>> soFar) throws Exception; }

    static List<ILoggingEvent> capture(String logger, Body body) throws Exception {
        return capture(logger, null, soFar -> body.run());
    }

    /** What {@code logger} (and those below it) logged while {@code body} ran, at {@code level} or above if given. */
    static List<ILoggingEvent> capture(String logger, Level level, Watching body) throws Exception {
        Logger l = (Logger) org.slf4j.LoggerFactory.getLogger(logger);
        Level was = l.getLevel();
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        l.addAppender(seen);
        if (level != null) l.setLevel(level);
        try {
            body.run(() -> {
                synchronized (seen) { return List.copyOf(seen.list); } // AppenderBase appends under the appender's lock
            });
            synchronized (seen) { return List.copyOf(seen.list); }
        } finally {
            l.setLevel(was);
            l.detachAppender(seen);
        }
    }

    /** A client that can write before the greeting, read until the server hangs up, and switch to TLS. */
    static final class Conn implements AutoCloseable {
        private Socket socket;
        private InputStream in;

        static Conn from(String localIp, int port) throws IOException {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(localIp, 0));
            s.connect(new InetSocketAddress(BALANCER, port), 5000);
            s.setSoTimeout(15_000);
            s.setTcpNoDelay(true);
            Conn c = new Conn();
            c.socket = s;
            c.in = s.getInputStream();
            return c;
        }

        void send(byte[] b) throws IOException {
            socket.getOutputStream().write(b);
            socket.getOutputStream().flush();
        }

        String cmd(String line) throws IOException {
            send(ascii(line + "\r\n"));
            return replyLines().getLast();
        }

        void expect(String code) throws IOException {
            List<String> r = replyLines();
            assertThat(r.getLast()).as("%s", r).startsWith(code);
        }

        List<String> replyLines() throws IOException {
            List<String> lines = new ArrayList<>();
            String l;
            do {
                l = line();
                if (l == null) throw new IOException("connection closed after " + lines);
                lines.add(l);
            } while (l.length() > 3 && l.charAt(3) == '-');
            return lines;
        }

        /** Every line until the server closes the connection (empty when it sent nothing at all). */
        List<String> rest() throws IOException {
            List<String> lines = new ArrayList<>();
            for (String l; (l = line()) != null; ) lines.add(l);
            return lines;
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c; (c = in.read()) >= 0; ) {
                if (c == '\n') return b.toString(StandardCharsets.ISO_8859_1).replaceFirst("\r$", "");
                b.write(c);
            }
            return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
        }

        void startTls() throws Exception {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override public void checkClientTrusted(X509Certificate[] c, String a) {}
                @Override public void checkServerTrusted(X509Certificate[] c, String a) {}
                @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            }}, null);
            SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(socket, "mx.gatehouse.test", socket.getPort(), true);
            ssl.setUseClientMode(true);
            ssl.startHandshake();
            socket = ssl;
            in = ssl.getInputStream();
        }

        /** One message with a fresh Message-ID; returns it once the gateway queued it. */
        String message(String mailFrom, String rcpt) throws IOException {
            String id = "<proxy-" + System.nanoTime() + "@client.example>";
            assertThat(cmd("MAIL FROM:<" + mailFrom + ">")).startsWith("250");
            assertThat(cmd("RCPT TO:<" + rcpt + ">")).startsWith("250");
            assertThat(cmd("DATA")).startsWith("354");
            assertThat(cmd("From: <" + mailFrom + ">\r\nSubject: proxied\r\nMessage-ID: " + id + "\r\n\r\nHello.\r\n.")).startsWith("250");
            return id;
        }

        String message(String rcpt) throws IOException { return message("someone@example.org", rcpt); }

        /** QUIT, and whether the server then answered 221 and closed. */
        boolean closeAfterQuit() throws IOException {
            try (this) {
                return cmd("QUIT").startsWith("221") && line() == null;
            }
        }

        @Override public void close() throws IOException { socket.close(); }
    }
}
