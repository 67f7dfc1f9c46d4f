// The admin centre's quarantine and message trace pages over a big store: loads N messages (default 1 million, as
// TraceScale loads them) and N quarantined copies into a fresh SQLite store, starts a gateway on it, signs in as the
// organization's admin and times each page's GET as a browser asks for it (loopback: the time is the server's).
//
//   bench/web-pages-scale.sh [--messages 1000000] [--quarantined 1000000] [--runs 20]   (see bench/README.md)
//
// Run with the gateway jar on the class path by Java's source launcher, which finds TraceScale.java beside this file.
// The target (issue 13): every page under 300 ms at the server.
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.gatehouse.admin.AdminTokenService;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.directory.AcceptedDomainService;
import dev.gatehouse.directory.DomainType;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.quarantine.QuarantineStore;
import dev.gatehouse.server.Gateway;
import dev.gatehouse.store.Store;

public class WebPagesScale {
    static final int BATCH = 20_000;

    public static void main(String[] args) throws Exception {
        long messages = 1_000_000;
        long quarantined = 1_000_000;
        int runs = 20;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--messages" -> messages = Long.parseLong(args[++i]);
                case "--quarantined" -> quarantined = Long.parseLong(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("gh-web-scale");
        try (Gateway g = start(dir.resolve("data"), messages, quarantined)) {
            String base = "http://127.0.0.1:" + g.httpPort();
            HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(URI.create(base + "/signin"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("token=" + q(Files.readString(dir.resolve("data/bench.token"))))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (signedIn.statusCode() != 303) throw new IllegalStateException("sign-in: " + signedIn.statusCode());
            time(http, base, pages(http, base, messages), runs);
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Loads the store in {@code data}, writes an admin token of its organization to data/bench.token, starts a gateway on it. */
    static Gateway start(Path data, long messages, long quarantined) throws Exception {
        try (Store store = Store.open(null, data)) {
            long tenant = new TenantService(store).create("Contoso").id();
            new AcceptedDomainService(store).create(tenant, "contoso.com", DomainType.Authoritative, false);
            long t0 = System.nanoTime();
            TraceScale.load(store, tenant, messages, Instant.now());
            loadQuarantine(store, tenant, quarantined, Instant.now());
            System.out.printf("messages=%,d quarantined=%,d load=%.0f s%n", messages, quarantined, (System.nanoTime() - t0) / 1e9);
            Files.writeString(data.resolve("bench.token"), new AdminTokenService(store).create(tenant, "bench-admin").Token());
        }
        Map<String, String> cli = new HashMap<>();
        cli.put("data-dir", data.toString());
        cli.put("smtp-bind", "127.0.0.1");
        try (var smtp = new java.net.ServerSocket(0); var web = new java.net.ServerSocket(0)) {
            cli.put("smtp-port", String.valueOf(smtp.getLocalPort()));
            cli.put("http-port", String.valueOf(web.getLocalPort()));
        }
        cli.put("hostname", "bench.gatehouse.test");
        return new Gateway(new ConfigLoader(cli, Map.of(), null).load()).start();
    }

    /** The pages to time, by name: lists, filters that use an index and one that can't, one message, the header's box. */
    static Map<String, String> pages(HttpClient http, String base, long messages) throws Exception {
        long recent = messages - Math.max(1, messages / 400); // received about 5 hours ago (the load spreads 90 days)
        String anId = "<" + recent + "@partner.example>";
        String aSender = "sender" + (recent % TraceScale.SENDERS) + "@partner" + (recent % TraceScale.SENDERS % 97) + ".example";
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("quarantine list", "/quarantine");
        pages.put("quarantine list, page 100", "/quarantine?Page=100");
        pages.put("quarantine list, one sender", "/quarantine?SenderAddress=" + q(aSender));
        pages.put("quarantine list, subject contains", "/quarantine?Subject=" + q("Invoice " + messages / 3));
        pages.put("quarantine list, released only", "/quarantine?ReleaseStatus=Released");
        pages.put("quarantined message", firstLink(get(http, base + "/quarantine").body(), "href=\"/quarantine/"));
        pages.put("trace, last 48 hours", "/trace");
        pages.put("trace, header box: a Message-ID (303 to it)", "/trace?q=" + q(anId));
        pages.put("trace, header box: a sender (10 days)", "/trace?q=" + q(aSender));
        pages.put("trace, subject starts with", "/trace?Subject=" + q("Invoice 9") + "&SubjectFilterType=StartsWith");
        pages.put("trace, status Failed (none)", "/trace?Status=Failed");
        pages.put("trace details", firstLink(get(http, base + "/trace").body(), "href=\"/trace/0"));
        pages.put("historical searches", "/trace/searches");
        return pages;
    }

    /** Asks for each page {@code runs} times; prints the first (cold), the median and the slowest of the others. */
    static void time(HttpClient http, String base, Map<String, String> pages, int runs) throws Exception {
        System.out.printf("%-44s %8s %8s %8s %s%n", "page", "cold", "p50", "max", "(ms; status, bytes)");
        for (var e : pages.entrySet()) {
            List<Double> ms = new ArrayList<>();
            HttpResponse<String> last = null;
            for (int i = 0; i < runs; i++) {
                long s = System.nanoTime();
                last = get(http, base + e.getValue());
                ms.add((System.nanoTime() - s) / 1e6);
            }
            List<Double> warm = new ArrayList<>(ms.subList(1, ms.size()));
            Collections.sort(warm);
            System.out.printf("%-44s %8.1f %8.1f %8.1f (%d, %,d)%n", e.getKey(), ms.getFirst(), warm.get(warm.size() / 2), warm.getLast(),
                    last.statusCode(), last.body().length());
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String q(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    /** The first link in {@code html} that starts with {@code prefix} (its path, entities decoded). */
    private static String firstLink(String html, String prefix) {
        int at = html.indexOf(prefix);
        if (at < 0) throw new IllegalStateException("no link " + prefix);
        int start = at + "href=\"".length();
        return html.substring(start, html.indexOf('"', start)).replace("&amp;", "&");
    }

    /** Quarantined copies of the loaded messages (the same ids, senders and subjects), evenly over the last 30 days. */
    static void loadQuarantine(Store store, long tenant, long copies, Instant now) {
        long span = Duration.ofDays(30).toMillis() - 120_000;
        long start = now.toEpochMilli() - Duration.ofDays(30).toMillis() + 60_000;
        byte[] content = "From: x@partner.example\r\nSubject: Invoice\r\n\r\nPlease pay.\r\n".getBytes(StandardCharsets.US_ASCII);
        for (long from = 0; from < copies; from += BATCH) {
            long first = from;
            long to = Math.min(copies, from + BATCH);
            store.writeAndWait(ctx -> {
                PreparedStatement ps = ctx.prepare("INSERT INTO quarantine (tenant_id, message_guid, recipient_guid, message_row_id,"
                        + " recipient_address, mailbox_id, sender_address, subject, internet_message_id, size, received_at, expires_at,"
                        + " policy_type, policy_name, policy_id, quarantine_type, release_status, released_users, content, subject_key) VALUES"
                        + " (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, 'ExchangeTransportRule', 'Hold partner mail', NULL, 'TransportRule', ?, ?, ?,"
                        + " ?)");
                for (long i = first; i < to; i++) {
                    long at = start + span * i / copies;
                    int sender = (int) (i % TraceScale.SENDERS);
                    ps.setLong(1, tenant);
                    ps.setString(2, new UUID(0x01a0000000007000L | (at << 16 & 0xffffffffffff0000L), i).toString());
                    ps.setString(3, UUID.randomUUID().toString());
                    ps.setLong(4, i + 1);
                    ps.setString(5, "user" + (i % 1000) + "@contoso.com");
                    ps.setString(6, "sender" + sender + "@partner" + (sender % 97) + ".example");
                    ps.setString(7, "Invoice " + i);
                    ps.setString(8, "<" + i + "@partner.example>");
                    ps.setLong(9, content.length);
                    ps.setLong(10, at);
                    ps.setLong(11, at + Duration.ofDays(30).toMillis());
                    boolean released = i % 50 == 0;
                    ps.setString(12, released ? "Released" : "NotReleased");
                    ps.setString(13, released ? "user" + (i % 1000) + "@contoso.com" : "");
                    ps.setBytes(14, content);
                    ps.setString(15, QuarantineStore.subjectKey("Invoice " + i)); // as the gateway's quarantine stage writes it
                    ps.addBatch();
                }
                ps.executeBatch();
                return null;
            });
        }
    }
}
