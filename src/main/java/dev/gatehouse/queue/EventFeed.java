// The message events of every tenant in commit order, with the facts of their copies: what the hunting tables tail.
package dev.gatehouse.queue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.gatehouse.store.Store;

/**
 * Reads {@code message_events} by id, across tenants (each {@link Entry} carries its tenant), so a reader that
 * remembers the last id it saw gets every later event once. Ids grow in commit order on SQLite (one writer,
 * AUTOINCREMENT never reuses an id). On PostgreSQL an id is taken at insert and becomes visible at commit, so a
 * transaction still committing leaves a gap a later read fills: a reader re-asks for missing ids with {@link #byIds}.
 *
 * <p>A {@code Receive} event comes with the accept-time events of its copy ({@link Entry#acceptEvents()}): the events
 * the pipeline wrote in the same transaction (matched rules and their actions, quarantine, redirect, drop, a refusal
 * recorded at end of data). They are the copy's events of the same tenant and message that carry the message's receive
 * time, other than the delivery agents' kinds (Deliver, Defer, Send) and a quarantine release; since the transaction is
 * atomic, they are all visible once the Receive event is.
 */
public final class EventFeed {
    /**
     * One event and its copy.
     *
     * @param at             when the event happened
     * @param copy           the copy's facts and the event, or null when the message is gone (trace retention), the
     *                       event concerns the whole message (no recipient) or is of a kind other than {@link #COPY_KINDS}
     * @param mailboxId      the local mailbox the copy goes to, or null (relayed, or no mailbox)
     * @param firstCopy      this is the tenant's first recipient of the message (the one message-level rows hang on)
     * @param acceptEvents   for a Receive event: the copy's accept-time events, in order; else empty
     */
    public record Entry(long id, long tenantId, Instant at, MailEvent copy, Long mailboxId, boolean firstCopy, List<MessageTraceEvent> acceptEvents) {}

    /**
     * The kinds whose entries come with their copy: the feed makes rows of a copy's accept and of a quarantine release
     * only. The other events (most of them: every delivery, deferral and rule event) come as their id, tenant and time,
     * which is all the feed's cursor needs, without the two lookups per event that find the copy.
     */
    public static final Set<TraceEventType> COPY_KINDS = Set.of(TraceEventType.Receive, TraceEventType.Release);
    private static final String COPY_KINDS_SQL = COPY_KINDS.stream().map(k -> "'" + k + "'").collect(java.util.stream.Collectors.joining(", ", "(", ")"));

    private static final String SELECT = "SELECT " + MessageTrace.ROW_COLUMNS + ", e.id, e.tenant_id, e.event_type, e.detail, e.event_at,"
            + " r.mailbox_id, (SELECT MIN(r2.id) FROM recipients r2 WHERE r2.message_id = m.id AND r2.tenant_id = e.tenant_id) = r.id"
            + " FROM message_events e LEFT JOIN messages m ON e.event_type IN " + COPY_KINDS_SQL + " AND m.network_message_id = e.network_message_id"
            + " LEFT JOIN recipients r ON r.id = (SELECT MIN(r1.id) FROM recipients r1 WHERE r1.message_id = m.id"
            + " AND r1.tenant_id = e.tenant_id AND LOWER(r1.address) = LOWER(e.recipient))";

    /** Event kinds written after the accept, never with it (the rest may be either: Fail, Ndr). */
    private static final String LATER_KINDS = "('" + TraceEventType.Receive + "', '" + TraceEventType.Deliver + "', '" + TraceEventType.Defer
            + "', '" + TraceEventType.Send + "', '" + TraceEventType.Release + "')";

    private final Store store;

    public EventFeed(Store store) { this.store = store; }

