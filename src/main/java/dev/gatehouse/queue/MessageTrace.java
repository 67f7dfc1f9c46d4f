// The read side of the queue's message tables for message trace and reports, always scoped to one tenant.
package dev.gatehouse.queue;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.store.Store;

/**
 * Every query is filtered by tenant id: one message can carry recipients of several tenants, and a tenant
 * sees only its own recipients and their events. The trace and report packages read through here, so the
 * message tables have one owner.
 */
public final class MessageTrace {
    private final Store store;

    public MessageTrace(Store store) { this.store = store; }

    /** The tenant's events of one message, oldest first. */
    public List<MessageTraceEvent> events(long tenantId, String networkMessageId) {
        return store.read(c -> {
            List<MessageTraceEvent> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT tenant_id, network_message_id, recipient, event_type, detail, event_at"
                    + " FROM message_events WHERE tenant_id = ? AND network_message_id = ? ORDER BY event_at, id")) {
                ps.setLong(1, tenantId);
                ps.setString(2, networkMessageId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new MessageTraceEvent(rs.getLong(1), rs.getString(2), rs.getString(3),
                                TraceEventType.valueOf(rs.getString(4)), rs.getString(5), Instant.ofEpochMilli(rs.getLong(6))));
                    }
                }
            }
            return out;
        });
    }

    /** The tenant's recipients of one message with their delivery status. */
    public List<TraceRecipient> recipients(long tenantId, String networkMessageId) {
        return query(tenantId, " AND m.network_message_id = ?", networkMessageId, Integer.MAX_VALUE);
    }

    /** The tenant's most recent recipients (newest message first), at most {@code limit}. */
    public List<TraceRecipient> recentRecipients(long tenantId, int limit) {
        return query(tenantId, "", null, limit);
    }

    private List<TraceRecipient> query(long tenantId, String filter, String arg, int limit) {
        return store.read(c -> {
            List<TraceRecipient> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT r.tenant_id, m.network_message_id, r.address, r.status, r.attempts,"
                    + " r.last_error, m.received_at, r.updated_at FROM recipients r JOIN messages m ON m.id = r.message_id"
                    + " WHERE r.tenant_id = ?" + filter + " ORDER BY m.received_at DESC, r.id LIMIT ?")) {
                int i = 1;
                ps.setLong(i++, tenantId);
                if (arg != null) ps.setString(i++, arg);
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new TraceRecipient(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                                rs.getString(6), Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8))));
                    }
                }
            }
            return out;
        });
    }

    /** The copy facts of {@link TraceRow}, in the order {@link #row} reads them (columns 1 to 16). */
    static final String ROW_COLUMNS = "m.network_message_id, m.received_at, m.mail_from, m.header_from, r.address, m.subject,"
            + " r.status, m.client_ip, m.helo, m.tls_protocol, m.tls_cipher, m.size, m.internet_message_id, r.inbound_connector,"
            + " r.directionality, r.last_error";

    /**
     * The tenant's recipients matching {@code q}, newest message first, then by recipient address. The time
     * window is a range on the indexed receive time; the row filter runs on each candidate until the limit.
     */
    public List<TraceRow> search(long tenantId, TraceSearch q) {
        List<Object> args = new ArrayList<>();
        String sql = searchSql(tenantId, q, args);
        return store.read(c -> {
            List<TraceRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
                ps.setFetchSize(Math.min(q.limit(), 1000));
                try (ResultSet rs = ps.executeQuery()) {
                    int skip = q.rowFilter() == null ? 0 : q.offset();
                    while (out.size() < q.limit() && rs.next()) {
                        TraceRow row = row(rs);
                        if (q.rowFilter() != null && !q.rowFilter().test(row)) continue;
                        if (skip > 0) skip--;
                        else out.add(row);
                    }
                }
            }
            return out;
        });
    }

    /** The SQL of {@link #search} with its arguments appended to {@code args} (a test reads its query plan). */
    static String searchSql(long tenantId, TraceSearch q, List<Object> args) {
        StringBuilder sql = new StringBuilder("SELECT " + ROW_COLUMNS + " FROM " + BY_TIME)
                .append(where(tenantId, q, args)).append(" ORDER BY m.received_at DESC, LOWER(r.address), r.id");
        if (q.rowFilter() == null) sql.append(" LIMIT ").append(q.limit()).append(" OFFSET ").append(q.offset());
        return sql.toString();
    }

    /**
     * The one event model: each event of the tenant's copies that match {@code q} (the window is on the message's
     * receive time, as in message trace), with the facts of its message and copy ({@link MailEvent}), newest
     * message first, then per copy in the order the steps happened. Events that concern the whole message (a
     * rule's evaluation error) come with every copy. {@code sink} returns false to stop; {@code q}'s row filter
     * applies to the copy, its limit and offset are not used.
     */
    public void mailEvents(long tenantId, TraceSearch q, java.util.function.Predicate<MailEvent> sink) {
        List<Object> args = new ArrayList<>();
        String sql = "SELECT " + ROW_COLUMNS + ", e.event_type, e.detail, e.event_at FROM " + BY_TIME
                + " JOIN message_events e ON e.tenant_id = r.tenant_id AND e.network_message_id = m.network_message_id"
                + " AND (e.recipient IS NULL OR LOWER(e.recipient) = LOWER(r.address))" + where(tenantId, q, args)
                + " ORDER BY m.received_at DESC, m.id, r.id, e.event_at, e.id";
        store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        TraceRow copy = row(rs);
                        if (q.rowFilter() != null && !q.rowFilter().test(copy)) continue;
                        MailEvent e = new MailEvent(copy, TraceEventType.valueOf(rs.getString(17)), rs.getString(18),
                                Instant.ofEpochMilli(rs.getLong(19)));
                        if (!sink.test(e)) break;
                    }
                }
            }
            return null;
        });
    }

    /**
     * Messages first, then their recipients: SQLite takes a CROSS JOIN's left table as the outer loop, so a trace reads
     * the window through {@code messages_received} (or {@code messages_sender}) instead of walking every recipient of
     * the tenant when it has no statistics; PostgreSQL reads it as the inner join it is and plans by its own statistics.
     */
    private static final String BY_TIME = "messages m CROSS JOIN recipients r";

    /** The WHERE clause of a trace query: the join, the window on the indexed receive time, the tenant, the exact filters. */
    private static String where(long tenantId, TraceSearch q, List<Object> args) {
        StringBuilder sql = new StringBuilder(" WHERE r.message_id = m.id AND m.received_at >= ? AND m.received_at <= ? AND r.tenant_id = ?");
        args.addAll(List.of(q.start().toEpochMilli(), q.end().toEpochMilli(), tenantId));
        in(sql, args, "LOWER(m.mail_from)", q.senders(), true);
        in(sql, args, "LOWER(r.address)", q.recipients(), true);
        in(sql, args, "m.internet_message_id", q.internetMessageIds(), false);
        in(sql, args, "m.client_ip", q.clientIps(), false);
        in(sql, args, "r.status", q.statuses().stream().map(Enum::name).toList(), false);
        if (q.networkMessageId() != null) {
            sql.append(" AND m.network_message_id = ?");
            args.add(q.networkMessageId());
        }
        if (q.startingRecipient() != null) {
            sql.append(" AND (m.received_at < ? OR LOWER(r.address) > LOWER(?))");
            args.add(q.end().toEpochMilli());
            args.add(q.startingRecipient());
        }
        return sql.toString();
    }

    /** The tenant's copy of one message to one recipient (the address ignoring ASCII case), or null. */
    public TraceRow copy(long tenantId, String networkMessageId, String recipient) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + ROW_COLUMNS + " FROM messages m JOIN recipients r ON r.message_id = m.id"
                    + " WHERE m.network_message_id = ? AND r.tenant_id = ? AND LOWER(r.address) = LOWER(?) ORDER BY r.id")) {
                ps.setString(1, networkMessageId);
                ps.setLong(2, tenantId);
                ps.setString(3, recipient);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? row(rs) : null;
                }
            }
        });
    }

    static TraceRow row(ResultSet rs) throws java.sql.SQLException {
        return new TraceRow(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), RecipientStatus.valueOf(rs.getString(7)), rs.getString(8), rs.getString(9), rs.getString(10),
                rs.getString(11), rs.getLong(12), rs.getString(13), rs.getString(14), rs.getString(15), rs.getString(16));
    }

    private static void in(StringBuilder sql, List<Object> args, String column, List<String> values, boolean lower) {
        if (values.isEmpty()) return;
        sql.append(" AND ").append(column).append(" IN (");
        for (int i = 0; i < values.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(lower ? "LOWER(?)" : "?");
            args.add(values.get(i));
        }
        sql.append(')');
    }

    /** One recipient copy that counted as Direct Send (spec §1.3), for the Direct Send readiness report. */
    public record DirectSendCopy(long messageRowId, String clientIp, String mailFrom, Instant receivedAt, String recipient) {}

    /** The tenant's Direct Send copies received in {@code [start, end)}, oldest first: {@link #windowCopies}. */
    public List<DirectSendCopy> directSend(long tenantId, Instant start, Instant end) {
        return store.read(c -> {
            List<DirectSendCopy> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(directSendSql())) {
                ps.setBoolean(bindWindow(ps, tenantId, start, end), true);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(new DirectSendCopy(rs.getLong(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)),
                            rs.getString(5)));
                }
            }
            return out;
        });
    }

    /** The SQL of {@link #directSend} (a test reads its query plan): the window's parameters, then true. */
    static String directSendSql() {
        return "SELECT m.id, m.client_ip, m.mail_from, m.received_at, r.address" + windowCopies("r.direct_send = ?")
                + " ORDER BY m.received_at, r.id";
    }

    /**
     * FROM and WHERE of a read of the tenant's copies ({@code r}) of the messages ({@code m}) received in a window,
     * with {@code filter} on the copies. The copies come first (SQLite takes a CROSS JOIN's left table as the outer
     * loop): only the tenant's are read, through an index that starts with the tenant and ends with the message id
     * ({@code recipients_tenant}, or {@code recipients_direct_send} when the filter is on the flag), from the
     * smallest message id received in the window on. Every message of the window has an id at least that small, so
     * none is missed; as ids grow with time, few copies outside the window are read, and the window's exact bounds
     * then apply to each copy's message (by its primary key). Other tenants' copies and the message's content are never
     * read. Parameters: tenant, start, end, start, end ({@link #bindWindow}), then the filter's.
     */
    static String windowCopies(String filter) {
        return " FROM recipients r CROSS JOIN messages m WHERE r.tenant_id = ? AND r.message_id >= " + FIRST_ID
                + " AND m.id = r.message_id AND m.received_at >= ? AND m.received_at < ? AND " + filter;
    }

    /**
     * The smallest message id received in the window. Both bounds, so that SQLite reads it from
     * {@code messages_received}, which holds the id; {@code id + 0} so that PostgreSQL does too, instead of walking
     * the primary key up from the store's oldest message until one falls in the window.
     */
    private static final String FIRST_ID = "(SELECT MIN(id + 0) FROM messages WHERE received_at >= ? AND received_at < ?)";

    /** Binds the window's parameters of {@link #windowCopies}; returns the index of the filter's first. */
    static int bindWindow(PreparedStatement ps, long tenantId, Instant start, Instant end) throws java.sql.SQLException {
        ps.setLong(1, tenantId);
        for (int i : new int[] {2, 4}) {
            ps.setLong(i, start.toEpochMilli());
            ps.setLong(i + 1, end.toEpochMilli());
        }
        return 6;
    }

    /**
     * One bucket of the inbound messages report: how many of the tenant's messages arrived in the period
     * starting at {@code periodStart} through {@code connector} ("" = no connector) over {@code tlsProtocol}
     * (as the JDK names it, e.g. {@code TLSv1.3}; null = no TLS).
     */
    public record InboundVolume(Instant periodStart, String connector, String tlsProtocol, long messages) {}

    /**
     * The tenant's inbound messages received in {@code [start, end)}, counted per period of {@code period}
     * (whole hours or days, aligned on the UTC epoch), connector and TLS protocol; oldest period first.
     *
     * <p>A message counts once however many of the tenant's recipients it had ({@code COUNT(DISTINCT)}), and
     * only for the tenant's own recipients. Only copies that came in over SMTP count: their connector is
     * recorded ("" for none), while the gateway's own reports and the copies a quarantine release adds have
     * none (null). The bucket is an integer division of the epoch milliseconds, done by the database, so the
     * same SQL aggregates on SQLite and PostgreSQL.
     */
    public List<InboundVolume> inboundVolume(long tenantId, Instant start, Instant end, Duration period) {
        long millis = period.toMillis();
        long day = Duration.ofDays(1).toMillis();
        if (millis <= 0 || (day % millis != 0 && millis % day != 0)) {
            throw new IllegalArgumentException("a period divides a day or is whole days: " + period);
        }
        return store.read(c -> inboundVolume(c, tenantId, start.toEpochMilli(), end.toEpochMilli(), millis));
    }

    /** {@link #inboundVolume} on a connection: the window in epoch milliseconds, periods of {@code millis}. */
    static List<InboundVolume> inboundVolume(java.sql.Connection c, long tenantId, long start, long end, long millis)
            throws java.sql.SQLException {
        String bucket = "m.received_at / " + millis; // a constant, not input: GROUP BY must repeat the very same expression
        List<InboundVolume> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + bucket + ", r.inbound_connector, m.tls_protocol,"
                + " COUNT(DISTINCT m.id) FROM " + BY_TIME
                + " WHERE r.message_id = m.id AND r.tenant_id = ? AND r.inbound_connector IS NOT NULL AND m.received_at >= ?"
                + " AND m.received_at < ?"
                + " GROUP BY " + bucket + ", r.inbound_connector, m.tls_protocol ORDER BY 1")) {
            ps.setLong(1, tenantId);
            ps.setLong(2, start);
            ps.setLong(3, end);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new InboundVolume(Instant.ofEpochMilli(rs.getLong(1) * millis), rs.getString(2), rs.getString(3), rs.getLong(4)));
                }
            }
        }
        return out;
    }

    /** How many of the tenant's copies received on one UTC day (its midnight) have one outcome now. */
    public record DailyOutcome(Instant day, CopyOutcome outcome, long copies) {}

    /**
     * The tenant's copies received in {@code [start, end)} counted per UTC day and {@link CopyOutcome}, oldest day
     * first; a day or outcome without copies has no row. A copy is one recipient of one message (a message to
     * three of the tenant's recipients is three copies), and only the tenant's own copies that came in over SMTP
     * count, as in {@link #inboundVolume}: not the gateway's NDRs and notifications, nor the copies a quarantine
     * release adds. Read as {@link #windowCopies} says, grouped by the database.
     */
    public List<DailyOutcome> outcomesPerDay(long tenantId, Instant start, Instant end) {
        return store.read(c -> {
            List<DailyOutcome> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(outcomesPerDaySql())) {
                bindWindow(ps, tenantId, start, end);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new DailyOutcome(Instant.ofEpochMilli(rs.getLong(1) * DAY), CopyOutcome.valueOf(rs.getString(2)), rs.getLong(3)));
                    }
                }
            }
            return out;
        });
    }

    private static final long DAY = Duration.ofDays(1).toMillis();

    /** The SQL of {@link #outcomesPerDay} (a test reads its query plan): the window's parameters. */
    static String outcomesPerDaySql() {
        return "SELECT m.received_at / " + DAY + ", " + CopyOutcome.SQL + ", COUNT(*)" + windowCopies("r.inbound_connector IS NOT NULL")
                + " GROUP BY 1, 2 ORDER BY 1, 2";
    }
}
