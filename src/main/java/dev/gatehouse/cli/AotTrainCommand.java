// `gatehouse aot-train` (hidden): the training run the launcher records a JDK AOT cache from (decision aot-cache).
package dev.gatehouse.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatewayConfig;
import dev.gatehouse.directory.AcceptedDomainService;
import dev.gatehouse.directory.DomainType;
import dev.gatehouse.directory.MailboxService;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.server.Gateway;
import dev.gatehouse.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gatehouse aot-train}: a short, self-contained workout of the gateway's hot paths, run by {@code ./gatehouse}
 * under {@code -XX:AOTCacheOutput=FILE} (JEP 514) the first time a build is served. The JVM records which classes
 * this run loaded and linked and how its hot methods behaved (JEP 483, 515), and writes them to FILE when the run
 * exits; {@code serve} started with {@code -XX:AOTCache=FILE} then starts with those classes ready and those profiles
 * known, so the first messages after a restart are not the slow ones.
 *
 * <p>The run is what the bench does, inside one JVM so it needs no outside tool: a fresh SQLite data directory in a
 * temporary directory, a tenant with one mailbox, the gateway on loopback with ports the kernel picks, then several
 * plain-socket SMTP sessions sending {@code --messages} messages (one per connection, as smtp-source does; a few with
 * STARTTLS, a MIME attachment, or a recipient the tenant does not have), a few admin API calls and a hunting query,
 * and a wait until delivery has put every message in the Maildir. DNS for sender authentication is a loopback
 * responder that answers NXDOMAIN to everything: the real resolver code runs, nothing leaves the machine, and a slow
 * or absent resolver cannot stretch the run. Everything is deleted afterwards. Exit status 0 only when most messages
 * were accepted and delivered, so the launcher keeps a cache only from a run that exercised what it should.
 */
