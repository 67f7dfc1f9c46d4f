// Advanced hunting at scale: 10 million synthetic EmailEvents rows in the gateway's columnar tables, three hunting
// queries through the KQL engine, and the same data and queries in DuckDB (in memory, over JDBC) in the same run.
//
//   bench/hunting-bench.sh [--rows 10000000] [--runs 20] [--no-duckdb] [--only 0|1|2]   (see bench/README.md)
//
// The data follows kql.md §4.2: 60% Inbound, 10% through a connector, 5% without a SenderIPv4, 50,000 IPs, 50,000
// subjects, 100,000 senders, 10,000 recipients, a unique NetworkMessageId per row, 2% of subjects with the term
// "Invoice" and 2% with "invoices-<n>" (a contains match, not a has match), timestamps over the last 33 days in
// arrival order. Every
// column of EmailEvents is filled (most with the few values real mail has; InternetMessageId and ReportId distinct per row),
// so the heap figure is the whole table's.
// Each engine runs each query `runs` times after 15 untimed ones; p50 and p99 are printed, and the ratio of p50s.
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

import dev.gatehouse.hunting.HuntingSchema;
import dev.gatehouse.kql.Catalog;
import dev.gatehouse.kql.ColumnarTable;
import dev.gatehouse.kql.KqlEngine;
import dev.gatehouse.kql.QueryResult;
import dev.gatehouse.kql.Ticks;