    /** At most {@code limit} events with an id above {@code afterId}, lowest id first. */
    public List<Entry> after(long afterId, int limit) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE e.id > ? ORDER BY e.id LIMIT ?")) {
                ps.setLong(1, afterId);
                ps.setInt(2, limit);
                return withAcceptEvents(c, entries(ps));
            }
        });
    }

    /** The events among {@code ids} that exist (now), lowest id first: the re-check of ids a reader saw missing. */
    public List<Entry> byIds(Collection<Long> ids) {
        if (ids.isEmpty()) return List.of();
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < ids.size(); i++) in.append(i == 0 ? "?" : ", ?");
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE e.id IN (" + in + ") ORDER BY e.id")) {
                int i = 1;
                for (long id : ids) ps.setLong(i++, id);
                return withAcceptEvents(c, entries(ps));
            }
        });
    }

    /** The highest event id so far (0 when there is none). */
    public long lastId() {
        return store.read(EventFeed::lastIdOf);
    }

    /**
     * An id to read after so that events from {@code from} on come next: a binary search over the id index (event
     * times grow with ids, give or take the minutes between a message's receipt and its commit, so pass a margin).
     */
    public long idBefore(Instant from) {
        long at = from.toEpochMilli();
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT event_at FROM message_events WHERE id >= ? ORDER BY id LIMIT 1")) {
                long lo = 0, hi = Math.max(0, lastIdOf(c)) + 1; // the answer is in [lo, hi]: the first id whose next event is new enough
                while (lo < hi) {
                    long mid = lo + (hi - lo) / 2;
                    ps.setLong(1, mid);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next() || rs.getLong(1) >= at) hi = mid;
                        else lo = mid + 1;
                    }
                }
                return Math.max(0, lo - 1);
            }
        });
    }

    /** The stored bytes of a message as accepted, or null once they are dropped (decision 0007) or the message is gone. */
    public byte[] content(String networkMessageId) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT content FROM messages WHERE network_message_id = ?")) {
                ps.setString(1, networkMessageId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return null;
                    byte[] b = rs.getBytes(1);
                    return b == null || b.length == 0 ? null : b;
                }
            }
        });
    }

    private static long lastIdOf(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(id) FROM message_events"); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0L;
        }
    }

    /** Entries without their accept-time events yet; column 17 on is the event, 1 to 16 the copy ({@link MessageTrace#row}). */
    private static List<Entry> entries(PreparedStatement ps) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long id = rs.getLong(17);
                long tenant = rs.getLong(18);
                boolean hasCopy = rs.getString(1) != null && rs.getString(5) != null; // the message and the copy still exist
                MailEvent copy = null;
                Long mailbox = null;
                boolean first = false;
                if (hasCopy) {
                    copy = new MailEvent(MessageTrace.row(rs), TraceEventType.valueOf(rs.getString(19)), rs.getString(20),
                            Instant.ofEpochMilli(rs.getLong(21)));
                    long mb = rs.getLong(22);
                    mailbox = rs.wasNull() ? null : mb;
                    first = rs.getBoolean(23);
                }
                out.add(new Entry(id, tenant, Instant.ofEpochMilli(rs.getLong(21)), copy, mailbox, first, List.of()));
            }
        }
        return out;
    }

    /** Messages per accept-time read: a bound on the statement's parameters. */
    private static final int IN_CHUNK = 200;

    /**
     * Adds each Receive entry's accept-time events. One read per tenant and {@value #IN_CHUNK} messages of the batch,
     * not one per message (the feed reads a few hundred messages at a time under load); the receive time and the
     * recipient are then matched here.
     */
    private static List<Entry> withAcceptEvents(Connection c, List<Entry> entries) throws SQLException {
        Map<Long, Set<String>> wanted = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (e.copy() != null && e.copy().event() == TraceEventType.Receive) {
                wanted.computeIfAbsent(e.tenantId(), t -> new LinkedHashSet<>()).add(e.copy().copy().networkMessageId());
            }
        }
        if (wanted.isEmpty()) return entries;
        Map<String, List<MessageTraceEvent>> byMessage = new HashMap<>(); // tenant \0 network message id -> its events, by id
        for (Map.Entry<Long, Set<String>> t : wanted.entrySet()) {
            List<String> ids = List.copyOf(t.getValue());
            for (int from = 0; from < ids.size(); from += IN_CHUNK) {
                List<String> part = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
                try (PreparedStatement ps = c.prepareStatement("SELECT network_message_id, recipient, event_type, detail, event_at"
                        + " FROM message_events WHERE tenant_id = ? AND network_message_id IN (" + "?, ".repeat(part.size() - 1) + "?)"
                        + " AND event_type NOT IN " + LATER_KINDS + " ORDER BY id")) {
                    ps.setLong(1, t.getKey());
                    for (int i = 0; i < part.size(); i++) ps.setString(i + 2, part.get(i));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String id = rs.getString(1);
                            byMessage.computeIfAbsent(t.getKey() + "\0" + id, k -> new ArrayList<>()).add(new MessageTraceEvent(t.getKey(), id,
                                    rs.getString(2), TraceEventType.valueOf(rs.getString(3)), rs.getString(4), Instant.ofEpochMilli(rs.getLong(5))));
                        }
                    }
                }
            }
        }
        List<Entry> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            if (e.copy() == null || e.copy().event() != TraceEventType.Receive) {
                out.add(e);
                continue;
            }
            TraceRow copy = e.copy().copy();
            List<MessageTraceEvent> mine = new ArrayList<>();
            for (MessageTraceEvent a : byMessage.getOrDefault(e.tenantId() + "\0" + copy.networkMessageId(), List.of())) {
                // written with the accept: the message's receive time, the copy's recipient or none (the whole message)
                if (a.timestamp().equals(copy.received()) && (a.recipient() == null || a.recipient().equalsIgnoreCase(copy.recipient()))) mine.add(a);
            }
            out.add(new Entry(e.id(), e.tenantId(), e.at(), e.copy(), e.mailboxId(), e.firstCopy(), List.copyOf(mine)));
        }
        return out;
    }
}
