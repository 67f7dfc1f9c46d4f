// Each tenant's four hunting tables in memory, and the catalog a query of that tenant sees.
package dev.gatehouse.hunting;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.kql.Catalog;
import dev.gatehouse.kql.ColumnarTable;
import dev.gatehouse.kql.Ticks;

/**
 * Tenant isolation is structural: {@link #catalog} names only the given tenant's tables, so no query, however
 * written, reaches another tenant's rows. Tables are made on a tenant's first row; a tenant without any sees empty
 * tables with the full schema. Rows older than {@link #RETENTION} are invisible ({@link #retain}), as Defender keeps
 * 30 days.
 *
 * <p>Memory is bounded: when the tables hold more than {@code maxRows} rows in all, the oldest sealed chunks
 * (of whichever tenant) are dropped first, so the window shrinks on a store too big for the heap instead of the
 * gateway running out of memory; {@link #windowShrunk()} says so, and it is logged.
 */
public final class HuntingTables {
    private static final Logger log = LoggerFactory.getLogger(HuntingTables.class);

    /** Defender's advanced hunting data range. */
    public static final Duration RETENTION = Duration.ofDays(30);

    /** One tenant's tables; as a {@link Catalog} it names exactly these four. */
    public record TenantTables(ColumnarTable emailEvents, ColumnarTable emailAttachmentInfo, ColumnarTable emailUrlInfo,
                               ColumnarTable emailPostDeliveryEvents) implements Catalog {
        static TenantTables create() {
            return new TenantTables(HuntingSchema.emailEvents(), HuntingSchema.emailAttachmentInfo(), HuntingSchema.emailUrlInfo(),
                    HuntingSchema.emailPostDeliveryEvents());
        }

        public List<ColumnarTable> all() { return List.of(emailEvents, emailAttachmentInfo, emailUrlInfo, emailPostDeliveryEvents); }

        @Override public ColumnarTable.Snapshot table(String name) {
            for (ColumnarTable t : all()) if (t.name().equals(name)) return t.snapshot();
            return null;
        }

        @Override public Set<String> tableNames() {
            return Set.of(HuntingSchema.EMAIL_EVENTS, HuntingSchema.EMAIL_ATTACHMENT_INFO, HuntingSchema.EMAIL_URL_INFO,
                    HuntingSchema.EMAIL_POST_DELIVERY_EVENTS);
        }

        void retainFrom(long ticks) { for (ColumnarTable t : all()) t.retainFrom(ticks); }
    }

    private final Map<Long, TenantTables> tenants = new ConcurrentHashMap<>();
    private final TenantTables empty = TenantTables.create();
    private final long maxRows;
    private volatile long floorTicks;
    private volatile boolean shrunk;

    /**
     * @param now     the clock reading rows are retained from ({@code now - 30 days})
     * @param maxRows most rows held in all tables of all tenants (see {@link #defaultMaxRows()})
     */
    public HuntingTables(Instant now, long maxRows) {
        this.maxRows = maxRows;
        this.floorTicks = Ticks.of(now.minus(RETENTION));
    }

    /**
     * A quarter of the heap at about 400 bytes a row (39 columns, dictionary-encoded; unique ids, subjects and
     * Message-IDs cost the most), at least a million.
     */
    public static long defaultMaxRows() { return Math.max(1_000_000L, Runtime.getRuntime().maxMemory() / 4 / 400); }

    /** The tenant's tables and nothing else; empty tables when the tenant has no rows yet. */
    public Catalog catalog(long tenantId) { return tenants.getOrDefault(tenantId, empty); }

    /** The tenant's tables, made on first use (the feed's side). */
    TenantTables of(long tenantId) {
        return tenants.computeIfAbsent(tenantId, id -> {
            TenantTables t = TenantTables.create();
            t.retainFrom(floorTicks);
            return t;
        });
    }

    /** Hides rows older than 30 days before {@code now} and frees the chunks that hold only such rows (Housekeeping). */
    public void retain(Instant now) {
        long floor = Ticks.of(now.minus(RETENTION));
        floorTicks = Math.max(floorTicks, floor);
        for (TenantTables t : tenants.values()) t.retainFrom(floorTicks);
    }

    /** Whether a row stamped {@code at} would still be visible (the feed skips older ones). */
    boolean inWindow(Instant at) { return Ticks.of(at) >= floorTicks; }

    /** Rows held in all tables of all tenants (hidden ones in kept chunks included). */
    public long rows() {
        long n = 0;
        for (TenantTables t : tenants.values()) for (ColumnarTable c : t.all()) n += c.snapshot().rows();
        return n;
    }

    /** True once the row budget made the oldest rows go before their 30 days were up. */
    public boolean windowShrunk() { return shrunk; }

    /** Drops the oldest sealed chunks, table by table, until the rows fit in the budget (or only open chunks are left). */
    void enforceBudget() {
        long rows = rows();
        while (rows > maxRows) {
            ColumnarTable oldest = null;
            ColumnarTable.Chunk chunk = null;
            for (TenantTables t : tenants.values()) {
                for (ColumnarTable c : t.all()) {
                    List<ColumnarTable.Chunk> chunks = new ArrayList<>(c.snapshot().chunks());
                    if (chunks.size() < 2) continue; // the last chunk is the open one
                    ColumnarTable.Chunk first = chunks.getFirst();
                    if (chunk == null || first.maxTime < chunk.maxTime) {
                        oldest = c;
                        chunk = first;
                    }
                }
            }
            if (oldest == null) return;
            oldest.retainFrom(chunk.maxTime + 1);
            rows = rows();
            if (!shrunk) log.warn("event=hunting_window_shrunk max_rows={} table={} dropped_until={} (the heap holds less than 30 days;"
                    + " raise -Xmx for the full window)", maxRows, oldest.name(), Ticks.toInstant(chunk.maxTime));
            shrunk = true;
        }
    }
}