public class HuntingBench {
    static final String[] QUERIES = {
            // the article's query, verbatim, with Defender's 30,000-row cap
            """
            EmailEvents
            | where Timestamp > ago(30d)
            | where EmailDirection == 'Inbound' and Connectors == '' and isnotempty(SenderIPv4)
            | project Timestamp, RecipientEmailAddress, SenderFromAddress, Subject, NetworkMessageId, EmailDirection, Connectors, SenderIPv4, SenderIPv6
            """,
            // the Exchange team's variant: counts by sending IP
            """
            EmailEvents
            | where EmailDirection == "Inbound" and Timestamp >= ago(30d) and Connectors == "" and isnotempty(SenderIPv4)
            | summarize count() by SenderIPv4
            """,
            "EmailEvents | where Subject has \"invoice\" | count",
    };
    static final String[] SQL = {
            "SELECT Timestamp, RecipientEmailAddress, SenderFromAddress, Subject, NetworkMessageId, EmailDirection, Connectors, SenderIPv4, SenderIPv6"
                    + " FROM EmailEvents WHERE Timestamp > ? AND EmailDirection = 'Inbound' AND Connectors = '' AND SenderIPv4 <> '' LIMIT 30001",
            "SELECT SenderIPv4, count(*) AS count_ FROM EmailEvents WHERE EmailDirection = 'Inbound' AND Timestamp >= ? AND Connectors = ''"
                    + " AND SenderIPv4 <> '' GROUP BY SenderIPv4 LIMIT 30001",   // the same cap as the hunting result
            // KQL's has: the term at alphanumeric boundaries, case-insensitively
            "SELECT count(*) FROM EmailEvents WHERE regexp_matches(Subject, '(^|[^[:alnum:]])invoice($|[^[:alnum:]])', 'i') AND ? IS NOT NULL",
    };
    static final String[] NAMES = {"article query, 30,000-row cap", "summarize count() by SenderIPv4", "Subject has \"invoice\" | count"};

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Throwable t) {
            // the source launcher hides errors without a stack trace (an OutOfMemoryError) behind its own exception
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        int rows = 10_000_000, runs = 20;
        boolean duck = true;
        int only = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--no-duckdb" -> duck = false;
                case "--only" -> only = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Instant now = Instant.now();
        Data data = new Data(now, rows);
        ColumnarTable table = new ColumnarTable("EmailEvents", HuntingSchema.EMAIL_EVENTS_COLUMNS, "Timestamp");
        // rows are made 65,536 at a time (not timed), then appended (timed): ingest is the table's work, not the generator's
        long appendNanos = 0;
        Object[][] batch = new Object[1 << 16][];
        for (int r = 0; r < rows; ) {
            int n = Math.min(batch.length, rows - r);
            for (int i = 0; i < n; i++) batch[i] = data.row(r + i);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) table.append(batch[i]);
            appendNanos += System.nanoTime() - t0;
            r += n;
        }
        double load = appendNanos / 1e9;
        ColumnarTable.Snapshot snap = table.snapshot();
        for (int i = 0; i < 3; i++) System.gc();
        Runtime rt = Runtime.getRuntime();
        long heap = rt.totalMemory() - rt.freeMemory();
        System.out.printf("rows=%,d load=%.1f s (%,.0f rows/s) heap after GC=%,d MB (columns ~%,d MB), max heap %,d MB, %d cores%n",
                rows, load, rows / load, heap >> 20, snap.approximateBytes() >> 20, rt.maxMemory() >> 20, rt.availableProcessors());
        if (System.getProperty("columns") != null) {
            List<ColumnarTable.Column> sc = snap.schema();
            for (int c = 0; c < sc.size(); c++) {
                long b = 0;
                String kind = "";
                for (ColumnarTable.Chunk ch : snap.chunks()) {
                    b += ch.columns[c].approximateBytes();
                    kind = ch.columns[c].getClass().getSimpleName();
                }
                System.out.printf("  %-24s %-10s %,8d MB%n", sc.get(c).name(), kind, b >> 20);
            }
        }
        Catalog catalog = new Catalog() {
            @Override public ColumnarTable.Snapshot table(String name) { return name.equals("EmailEvents") ? table.snapshot() : null; }
            @Override public Set<String> tableNames() { return Set.of("EmailEvents"); }
        };
        double[][] ours = new double[QUERIES.length][];
        for (int q = 0; q < QUERIES.length; q++) {
            if (only >= 0 && q != only) continue;
            String kql = QUERIES[q];
            QueryResult[] last = new QueryResult[1];
            ours[q] = time(runs, () -> last[0] = KqlEngine.run(kql, catalog, KqlEngine.Options.defaults(now), () -> false));
            System.out.printf("gatehouse  %-34s p50 %8.1f ms  p99 %8.1f ms  (%,d rows%s)%n", NAMES[q], p(ours[q], 50), p(ours[q], 99),
                    last[0].rows().size(), last[0].truncated() ? ", truncated" : "");
        }
        if (!duck) return;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE EmailEvents (Timestamp TIMESTAMP, NetworkMessageId VARCHAR, RecipientEmailAddress VARCHAR,"
                        + " SenderFromAddress VARCHAR, Subject VARCHAR, EmailDirection VARCHAR, Connectors VARCHAR, SenderIPv4 VARCHAR, SenderIPv6 VARCHAR)");
            }
            long d0 = System.nanoTime();
            var duckConn = c.unwrap(org.duckdb.DuckDBConnection.class);
            try (var app = duckConn.createAppender("main", "EmailEvents")) {
                for (int r = 0; r < rows; r++) {
                    Object[] v = data.row(r);
                    app.beginRow();
                    app.append(java.time.LocalDateTime.ofEpochSecond(Math.floorDiv((Long) v[0], Ticks.PER_SECOND), 0, java.time.ZoneOffset.UTC));
                    for (String col : List.of("NetworkMessageId", "RecipientEmailAddress", "SenderFromAddress", "Subject", "EmailDirection", "Connectors", "SenderIPv4", "SenderIPv6")) {
                        app.append((String) v[index(col)]);
                    }
                    app.endRow();
                }
            }
            System.out.printf("duckdb     load (9 columns the queries read) %.1f s%n", (System.nanoTime() - d0) / 1e9);
            java.sql.Timestamp since = java.sql.Timestamp.from(now.minus(Duration.ofDays(30)));
            for (int q = 0; q < SQL.length; q++) {
                if (only >= 0 && q != only) continue;
                String sql = SQL[q];
                long[] n = {0};
                double[] theirs = time(Math.max(3, runs / 4), () -> {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        ps.setTimestamp(1, since);
                        try (ResultSet rs = ps.executeQuery()) {
                            int cols = rs.getMetaData().getColumnCount();
                            n[0] = 0;
                            while (rs.next()) {
                                for (int i = 1; i <= cols; i++) rs.getObject(i);
                                n[0]++;
                            }
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                    return null;
                });
                System.out.printf("duckdb     %-34s p50 %8.1f ms  p99 %8.1f ms  (%,d rows)  gatehouse is %.0f× faster%n", NAMES[q],
                        p(theirs, 50), p(theirs, 99), n[0], p(theirs, 50) / p(ours[q], 50));
            }
        }
    }

    static int index(String col) {
        for (int i = 0; i < HuntingSchema.EMAIL_EVENTS_COLUMNS.size(); i++) if (HuntingSchema.EMAIL_EVENTS_COLUMNS.get(i).name().equals(col)) return i;
        throw new IllegalArgumentException(col);
    }

    interface Run { Object go() throws Exception; }

    /** Untimed runs of each query first, for both engines: the JIT compiles the evaluator's loops in the first dozen. */
    static final int WARMUP = 15;

    static double[] time(int runs, Run r) throws Exception {
        for (int i = 0; i < WARMUP; i++) r.go();
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            r.go();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    static double p(double[] sorted, int pct) { return sorted[Math.min(sorted.length - 1, (int) Math.ceil(pct / 100.0 * sorted.length) - 1)]; }

    /** The synthetic rows: the same row for the same index in both engines. */
    static final class Data {
        final long nowTicks;
        final String[] ips = new String[50_000], subjects = new String[50_000], senders = new String[100_000], recipients = new String[10_000];
        final List<ColumnarTable.Column> schema = HuntingSchema.EMAIL_EVENTS_COLUMNS;

        final int rows;

        Data(Instant now, int rows) {
            this.rows = rows;
            nowTicks = Ticks.of(now);
            SplittableRandom rnd = new SplittableRandom(42);
            for (int i = 0; i < ips.length; i++) ips[i] = "203." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
            for (int i = 0; i < subjects.length; i++) {
                int kind = i % 50;
                subjects[i] = kind == 0 ? "Invoice " + i + " is due" : kind == 1 ? "Your invoices-" + i + " are ready" : "Meeting notes " + i + " " + rnd.nextInt(1000);
            }
            for (int i = 0; i < senders.length; i++) senders[i] = "user" + i + "@sender" + (i % 5000) + ".example";
            for (int i = 0; i < recipients.length; i++) recipients[i] = "user" + i + "@contoso.com";
        }

        Object[] row(int r) {
            long h = mix(r);
            Object[] v = new Object[schema.size()];
            for (int c = 0; c < v.length; c++) {
                ColumnarTable.Column col = schema.get(c);
                v[c] = switch (col.type()) {
                    case STRING -> "";
                    case INT -> 0;
                    case LONG -> null;
                    default -> null;
                };
            }
            int dir = (int) Long.remainderUnsigned(h, 10);
            String direction = dir < 6 ? "Inbound" : dir < 9 ? "Outbound" : "Intra-org";
            boolean connector = Long.remainderUnsigned(h >>> 8, 10) == 0;
            boolean noIp = Long.remainderUnsigned(h >>> 16, 20) == 0;
            String sender = senders[(int) Long.remainderUnsigned(h >>> 20, senders.length)];
            // in time order, as the feed appends them: the last 33 days, oldest first
            set(v, "Timestamp", nowTicks - 33L * Ticks.PER_DAY + (long) ((double) r / rows * 33 * Ticks.PER_DAY));
            set(v, "NetworkMessageId", new UUID(h, mix(r + 0x5bd1e995L)).toString());
            set(v, "InternetMessageId", "<" + Long.toHexString(h) + "." + r + "@mail." + sender.substring(sender.indexOf('@') + 1) + ">");
            set(v, "ReportId", Long.toString(40_000_000L + r));
            set(v, "SenderMailFromAddress", sender);
            set(v, "SenderFromAddress", sender);
            set(v, "SenderMailFromDomain", sender.substring(sender.indexOf('@') + 1));
            set(v, "SenderFromDomain", sender.substring(sender.indexOf('@') + 1));
            set(v, "SenderIPv4", noIp ? "" : ips[(int) Long.remainderUnsigned(h >>> 24, ips.length)]);
            set(v, "RecipientEmailAddress", recipients[(int) Long.remainderUnsigned(h >>> 30, recipients.length)]);
            set(v, "Subject", subjects[(int) Long.remainderUnsigned(h >>> 36, subjects.length)]);
            set(v, "EmailDirection", direction);
            set(v, "DeliveryAction", "Delivered");
            set(v, "DeliveryLocation", "Inbox/Folder");
            set(v, "AuthenticationDetails", "{\"SPF\":\"none\",\"DKIM\":\"none\",\"DMARC\":\"none\",\"CompAuth\":\"none\"}");
            set(v, "Connectors", connector ? "Partner scanner" : "");
            set(v, "LatestDeliveryAction", "Delivered");
            set(v, "LatestDeliveryLocation", "Inbox/Folder");
            return v;
        }

        void set(Object[] v, String col, Object value) { v[index(col)] = value; }

        static long mix(long x) {
            x += 0x9E3779B97F4A7C15L;
            x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
            x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
            return x ^ (x >>> 31);
        }
    }
}
