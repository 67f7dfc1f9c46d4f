// The refusal log: who was refused at RCPT TO (and for a header From), when, from where, with which reply.
package dev.gatehouse.attribution;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.pipeline.RefusalReason;
import dev.gatehouse.store.Store;

/**
 * Every refusal attribution makes (spec §2.3: {@code 5.7.68}, {@code 5.7.51}, {@code 5.7.64}, {@code 5.4.1},
 * RequireTls's {@code 530}, and the header-From {@code 5.7.68} at end of data) is a row here, owned by the
 * tenant whose recipient was refused ({@code null} for a relay refused because no tenant owns the domain).
 * Exchange keeps no trace of these; message trace doesn't either (they were never accepted). This log is
 * how an admin who turned {@code RejectDirectSend} on sees who is now refused ({@code Get-DirectSendReport
 * -IncludeRefused}, through {@link #summarize}).
 *
 * <p>Writing never delays or fails the SMTP reply: a row is handed to the group committer and not waited
 * for; when the store falls behind by more than {@link #MAX_PENDING} rows (a flood of refused RCPTs), rows
 * are dropped and counted ({@link #dropped()}), never queued without bound. Rows older than the trace
 * retention are purged by the same hourly job as message trace.
 */
public final class RefusalLog {
    private static final Logger log = LoggerFactory.getLogger(RefusalLog.class);
    static final int MAX_PENDING = 10_000;

    /** One refusal. {@code tenantId} null: no tenant owns the recipient's domain. */
    public record Refusal(Long tenantId, Instant at, String clientIp, String helo, String tlsProtocol, String mailFrom,
                          String recipient, RefusalReason reason, String reply, String connector) {}

    private final Store store;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();

    public RefusalLog(Store store) { this.store = store; }

    /** Records the refusal without waiting for it to be written. */
    public void record(Refusal r) {
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            if (dropped.incrementAndGet() % 1000 == 1) log.warn("event=refusal_log_behind dropped={}", dropped.get());
            return;
        }
        store.write(ctx -> {
            PreparedStatement ps = ctx.prepare("INSERT INTO refusals (tenant_id, refused_at, client_ip, helo, tls_protocol, mail_from,"
                    + " recipient, reason, reply, connector) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            if (r.tenantId() == null) ps.setNull(1, java.sql.Types.BIGINT);
            else ps.setLong(1, r.tenantId());
            ps.setLong(2, r.at().toEpochMilli());
            ps.setString(3, r.clientIp());
            ps.setString(4, clip(r.helo(), 512));
            ps.setString(5, r.tlsProtocol());
            ps.setString(6, clip(r.mailFrom() == null ? "" : r.mailFrom(), 512));
            ps.setString(7, clip(r.recipient(), 512));
            ps.setString(8, r.reason().label());
            ps.setString(9, r.reply());
            ps.setString(10, r.connector());
            ps.executeUpdate();
            return null;
        }).whenComplete((v, e) -> {
            pending.decrementAndGet();
            if (e != null) log.warn("event=refusal_not_logged reason={} error=\"{}\"", r.reason().label(), e.toString());
        });
    }

    /** How many refusals were not logged because the store was behind. */
    public long dropped() { return dropped.get(); }

    /** The tenant's refusals in {@code [start, end)}, newest first, at most {@code limit}. */
    public List<Refusal> list(long tenantId, Instant start, Instant end, int limit) {
        return query("tenant_id = ?", tenantId, start, end, limit);
    }

    /** Refusals no tenant owns (relay refused for a domain no tenant accepts): the operator's view. */
    public List<Refusal> listUnowned(Instant start, Instant end, int limit) {
        return query("tenant_id IS NULL", null, start, end, limit);
    }

