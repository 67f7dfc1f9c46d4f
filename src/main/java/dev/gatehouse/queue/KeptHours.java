// Reports' counts per closed hour, kept the first time a report reads the hour; the open hours and the rest counted live.
package dev.gatehouse.queue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.store.Store;
import dev.gatehouse.store.StoreException;
import dev.gatehouse.store.WriteContext;

/**
 * Read-time materialisation of the reports' counts (decision web-report-aggregates). A window is cut into the whole
 * UTC hours that are closed, read from the kept rows, and the rest, counted live from the message tables as before:
 * the part before the first whole hour, the hours not kept yet, and everything from the first hour that is not
 * closed to the end. Of the hours just counted live, those that can never count differently are kept, so the next
 * report reads them instead of walking their mail again. Nothing on the accept or delivery path writes a kept row.
 *
 * <p>An hour is kept only when its count is final:
 * <ul>
 * <li>it is <b>closed</b>: it ended {@link #SETTLE} ago. A message's receive time is stamped at end of data and the
 *     message becomes visible when its commit does, within the accept's commit timeout (2 minutes), so no message can
 *     still appear in a closed hour;</li>
 * <li>it is at or above the <b>trace-retention horizon</b> ({@code hourly_horizon}): the purge raises the horizon
 *     before it deletes any message, and kept rows below the horizon are never read (the read that takes the kept
 *     rows compares their hour with the horizon in the same statement), so a kept hour never outlives the mail it
 *     counted, even one written by a page that counted it just before the purge. The purge drops such rows;</li>
 * <li>the kind says it is <b>settled</b> ({@link HourlyKind#settled}): the home page's outcomes only once no copy of
 *     the hour is still queued (Pending or AwaitingRelay), the one state a copy leaves after it was accepted.</li>
 * </ul>
 * Every read and write is scoped to one tenant; kept rows carry the tenant's id in their key.
 */
final class KeptHours {
    private static final Logger log = LoggerFactory.getLogger(KeptHours.class);

    static final long HOUR = Duration.ofHours(1).toMillis();
    /** How long after its end an hour is closed: well past the accept's 2-minute commit timeout and clock skew. */
    static final Duration SETTLE = Duration.ofMinutes(15);
    /** Hours to count that are at most this many kept hours apart are counted in one read, the hours between too. */
    static final int MERGE_GAP = 6;

    private final Store store;

    KeptHours(Store store) { this.store = store; }

    /**
     * The tenant's rows of the messages received in {@code [start, end)}, per hour and key: kept rows for the whole
     * hours that were kept, live counts for the rest; then keeps the hours counted live that are final.
     */
    <R extends HourlyKind.Row> List<R> rows(HourlyKind<R> kind, long tenantId, Instant start, Instant end, Instant now) {
        long s = start.toEpochMilli();
        long e = end.toEpochMilli();
        if (e <= s) return List.of();
        long first = Math.ceilDiv(s, HOUR);
        long last = Math.min(Math.floorDiv(e, HOUR), closedBefore(now));
        if (first >= last) return store.read(c -> kind.count(c, tenantId, s, e));
        Read<R> read = store.read(c -> read(c, kind, tenantId, s, e, first, last));
        keep(kind, tenantId, read.toKeep());
        return read.rows();
    }

    /** The first hour that is not closed at {@code now}: every hour before it ended {@link #SETTLE} ago or more. */
    static long closedBefore(Instant now) { return Math.floorDiv(now.toEpochMilli() - SETTLE.toMillis(), HOUR); }

    /** What one read found: the window's rows, and the hours it counted live that may be kept. */
    private record Read<R>(List<R> rows, SortedMap<Long, List<R>> toKeep) {}

    /** Kept rows of the closed whole hours {@code [first, last)}, live counts of the rest of {@code [s, e)}. */
    private static <R extends HourlyKind.Row> Read<R> read(Connection c, HourlyKind<R> kind, long tenantId, long s, long e, long first,
                                                           long last) throws SQLException {
        Map<Long, List<R>> kept = byHour(kind.kept(c, tenantId, first, last));
        List<long[]> live = liveRanges(kept, first, last);
        List<R> rows = new ArrayList<>();
        kept.forEach((hour, hourRows) -> {
            if (live.stream().noneMatch(r -> r[0] <= hour && hour < r[1])) for (R r : hourRows) if (r.counted()) rows.add(r);
        });
        if (s < first * HOUR) rows.addAll(kind.count(c, tenantId, s, first * HOUR));
        if (last * HOUR < e) rows.addAll(kind.count(c, tenantId, last * HOUR, e));
        SortedMap<Long, List<R>> toKeep = new TreeMap<>();
        for (long[] range : live) {
            Map<Long, List<R>> counted = byHour(kind.count(c, tenantId, range[0] * HOUR, range[1] * HOUR));
            for (long h = range[0]; h < range[1]; h++) {
                List<R> hourRows = counted.getOrDefault(h, List.of());
                rows.addAll(hourRows);
                if (!kept.containsKey(h) && kind.settled(hourRows)) toKeep.put(h, hourRows);
            }
        }
        return new Read<>(rows, toKeep);
    }