@Command(name = "aot-train", hidden = true, mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Exercise the gateway on a throw-away data directory (the launcher's AOT cache training run).")
final class AotTrainCommand implements Callable<Integer> {

    /** Messages when neither --messages nor GATEHOUSE_AOT_MESSAGES says: enough for C2 to compile the accept path. */
    static final int DEFAULT_MESSAGES = 2000;

    @Option(names = "--messages", description = "Messages to send. Default GATEHOUSE_AOT_MESSAGES, else " + DEFAULT_MESSAGES) Integer messages;
    @Option(names = "--sessions", defaultValue = "8", description = "Parallel SMTP sessions. Default 8") int sessions;

    private static final String TENANT = "bench";
    private static final String DOMAIN = "bench.example";
    private static final String MAILBOX = "alice@" + DOMAIN;

    @Override
    public Integer call() throws Exception {
        int n = messages != null ? messages : envMessages();
        long start = System.nanoTime();
        Path work = Files.createTempDirectory("gatehouse-aot-train");
        try (NxDomainResponder dns = new NxDomainResponder()) {
            Path data = work.resolve("data");
            provision(data);
            GatewayConfig config = new ConfigLoader(Map.of("data-dir", data.toString(), "smtp-bind", "127.0.0.1", "smtp-port", "0",
                    "http-bind", "127.0.0.1", "http-port", "0", "hostname", "mx.aot-training.invalid", "max-connections-per-ip", "1000",
                    "dns-server", "127.0.0.1:" + dns.port(), "dns-timeout", "1s"), Map.of(), null).load();
            try (Gateway gateway = new Gateway(config).start()) {
                OperatorToken.ensure(config.operatorTokenFile(), gateway);
                String token = OperatorToken.read(config.operatorTokenFile());
                int accepted = send(gateway.smtpPort(), n, Math.max(1, sessions));
                int admin = admin(gateway.httpPort(), token);
                long delivered = awaitDelivery(data.resolve("mail"), accepted, Duration.ofSeconds(60));
                System.out.printf("aot-train: %d messages sent, %d accepted, %d delivered, %d admin calls answered, %.1f s%n",
                        n, accepted, delivered, admin, (System.nanoTime() - start) / 1e9);
                if (accepted < n * 9L / 10 || delivered < accepted) {
                    System.err.println("aot-train: the workout did not go through (" + accepted + " of " + n + " accepted, "
                            + delivered + " delivered): a cache from it would not cover the accept path");
                    return 1;
                }
                return 0;
            }
        } finally {
            deleteTree(work);
        }
    }

    private static int envMessages() {
        String v = System.getenv("GATEHOUSE_AOT_MESSAGES");
        if (v == null || v.isBlank()) return DEFAULT_MESSAGES;
        try {
            return Math.max(1, Integer.parseInt(v.strip()));
        } catch (NumberFormatException e) {
            return DEFAULT_MESSAGES;
        }
    }

    private static void provision(Path data) {
        try (Store s = Store.open(null, data.toAbsolutePath())) {
            long tenant = new TenantService(s).create(TENANT).id();
            new AcceptedDomainService(s).create(tenant, DOMAIN, DomainType.parse("Authoritative"), false);
            new MailboxService(s).create(tenant, "alice", MAILBOX, List.of());
        }
    }

    /** Sends {@code n} messages over {@code sessions} parallel connections at a time; returns how many got a 250. */
    private static int send(int port, int n, int sessions) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            threads.add(Thread.ofPlatform().name("aot-train-" + s).start(() -> {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    try {
                        if (oneMessage(port, i)) accepted.incrementAndGet();
                    } catch (IOException e) {
                        if (failed.getAndIncrement() < 3) System.err.println("aot-train: message " + i + ": " + e.getMessage());
                    }
                }
            }));
        }
        for (Thread t : threads) t.join();
        return accepted.get();
    }

    /** One connection, one message; true when DATA was answered 250. */
    private static boolean oneMessage(int port, int i) throws IOException {
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), port)) {
            plain.setSoTimeout(30_000);
            Socket s = plain;
            Conversation c = new Conversation(s);
            c.expect(null, "220");
            c.expect("EHLO client" + (i % 7) + ".client.example", "250");
            if (i % 50 == 7) { // STARTTLS now and then: the TLS classes are part of a real start too
                c.expect("STARTTLS", "220");
                s = trustAll().getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
                ((SSLSocket) s).startHandshake();
                c = new Conversation(s);
                c.expect("EHLO client.example", "250");
            }
            c.expect("MAIL FROM:<sender" + (i % 13) + "@client.example> SIZE=6000", "250");
            if (i % 25 == 3) c.expect("RCPT TO:<nobody@" + DOMAIN + ">", "5"); // not a mailbox of the tenant's
            c.expect("RCPT TO:<" + MAILBOX + ">", "250");
            c.expect("DATA", "354");
            String reply = c.expect(message(i) + ".", "2", "4", "5");
            c.expect("QUIT", "221");
            return reply.startsWith("250");
        }
    }

    /** About 5 KB like the bench's, every tenth a multipart message with a small attachment. */
    private static String message(int i) {
        StringBuilder m = new StringBuilder(6000);
        m.append("From: Sender ").append(i % 13).append(" <sender").append(i % 13).append("@client.example>\r\n")
                .append("To: Alice <").append(MAILBOX).append(">\r\n")
                .append("Subject: training message ").append(i).append("\r\n")
                .append("Date: Sun, 06 Dec 2026 08:00:00 +0000\r\n")
                .append("Message-ID: <").append(i).append(".aot-train@client.example>\r\n")
                .append("MIME-Version: 1.0\r\n");
        String line = "The quick brown fox jumps over the lazy dog; training line number ";
        if (i % 10 == 0) {
            m.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append("\"\r\n\r\n")
                    .append("--b").append(i).append("\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
            for (int l = 0; l < 30; l++) m.append(line).append(l).append("\r\n");
            m.append("--b").append(i).append("\r\nContent-Type: application/pdf; name=\"report.pdf\"\r\n")
                    .append("Content-Disposition: attachment; filename=\"report.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
            for (int l = 0; l < 20; l++) m.append("JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFIvRmlsdGVyIC9GbGF0ZURlY29kZT4+\r\n");
            m.append("--b").append(i).append("--\r\n");
        } else {
            m.append("Content-Type: text/plain; charset=us-ascii\r\n\r\n");
            for (int l = 0; l < 70; l++) m.append(line).append(l).append("\r\n");
            if (i % 9 == 0) m.append("See https://example.org/report?id=").append(i).append(" for details.\r\n");
        }
        return m.toString();
    }

    /** Reads and checks one SMTP reply at a time (multi-line replies whole). */
    private static final class Conversation {
        private final BufferedReader in;
        private final OutputStream out;

        Conversation(Socket s) throws IOException {
            in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            out = s.getOutputStream();
        }

        /** Sends {@code command} (none when null) and returns the reply, which must start with one of {@code codes}. */
        String expect(String command, String... codes) throws IOException {
            if (command != null) {
                out.write((command + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            String line;
            do {
                line = in.readLine();
                if (line == null) throw new IOException("connection closed after " + first(command));
            } while (line.length() > 3 && line.charAt(3) == '-');
            for (String c : codes) if (line.startsWith(c)) return line;
            throw new IOException(first(command) + " answered " + line);
        }

        private static String first(String command) {
            return command == null ? "connect" : command.lines().findFirst().orElse("");
        }
    }

    /** The admin surfaces a start touches soon: health, metrics, a cmdlet script, a hunting query. Returns 2xx answers. */
    private static int admin(int port, String token) throws IOException, InterruptedException {
        String base = "http://127.0.0.1:" + port;
        int ok = 0;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            List<HttpRequest> requests = List.of(
                    HttpRequest.newBuilder(URI.create(base + "/healthz")).GET().build(),
                    HttpRequest.newBuilder(URI.create(base + "/metrics")).GET().build(),
                    json(base + "/adminapi/v1/" + TENANT + "/RunScript", token,
                            "{\"Script\":\"Get-AcceptedDomain; Get-Mailbox; Get-MessageTrace -RecipientAddress " + MAILBOX + "\"}"),
                    json(base + "/api/v1/hunting/run", token, "{\"Organization\":\"" + TENANT
                            + "\",\"Query\":\"EmailEvents | summarize count() by SenderFromAddress | take 5\"}"));
            for (HttpRequest r : requests) {
                HttpResponse<String> a = http.send(r, HttpResponse.BodyHandlers.ofString());
                if (a.statusCode() / 100 == 2) ok++;
                else System.err.println("aot-train: " + r.uri().getPath() + " answered " + a.statusCode());
            }
        }
        return ok;
    }

    private static HttpRequest json(String uri, String token, String body) {
        return HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** Waits until the Maildir holds {@code expected} messages (or the time is up); returns how many it holds. */
    private static long awaitDelivery(Path mailRoot, int expected, Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        long found;
        while ((found = countDelivered(mailRoot)) < expected && System.nanoTime() < deadline) Thread.sleep(100);
        return found;
    }

    private static long countDelivered(Path mailRoot) throws IOException {
        if (!Files.isDirectory(mailRoot)) return 0;
        try (Stream<Path> s = Files.walk(mailRoot)) {
            return s.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals("new") && Files.isRegularFile(p)).count();
        }
    }

    private static SSLContext trustAll() throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() { // the gateway's own self-signed pair, on loopback
                @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
                @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
                @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            }}, null);
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("no TLS client context: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /**
     * A loopback DNS server that answers every query NXDOMAIN (the question echoed, no records): what sender
     * authentication mostly meets for made-up client domains, with the resolver's real request and response code.
     */
    private static final class NxDomainResponder implements AutoCloseable {
        private final DatagramSocket socket;

        NxDomainResponder() throws IOException {
            socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            Thread.ofPlatform().daemon().name("aot-train-dns").start(this::serve);
        }

        int port() { return socket.getLocalPort(); }

        private void serve() {
            byte[] buf = new byte[512];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket q = new DatagramPacket(buf, buf.length);
                    socket.receive(q);
                    if (q.getLength() < 12) continue;
                    byte[] a = java.util.Arrays.copyOf(q.getData(), q.getLength());
                    a[2] = (byte) (0x80 | (a[2] & 0x79)); // QR=1, opcode and RD kept, AA=0, TC=0
                    a[3] = (byte) 0x83;                    // RA=1, RCODE=3 (NXDOMAIN)
                    a[6] = a[7] = a[8] = a[9] = 0;         // no answers, no authority
                    a[10] = a[11] = 0;                     // no additional (drops an EDNS OPT from the echoed query)
                    int end = questionEnd(a);
                    socket.send(new DatagramPacket(a, end, q.getSocketAddress()));
                } catch (IOException e) {
                    if (socket.isClosed()) return;
                }
            }
        }

        /** The length of header plus the first question (the rest of the query, e.g. an OPT record, is dropped). */
        private static int questionEnd(byte[] a) {
            int p = 12;
            while (p < a.length && a[p] != 0) p += (a[p] & 0xff) + 1;
            return Math.min(a.length, p + 1 + 4);
        }

        @Override public void close() { socket.close(); }
    }
}
