// Message trace and historical search at scale: loads N message events (default 10 million) into a store, then times
// a sender-filtered Get-MessageTraceV2 over 10 days and a 90-day NoConnector ConnectorReport historical search.
//
//   bench/trace-scale.sh [--events 10000000] [--store jdbc:postgresql://...]   (see bench/README.md)
//
// Run by the script with the gateway jar on the class path (Java's single-file source launcher). The load writes the
// queue's tables the way the accept path and delivery leave them for a delivered message: a messages row (its bytes
// already dropped), one recipient row Delivered, and two events (Receive, Deliver); so N events are N/2 messages,
// spread evenly over the last 90 days, from 50,000 senders, one in five through no connector (Direct Send) and the
// rest through the connector "CP-IP". The timed reads are the product's own: MessageTraceService.search and the
// historical search worker, through the same SQL and indexes a tenant's admin gets.
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import dev.gatehouse.directory.AcceptedDomainService;
import dev.gatehouse.directory.Directory;
import dev.gatehouse.directory.DomainType;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.ndr.Bounces;
import dev.gatehouse.reports.HistoricalSearch;
import dev.gatehouse.reports.HistoricalSearchService;
import dev.gatehouse.reports.HistoricalSearchWorker;
import dev.gatehouse.store.Store;
import dev.gatehouse.trace.MessageTraceService;

public class TraceScale {
    static final int SENDERS = 50_000;
    static final int BATCH = 20_000;

