package dev.gatehouse.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.gatehouse.directory.AcceptedDomainService;
import dev.gatehouse.directory.DomainType;
import dev.gatehouse.directory.MailboxService;
import dev.gatehouse.directory.Tenant;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.store.Store;

/** Shared pieces of the whole-process tests: stores, provisioning, Maildir scans, metrics, one SMTP send. */
final class ItSupport {

    private ItSupport() {}

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static String pgBaseUrl() {
        String u = System.getenv("GATEHOUSE_TEST_PG_URL");
        return u == null || u.isBlank() ? "jdbc:postgresql://127.0.0.1:5432/test?user=postgres" : u;
    }

    /** A fresh PostgreSQL schema for one test, dropped on close. */
    static final class PgSchema implements AutoCloseable {
        final String name = "gh_it_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        final String url;

        PgSchema() throws SQLException {
            String base = pgBaseUrl();
            try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + name);
            }
            url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name;
        }

        @Override public void close() throws SQLException {
            if (Boolean.getBoolean("gatehouse.it.keepSchema")) { System.out.println("keeping schema " + name); return; }
            try (Connection c = DriverManager.getConnection(pgBaseUrl()); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            }
        }
    }

    /**
     * Creates a tenant with one Authoritative domain and mailboxes through the service layer (the store
     * is closed again before returning, so a gateway process can open it). Returns the tenant's GUID,
     * the Maildir folder name under {@code mail/}.
     */
    static String provision(String storeUrl, Path dataDir, String tenant, String domain, String... mailboxes) {
        try (Store s = Store.open(storeUrl, dataDir)) {
            Tenant t = new TenantService(s).create(tenant);
            new AcceptedDomainService(s).create(t.id(), domain, DomainType.parse("Authoritative"), false);
            MailboxService mb = new MailboxService(s);
            for (String a : mailboxes) mb.create(t.id(), a.substring(0, a.indexOf('@')), a, List.of());
            return t.Guid();
        }
    }

    /**
     * Every delivered file under {@code <dataDir>/mail/<tenant>/<address>/new/}. Lists only the fixed
     * levels (never {@code tmp/}, whose files come and go while a gateway delivers).
     */
    static List<Path> deliveredFiles(Path dataDir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path tenant : list(dataDir.resolve("mail"))) {
            for (Path address : list(tenant)) {
                for (Path f : list(address.resolve("new"))) if (Files.isRegularFile(f)) out.add(f);
            }
        }
        return out;
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of();
        }
    }

    static Path mailbox(Path dataDir, String tenantGuid, String address) {
        return dataDir.resolve("mail").resolve(tenantGuid).resolve(address).resolve("new");
    }

    private static final Pattern TEST_ID = Pattern.compile("(?m)^X-Test-Id: (\\S+)\r?$");

    /** The X-Test-Id of a delivered file (header section only), or null. */
    static String testId(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) { head = in.readNBytes(16 * 1024); }
        String h = new String(head, StandardCharsets.ISO_8859_1);
        int end = h.indexOf("\r\n\r\n");
        if (end >= 0) h = h.substring(0, end);
        Matcher m = TEST_ID.matcher(h);
        return m.find() ? m.group(1) : null;
    }

    /** X-Test-Id → number of files carrying it, over all given data dirs; key is "id" or "id address" when byMailbox. */
    static Map<String, Integer> countTestIds(boolean byMailbox, Path... dataDirs) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        for (Path d : dataDirs) {
            for (Path f : deliveredFiles(d)) {
                String id;
                try {
                    id = testId(f);
                } catch (java.nio.file.NoSuchFileException e) {
                    continue;
                }
                if (id == null) continue;
                String key = byMailbox ? id + " " + f.getParent().getParent().getFileName() : id;
                counts.merge(key, 1, Integer::sum);
            }
        }
        return counts;
    }

    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String metrics(int httpPort) throws IOException, InterruptedException {
        return get(httpPort, "/metrics").body();
    }

    /** The value of an exposition line starting with {@code series} (name plus labels), or NaN. */
    static double metric(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) return Double.parseDouble(line.substring(series.length() + 1).trim());
        }
        return Double.NaN;
    }

    /**
     * Waits until the gateway reports an empty queue and the delivered file count has stopped growing
     * for a while; returns the final count. The depth counts a recipient until its outcome is recorded,
     * which delivery does only after the file is in {@code new/}: so the files are counted after every
     * node said 0, and a short steady spell is enough.
     */
    static int awaitDrained(List<GatewayProcess> nodes, Duration timeout, Path... dataDirs) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = -1;
        List<Double> depths = new ArrayList<>();
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            boolean empty = true;
            depths.clear();
            for (GatewayProcess g : nodes) {
                double depth = metric(metrics(g.httpPort), "gatehouse_queue_depth");
                depths.add(depth);
                empty &= depth == 0.0;
            }
            int n = 0;
            for (Path d : dataDirs) n += deliveredFiles(d).size();
            if (n != last || !empty) { last = n; stableSince = System.nanoTime(); }
            else if (System.nanoTime() - stableSince > Duration.ofMillis(500).toNanos()) return n;
            Thread.sleep(100);
        }
        throw new AssertionError("queue not drained within " + timeout + " (delivered files: " + last
                + ", gatehouse_queue_depth per node: " + depths + ")");
    }

    enum Outcome { ACCEPTED, IN_DOUBT, OTHER, NOT_SENT }

    /**
     * One message in its own connection: ACCEPTED on 250 after the dot, IN_DOUBT when the connection
     * broke after the dot was written, OTHER on any other reply after the dot or a refusal earlier,
     * NOT_SENT when the connection failed before the data was complete (the client keeps the message).
     */
    static Outcome sendOne(int port, String from, List<String> rcpts, String testId, String body) {
        boolean dotSent = false;
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", port)) {
            if (!c.reply().startsWith("220")) return Outcome.NOT_SENT;
            if (!c.cmd("EHLO it.example").startsWith("250")) return Outcome.NOT_SENT;
            if (!c.cmd("MAIL FROM:<" + from + ">").startsWith("250")) return Outcome.NOT_SENT;
            for (String r : rcpts) if (!c.cmd("RCPT TO:<" + r + ">").startsWith("250")) return Outcome.OTHER;
            if (!c.cmd("DATA").startsWith("354")) return Outcome.NOT_SENT;
            String msg = "From: <" + from + ">\r\nTo: <" + rcpts.getFirst() + ">\r\nSubject: " + testId + "\r\nX-Test-Id: "
                    + testId + "\r\n\r\n" + body + "\r\n.\r\n";
            c.send(msg);
            dotSent = true;
            String reply = c.reply();
            try { c.cmd("QUIT"); } catch (IOException ignored) { /* the answer is what counts */ }
            return reply.startsWith("250") ? Outcome.ACCEPTED : Outcome.OTHER;
        } catch (IOException e) {
            return dotSent ? Outcome.IN_DOUBT : Outcome.NOT_SENT;
        }
    }

    static List<String> lines(String s) { return new ArrayList<>(List.of(s.split("\n"))); }
}