    /**
     * The hours of {@code [first, last)} to count live, as ranges {@code [from, to)}: those not kept, joined into one
     * range when at most {@link #MERGE_GAP} kept hours lie between them (those then counted live too), so that a few
     * hours that stay unsettled cost a few reads, not one each.
     */
    static List<long[]> liveRanges(Map<Long, ?> kept, long first, long last) {
        List<long[]> ranges = new ArrayList<>();
        for (long h = first; h < last; h++) {
            if (kept.containsKey(h)) continue;
            long[] previous = ranges.isEmpty() ? null : ranges.getLast();
            if (previous != null && h - previous[1] <= MERGE_GAP) previous[1] = h + 1;
            else ranges.add(new long[] {h, h + 1});
        }
        return ranges;
    }

    private static <R extends HourlyKind.Row> Map<Long, List<R>> byHour(List<R> rows) {
        Map<Long, List<R>> out = new HashMap<>();
        for (R r : rows) out.computeIfAbsent(r.hour(), h -> new ArrayList<>()).add(r);
        return out;
    }

    /** Keeps the hours at or above the horizon, in one transaction; a failure costs only the next report a live count. */
    private <R extends HourlyKind.Row> void keep(HourlyKind<R> kind, long tenantId, SortedMap<Long, List<R>> hours) {
        if (hours.isEmpty()) return;
        try {
            int kept = store.writeAndWait(ctx -> {
                SortedMap<Long, List<R>> keep = hours.tailMap(horizon(ctx));
                for (var h : keep.entrySet()) kind.keep(ctx, tenantId, h.getKey(), h.getValue());
                return keep.size();
            });
            log.debug("event=hours_kept kind={} tenant_id={} hours={} from_hour={}", kind.name(), tenantId, kept, hours.firstKey());
        } catch (StoreException e) {
            log.warn("event=hours_not_kept kind={} tenant_id={} hours={} error=\"{}\"", kind.name(), tenantId, hours.size(), e.toString());
        }
    }

    /**
     * The condition every read of kept rows adds: the hour is at or above the horizon, read in the same statement. A
     * page that counted an hour before the purge raised the horizon may still write it afterwards (no lock is taken,
     * so no page ever waits for a purge nor a purge for a page, on any node); such a row is never read, and the next
     * purge drops it.
     */
    static final String ABOVE_HORIZON = " AND hour >= (SELECT before_hour FROM hourly_horizon WHERE id = 1)";

    /** The hours before this one may have lost mail to trace retention. */
    private static long horizon(WriteContext ctx) throws SQLException {
        try (ResultSet rs = ctx.prepare("SELECT before_hour FROM hourly_horizon WHERE id = 1").executeQuery()) {
            if (!rs.next()) throw new SQLException("hourly_horizon has no row");
            return rs.getLong(1);
        }
    }

    /**
     * Before trace retention deletes messages received before {@code cutoff}: raises the horizon to the first hour that
     * starts at or after it (never lowers it), then drops every tenant's kept rows below the horizon, those a page
     * wrote after an earlier purge included. Returns how many kept rows were dropped.
     */
    static int forgetBefore(Store store, Instant cutoff, List<HourlyKind<?>> kinds) {
        long hour = Math.ceilDiv(cutoff.toEpochMilli(), HOUR);
        return store.writeAndWait(ctx -> {
            PreparedStatement raise = ctx.prepare("UPDATE hourly_horizon SET before_hour = ? WHERE id = 1 AND before_hour < ?");
            raise.setLong(1, hour);
            raise.setLong(2, hour);
            raise.executeUpdate();
            long horizon = horizon(ctx);
            int dropped = 0;
            for (HourlyKind<?> k : kinds) dropped += k.forgetBefore(ctx, horizon);
            return dropped;
        });
    }
}