    private List<Refusal> query(String owner, Long tenantId, Instant start, Instant end, int limit) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT tenant_id, refused_at, client_ip, helo, tls_protocol, mail_from,"
                    + " recipient, reason, reply, connector FROM refusals WHERE " + owner + " AND refused_at >= ? AND refused_at < ?"
                    + " ORDER BY refused_at DESC, id DESC LIMIT ?")) {
                int i = 1;
                if (tenantId != null) ps.setLong(i++, tenantId);
                ps.setLong(i++, start.toEpochMilli());
                ps.setLong(i++, end.toEpochMilli());
                ps.setInt(i, limit);
                List<Refusal> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long t = rs.getLong(1);
                        Long owned = rs.wasNull() ? null : t;
                        out.add(new Refusal(owned, Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getString(7), reason(rs.getString(8)),
                                rs.getString(9), rs.getString(10)));
                    }
                }
                return out;
            }
        });
    }

    /**
     * The refusals of one client IP with one MAIL FROM for one reason, summed up over a window.
     *
     * @param recipients      refused recipients (rows)
     * @param seconds         distinct seconds in which they were refused: the log keeps recipients, not
     *                        messages (a refused message never existed), so this is the nearest honest count of
     *                        attempts; several in one second count once, one spanning a second boundary twice
     * @param reply           one reply given (the same for every row of a reason)
     * @param sampleRecipient one refused recipient (the smallest address, so the answer is stable)
     */
    public record Summary(String clientIp, String mailFrom, RefusalReason reason, String reply, int recipients, int seconds,
                          Instant first, Instant last, String sampleRecipient) {}

    /**
     * The tenant's refusals in {@code [start, end)} summed per (client IP, MAIL FROM, reason) by the database,
     * handed to {@code sink} one at a time in no particular order: a window of a million refused recipients is
     * aggregated where it is stored and read through a cursor, never held in memory. Refusals no tenant owns
     * are never included.
     */
    public void summarize(long tenantId, Instant start, Instant end, Consumer<Summary> sink) {
        store.read(c -> {
            boolean auto = c.getAutoCommit();
            // PostgreSQL's driver reads a whole result before returning its first row unless a fetch size is
            // set inside a transaction; on SQLite the transaction only pins one snapshot
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT client_ip, mail_from, reason, MIN(reply), COUNT(*),"
                    + " COUNT(DISTINCT refused_at / 1000), MIN(refused_at), MAX(refused_at), MIN(recipient) FROM refusals"
                    + " WHERE tenant_id = ? AND refused_at >= ? AND refused_at < ? GROUP BY client_ip, mail_from, reason")) {
                ps.setFetchSize(1000);
                ps.setLong(1, tenantId);
                ps.setLong(2, start.toEpochMilli());
                ps.setLong(3, end.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(new Summary(rs.getString(1), rs.getString(2), reason(rs.getString(3)), rs.getString(4),
                                rs.getInt(5), rs.getInt(6), Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8)),
                                rs.getString(9)));
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(auto);
            }
            return null;
        });
    }

    /** How many of the tenant's recipients were refused on one UTC day (its midnight). */
    public record DailyRefusals(Instant day, long recipients) {}

    /**
     * The tenant's refused recipients in {@code [start, end)} counted per UTC day, oldest first; a day without
     * refusals has no row. Read from the {@code (tenant_id, refused_at)} index alone. Refusals no tenant owns are
     * never included.
     */
    public List<DailyRefusals> perDay(long tenantId, Instant start, Instant end) {
        return store.read(c -> {
            List<DailyRefusals> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT refused_at / " + DAY + ", COUNT(*) FROM refusals WHERE tenant_id = ?"
                    + " AND refused_at >= ? AND refused_at < ? GROUP BY 1 ORDER BY 1")) {
                ps.setLong(1, tenantId);
                ps.setLong(2, start.toEpochMilli());
                ps.setLong(3, end.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(new DailyRefusals(Instant.ofEpochMilli(rs.getLong(1) * DAY), rs.getLong(2)));
                }
            }
            return out;
        });
    }

    private static final long DAY = java.time.Duration.ofDays(1).toMillis();

    private static RefusalReason reason(String label) { return RefusalReason.valueOf(label.toUpperCase(Locale.ROOT)); }

    /** Deletes refusals older than {@code before}, in short chunks; returns how many. */
    public int purgeOlderThan(Instant before) {
        int total = 0;
        for (int n = CHUNK; n == CHUNK; total += n) {
            n = store.writeAndWait(ctx -> {
                PreparedStatement ps = ctx.prepare("DELETE FROM refusals WHERE id IN (SELECT id FROM refusals WHERE refused_at < ?"
                        + " ORDER BY refused_at LIMIT ?)");
                ps.setLong(1, before.toEpochMilli());
                ps.setInt(2, CHUNK);
                return ps.executeUpdate();
            });
        }
        return total;
    }

    private static final int CHUNK = 1000;

    private static String clip(String s, int max) { return s == null || s.length() <= max ? s : s.substring(0, max); }
}
