// The durable queue's write side: enqueue an accepted message; the future completes once it is on disk.
package dev.gatehouse.queue;

import dev.gatehouse.store.PendingWrite;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.StoreException;
import dev.gatehouse.store.WriteContext;
import dev.gatehouse.queue.MessageTraceEvent;
import dev.gatehouse.queue.TraceEventType;
import dev.gatehouse.queue.TraceLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Phaser;
import java.util.function.BiConsumer;

/**
 * Durable accept. {@link #enqueue} hands the message to the store's group committer, which writes the
 * message row, one Pending row per recipient and one {@code Receive} event per recipient in the batch's single
 * transaction. The future completes only after that commit is durable; the SMTP layer answers 250 then, and
 * 451 if it completes exceptionally (then nothing of the message was stored: the task ran in a savepoint or
 * the whole batch rolled back).
 */
public final class MessageQueue implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MessageQueue.class);

    private final Store store;
    private final List<Runnable> enqueueListeners = new CopyOnWriteArrayList<>();
    private final List<StatusListener> statusListeners = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<IncomingMessage, List<Long>>> handoffs = new CopyOnWriteArrayList<>();

    private record StatusListener(RecipientStatus status, Runnable listener) {
        boolean wants(IncomingMessage m) {
            for (QueuedRecipient r : m.recipients()) if (r.status() == status) return true;
            return false;
        }
    }
    private final Phaser inFlight = new Phaser(1);
    private volatile boolean closed;

    public MessageQueue(Store store) { this.store = store; }

    /**
     * Hands the message to the group committer. The returned write completes once the message is durable;
     * until the committer starts it, {@link PendingWrite#withdraw()} can still take it back for good.
     */
    public PendingWrite<Void> enqueue(IncomingMessage message) {
        if (closed) {
            PendingWrite<Void> refused = new PendingWrite<>();
            refused.completeExceptionally(new StoreException("the queue is shutting down"));
            return refused;
        }
        inFlight.register();
        PendingWrite<Void> f = store.write(message.content().length, ctx -> {
            List<Long> recipientIds = insert(ctx, message);
            // after the commit and before any write of the batch completes, so before the agents are woken; a
            // rolled-back or failed write's hooks never run, and a throwing one is logged by the committer
            for (var h : handoffs) ctx.afterCommit(() -> h.accept(message, recipientIds));
            return null;
        });
        f.whenComplete((v, e) -> {
            inFlight.arriveAndDeregister();
            if (e != null) {
                log.warn("event=enqueue_failed network_message_id={} error=\"{}\"", message.networkMessageId(), e.toString());
            } else {
                log.debug("event=queued network_message_id={} recipients={} size={}", message.networkMessageId(),
                        message.recipients().size(), message.content().length);
                for (Runnable r : enqueueListeners) r.run();
                for (StatusListener l : statusListeners) if (l.wants(message)) l.listener().run();
            }
        });
        return f;
    }

    /**
     * Drops the stored bytes of messages received before {@code receivedBefore} once no recipient still needs
     * them (none Pending or AwaitingRelay: delivered, failed, redirected, or quarantined — a quarantined copy
     * keeps its own bytes, and a release delivers from its own copy). The row stays, with its envelope,
     * subject and ids, for trace and reports; only the content becomes empty. Returns how many were dropped.
     */
    public int dropDeliveredContent(java.time.Instant receivedBefore) {
        // In chunks, each its own short write: accepts committing meanwhile wait for one chunk, not for all.
        int total = 0;
        for (int n = DROP_CHUNK; n == DROP_CHUNK; total += n) {
            n = store.writeAndWait(ctx -> {
                PreparedStatement ps = ctx.prepare("UPDATE messages SET content = ? WHERE id IN (SELECT id FROM messages"
                        + " WHERE LENGTH(content) > 0 AND received_at < ?" // the partial index messages_with_content
                        + " AND NOT EXISTS (SELECT 1 FROM recipients r WHERE r.message_id = messages.id AND r.status IN "
                        + RecipientStatus.NEEDS_CONTENT_SQL + ")"
                        + " ORDER BY received_at LIMIT ?)");
                ps.setBytes(1, new byte[0]);
                ps.setLong(2, receivedBefore.toEpochMilli());
                ps.setInt(3, DROP_CHUNK);
                return ps.executeUpdate();
            });
        }
        return total;
    }

    static final int DROP_CHUNK = 500;

    /**
     * Trace retention: deletes messages received before {@code receivedBefore} whose recipients are all final,
     * with their recipients, rule variants and trace events, oldest first. Ids grow with time, so a run
     * walks from the lowest id and stops at the first message that is too young; each chunk of
     * {@value #DROP_CHUNK} is its own short write. A message still queued (a recipient Pending or
     * AwaitingRelay) is kept, whatever its age. The reports' kept hours before the cutoff are dropped first
     * ({@link KeptHours#forgetBefore}). Returns how many messages were deleted.
     */
    public int purgeFinalOlderThan(java.time.Instant receivedBefore) {
        long cutoff = receivedBefore.toEpochMilli();
        // first, before any message goes: the reports' kept hours that could count one (decision web-report-aggregates)
        int forgotten = KeptHours.forgetBefore(store, receivedBefore, HourlyCounts.KINDS);
        if (forgotten > 0) log.info("event=kept_hours_forgotten rows={} before={}", forgotten, receivedBefore);
        int total = 0;
        long after = 0;
        while (true) {
            long from = after;
            PurgeChunk chunk = store.writeAndWait(ctx -> {
                PreparedStatement pick = ctx.prepare("SELECT m.id, m.network_message_id, m.received_at,"
                        + " (SELECT COUNT(*) FROM recipients r WHERE r.message_id = m.id AND r.status IN " + RecipientStatus.NEEDS_CONTENT_SQL + ")"
                        + " FROM messages m WHERE m.id > ? ORDER BY m.id LIMIT ?");
                pick.setLong(1, from);
                pick.setInt(2, DROP_CHUNK);
                record Doomed(long id, String networkMessageId) {}
                List<Doomed> doomed = new ArrayList<>();
                long last = from;
                boolean reachedYoung = false;
                int seen = 0;
                try (ResultSet rs = pick.executeQuery()) {
                    while (rs.next()) {
                        seen++;
                        if (rs.getLong(3) >= cutoff) { reachedYoung = true; break; }
                        last = rs.getLong(1);
                        if (rs.getLong(4) == 0) doomed.add(new Doomed(rs.getLong(1), rs.getString(2)));
                    }
                }
                for (Doomed d : doomed) {
                    PreparedStatement events = ctx.prepare("DELETE FROM message_events WHERE network_message_id = ?"
                            + " AND tenant_id IN (SELECT tenant_id FROM recipients WHERE message_id = ?)");
                    events.setString(1, d.networkMessageId());
                    events.setLong(2, d.id());
                    events.executeUpdate();
                    for (String sql : List.of("DELETE FROM message_variants WHERE message_id = ?", "DELETE FROM recipients WHERE message_id = ?",
                            "DELETE FROM messages WHERE id = ?")) {
                        PreparedStatement ps = ctx.prepare(sql);
                        ps.setLong(1, d.id());
                        ps.executeUpdate();
                    }
                }
                return new PurgeChunk(doomed.size(), last, !reachedYoung && seen == DROP_CHUNK);
            });
            total += chunk.deleted();
            after = chunk.lastId();
            if (!chunk.more()) return total;
        }
    }

    /** One chunk of {@link #purgeFinalOlderThan}: how many went, the last id looked at, whether to go on. */
    private record PurgeChunk(int deleted, long lastId, boolean more) {}

    /**
     * Called after each durable enqueue, before the wake-ups, with the message and its recipients' row ids (in the
     * order of {@link IncomingMessage#recipients()}): local delivery keeps what it needs, so a first delivery does
     * not read back from the store the bytes it was handed here.
     */
    public void handOverTo(BiConsumer<IncomingMessage, List<Long>> handoff) { handoffs.add(handoff); }

    /** Called after each durable enqueue (e.g. {@code DeliveryWorker::wakeUp}). */
    public void onEnqueued(Runnable listener) { enqueueListeners.add(listener); }

    /**
     * Called after each durable enqueue of a message with a recipient in {@code status} only (e.g. the relay
     * agent's {@code wakeUp} for {@code AwaitingRelay}): an agent woken for a message it has nothing to do with
     * would read the queue for nothing, once per accepted message.
     */
    public void onEnqueued(RecipientStatus status, Runnable listener) { statusListeners.add(new StatusListener(status, listener)); }

    /** Queue depth: recipients not yet delivered or failed (one indexed count; poll it for a gauge). */
    public long pendingRecipients() {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM recipients WHERE status = '" + RecipientStatus.Pending + "'");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /**
     * Writes a message (rows, recipients, Receive events, hook) inside a transaction someone else commits: the
     * NDR of a failed recipient is written with that outcome, the NDR of a rule reject with the original.
     * Delivery agents find it at their next poll.
     */
    public static void write(WriteContext ctx, IncomingMessage m) throws SQLException {
        insert(ctx, m);
    }

    private static List<Long> insert(WriteContext ctx, IncomingMessage m) throws SQLException {
        PreparedStatement ps = ctx.prepare("INSERT INTO messages (network_message_id, received_at, mail_from, client_ip, helo,"
                + " tls_protocol, tls_cipher, internet_message_id, subject, header_from, size, content, stamp_headers)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
        // The stamp fields are the same for every recipient of a tenant (about 1 KB): kept once on the message row,
        // which is written once, instead of in each recipient row, which the claim and the outcome rewrite (V016).
        String sharedStamp = m.recipients().isEmpty() ? null : m.recipients().getFirst().stampHeaders();
        long at = m.receivedAt().toEpochMilli();
        ps.setString(1, m.networkMessageId());
        ps.setLong(2, at);
        ps.setString(3, m.mailFrom());
        ps.setString(4, m.clientIp());
        ps.setString(5, m.helo());
        ps.setString(6, m.tlsProtocol());
        ps.setString(7, m.tlsCipher());
        ps.setString(8, m.internetMessageId());
        ps.setString(9, m.subject());
        ps.setString(10, m.headerFrom());
        ps.setLong(11, m.size());
        ps.setBytes(12, m.content());
        ps.setString(13, sharedStamp);
        long id;
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            id = rs.getLong(1);
        }
        List<Long> variantIds = new java.util.ArrayList<>();
        for (byte[] v : m.variants()) {
            PreparedStatement vp = ctx.prepare("INSERT INTO message_variants (message_id, content) VALUES (?, ?) RETURNING id");
            vp.setLong(1, id);
            vp.setBytes(2, v);
            try (ResultSet rs = vp.executeQuery()) {
                rs.next();
                variantIds.add(rs.getLong(1));
            }
        }
        List<Long> recipientIds = new java.util.ArrayList<>();
        for (QueuedRecipient r : m.recipients()) {
            PreparedStatement rp = ctx.prepare("INSERT INTO recipients (message_id, tenant_id, address, mailbox_id, status, attempts,"
                    + " next_attempt_at, updated_at, inbound_connector, directionality, auth_as, direct_send, stamp_headers,"
                    + " last_error, variant_id) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
            rp.setLong(1, id);
            rp.setLong(2, r.tenantId());
            rp.setString(3, r.address());
            if (r.mailboxId() == null) rp.setNull(4, java.sql.Types.BIGINT);
            else rp.setLong(4, r.mailboxId());
            rp.setString(5, r.status().name());
            rp.setLong(6, at);
            rp.setLong(7, at);
            rp.setString(8, r.inboundConnector());
            rp.setString(9, r.directionality() == null ? null : r.directionality().name());
            rp.setString(10, r.authAs() == null ? null : r.authAs().name());
            rp.setBoolean(11, r.directSend());
            rp.setString(12, ownStamp(r.stampHeaders(), sharedStamp));
            rp.setString(13, r.lastError());
            if (r.variant() == null) rp.setNull(14, java.sql.Types.BIGINT);
            else rp.setLong(14, variantIds.get(r.variant()));
            try (ResultSet rs = rp.executeQuery()) {
                rs.next();
                recipientIds.add(rs.getLong(1));
            }
            TraceLog.append(ctx, new MessageTraceEvent(r.tenantId(), m.networkMessageId(), r.address(), TraceEventType.Receive,
                    "size=" + m.size() + (r.inboundConnector() == null || r.inboundConnector().isEmpty() ? ""
                            : " connector=" + r.inboundConnector()), m.receivedAt()));
        }
        for (MessageTraceEvent e : m.events()) TraceLog.append(ctx, e);
        m.hook().written(ctx, id, recipientIds);
        return recipientIds;
    }

    /**
     * What a recipient row keeps of its stamp fields: null when they are the message's ({@code shared}), which
     * the readers take instead ({@code COALESCE(r.stamp_headers, m.stamp_headers)}); its own fields otherwise,
     * and "" for none when the message has some, so that null never inherits fields the recipient did not have.
     */
    static String ownStamp(String stamp, String shared) {
        if (java.util.Objects.equals(stamp, shared)) return null;
        return stamp == null ? "" : stamp;
    }

    /**
     * Adds recipients to a stored message inside a transaction someone else commits (a quarantine release):
     * {@code content} becomes a new variant of the message that those recipients receive, each gets a
     * Pending row and an event of {@code type} with {@code detail}. The Pending rows are claimed by local
     * delivery at its next poll.
     */
    public static void addRecipients(WriteContext ctx, long messageRowId, String networkMessageId, long tenantId, byte[] content,
                                     List<QueuedRecipient> recipients, TraceEventType type, String detail, java.time.Instant at)
            throws SQLException {
        PreparedStatement vp = ctx.prepare("INSERT INTO message_variants (message_id, content) VALUES (?, ?) RETURNING id");
        vp.setLong(1, messageRowId);
        vp.setBytes(2, content);
        long variantId;
        try (ResultSet rs = vp.executeQuery()) {
            rs.next();
            variantId = rs.getLong(1);
        }
        for (QueuedRecipient r : recipients) {
            PreparedStatement rp = ctx.prepare("INSERT INTO recipients (message_id, tenant_id, address, mailbox_id, status, attempts,"
                    + " next_attempt_at, updated_at, variant_id, stamp_headers) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, '')");
            rp.setLong(1, messageRowId);
            rp.setLong(2, tenantId);
            rp.setString(3, r.address());
            if (r.mailboxId() == null) rp.setNull(4, java.sql.Types.BIGINT);
            else rp.setLong(4, r.mailboxId());
            rp.setString(5, r.status().name());
            rp.setLong(6, at.toEpochMilli());
            rp.setLong(7, at.toEpochMilli());
            rp.setLong(8, variantId);
            rp.executeUpdate();
            TraceLog.append(ctx, new MessageTraceEvent(tenantId, networkMessageId, r.address(), type, detail, at));
        }
    }

    /**
     * Empties the stored bytes of one message when no recipient still needs them ({@link RecipientStatus#needsContent}),
     * inside a transaction someone else commits. Returns whether it did.
     */
    public static boolean dropContentIfUnneeded(WriteContext ctx, long messageRowId) throws SQLException {
        PreparedStatement ps = ctx.prepare("UPDATE messages SET content = ? WHERE id = ? AND NOT EXISTS (SELECT 1 FROM recipients r"
                + " WHERE r.message_id = messages.id AND r.status IN " + RecipientStatus.NEEDS_CONTENT_SQL + ")");
        ps.setBytes(1, new byte[0]);
        ps.setLong(2, messageRowId);
        return ps.executeUpdate() == 1;
    }

    /** Stops accepting and waits until every enqueue already made is committed (or failed). */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        inFlight.arriveAndAwaitAdvance();
        log.info("event=queue_drained");
    }
}