    public static void main(String[] args) throws Exception {
        long events = 10_000_000;
        String url = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Long.parseLong(args[++i]);
                case "--store" -> url = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("gh-trace-scale");
        Instant now = Instant.now();
        try (Store store = Store.open(url, dir)) {
            long tenant = new TenantService(store).create("Contoso").id();
            new AcceptedDomainService(store).create(tenant, "contoso.com", DomainType.Authoritative, false);
            long messages = events / 2;
            long t0 = System.nanoTime();
            load(store, tenant, messages, now);
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            if (url != null) { // what autovacuum does after a bulk load on a running server: table statistics for the planner
                store.writeAndWait(ctx -> { ctx.prepare("ANALYZE").execute(); return null; });
            }
            System.out.printf("store=%s events=%,d messages=%,d load=%.0f s (%,.0f events/s)%n", url == null ? "sqlite" : "postgresql",
                    messages * 2, messages, loadSeconds, messages * 2 / loadSeconds);

            // a sender-filtered trace over the last 10 days: 21 senders, the first cold
            MessageTraceService trace = new MessageTraceService(store);
            List<Double> ms = new ArrayList<>();
            int rows = 0;
            for (int i = 0; i < 21; i++) {
                String sender = "sender" + (i * 2_371 % SENDERS) + "@partner" + (i * 2_371 % 97) + ".example";
                long s = System.nanoTime();
                rows += trace.search(tenant, new MessageTraceService.Request(now.minus(Duration.ofDays(10)), now, List.of(sender), null,
                        null, null, null, null, null, null, null, 0, 1000), MessageTraceService.Flavor.V2).size();
                ms.add((System.nanoTime() - s) / 1e6);
            }
            double cold = ms.getFirst();
            List<Double> warm = new ArrayList<>(ms.subList(1, ms.size()));
            Collections.sort(warm);
            System.out.printf("trace: Get-MessageTraceV2 -SenderAddress <one sender> over 10 days: cold %.1f ms, warm p50 %.1f ms, "
                    + "max %.1f ms (%d rows over %d queries)%n", cold, warm.get(warm.size() / 2), warm.getLast(), rows, ms.size());

            // the 90-day NoConnector ConnectorReport, run by the worker as the gateway runs it
            Path reports = dir.resolve("reports");
            HistoricalSearchService service = new HistoricalSearchService(store, new Directory(store), reports, "http://bench:8080",
                    () -> {}, Clock.systemUTC());
            try (HistoricalSearchWorker worker = new HistoricalSearchWorker(store, new Bounces(new Directory(store), "bench"), reports,
                    "bench", () -> {}, Clock.systemUTC(), Duration.ofMillis(20))) {
                worker.serving(service);
                worker.start();
                // the whole window a search may cover, from now (the load took minutes): 90 days back, to now. First every
                // NoConnector message (one in five: more than the 100,000 rows of one file, so it stops at the newest
                // 100,000), then those of one sending IP, which walks all 90 days
                Instant end = Instant.now();
                for (String ip : new String[] {null, "203.0.113.5"}) {
                    long s = System.nanoTime();
                    HistoricalSearch job = service.start(tenant, "Contoso", "bench", new HistoricalSearchService.Request("DirectSendMessages",
                            end.minus(Duration.ofDays(90)).plusSeconds(5), end, "ConnectorReport", "Received", "NoConnector", null,
                            null, null, null, null, ip, null, null, false));
                    worker.wakeUp();
                    HistoricalSearch done = job;
                    while (!List.of("Done", "Failed").contains(done.Status())) {
                        Thread.sleep(50);
                        done = service.get(tenant, "Contoso", job.JobId());
                    }
                    System.out.printf("historical search: ConnectorReport -ConnectorType NoConnector%s over 90 days: %.1f s, %s, %,d rows (%s)%n",
                            ip == null ? "" : " -OriginalClientIP " + ip, (System.nanoTime() - s) / 1e9, done.Status(), done.Rows(),
                            done.ReportStatusDescription());
                }
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Writes {@code messages} delivered messages, evenly over the last 90 days, in batches of one transaction each. */
    static void load(Store store, long tenant, long messages, Instant now) {
        long span = Duration.ofDays(90).toMillis() - 120_000;
        long start = now.toEpochMilli() - Duration.ofDays(90).toMillis() + 60_000;
        long[] next = {0};
        while (next[0] < messages) {
            long from = next[0];
            long to = Math.min(messages, from + BATCH);
            store.writeAndWait(ctx -> {
                // ids given here (a fresh store), so every insert can be batched
                PreparedStatement m = ctx.prepare("INSERT INTO messages (id, network_message_id, received_at, mail_from, client_ip, helo,"
                        + " tls_protocol, tls_cipher, internet_message_id, subject, header_from, size, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                        + " ?, ?, ?, ?)");
                PreparedStatement r = ctx.prepare("INSERT INTO recipients (message_id, tenant_id, address, mailbox_id, status, attempts,"
                        + " next_attempt_at, updated_at, inbound_connector, directionality, auth_as, direct_send) VALUES (?, ?, ?, NULL,"
                        + " 'Delivered', 1, ?, ?, ?, 'Incoming', 'Anonymous', ?)");
                PreparedStatement e = ctx.prepare("INSERT INTO message_events (tenant_id, network_message_id, recipient, event_type, detail,"
                        + " event_at) VALUES (?, ?, ?, ?, ?, ?)");
                for (long i = from; i < to; i++) {
                    long at = start + span * i / messages;
                    String nmid = new UUID(0x01a0000000007000L | (at << 16 & 0xffffffffffff0000L), i).toString();
                    int sender = (int) (i % SENDERS);
                    boolean direct = i % 5 == 0;
                    String rcpt = "user" + (i % 1000) + "@contoso.com";
                    long id = i + 1;
                    m.setLong(1, id);
                    m.setString(2, nmid);
                    m.setLong(3, at);
                    m.setString(4, "sender" + sender + "@partner" + (sender % 97) + ".example");
                    m.setString(5, direct ? "203.0.113." + (i % 250) : "198.51.100.7");
                    m.setString(6, "mx" + (sender % 97) + ".example");
                    m.setString(7, i % 3 == 0 ? null : "TLSv1.3");
                    m.setString(8, i % 3 == 0 ? null : "TLS_AES_256_GCM_SHA384");
                    m.setString(9, "<" + i + "@partner.example>");
                    m.setString(10, "Invoice " + i);
                    m.setString(11, "sender" + sender + "@partner" + (sender % 97) + ".example");
                    m.setLong(12, 5_120);
                    m.setBytes(13, new byte[0]);
                    m.addBatch();
                    r.setLong(1, id);
                    r.setLong(2, tenant);
                    r.setString(3, rcpt);
                    r.setLong(4, at);
                    r.setLong(5, at + 40);
                    r.setString(6, direct ? "" : "CP-IP"); // "" = no connector, as the accept path stores it
                    r.setBoolean(7, direct);
                    r.addBatch();
                    for (int k = 0; k < 2; k++) {
                        e.setLong(1, tenant);
                        e.setString(2, nmid);
                        e.setString(3, rcpt);
                        e.setString(4, k == 0 ? "Receive" : "Deliver");
                        e.setString(5, k == 0 ? "size=5120" + (direct ? "" : " connector=CP-IP") : "maildir=bench");
                        e.setLong(6, at + k * 40L);
                        e.addBatch();
                    }
                }
                m.executeBatch();
                r.executeBatch();
                e.executeBatch();
                return null;
            });
            next[0] = to;
        }
    }
}
