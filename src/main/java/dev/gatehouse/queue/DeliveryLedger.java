// The queue's side of delivery: claim due recipients, read what to deliver, record the outcome (+ trace event).
package dev.gatehouse.queue;

import dev.gatehouse.mail.TenantCopy;
import dev.gatehouse.store.Dialect;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * All writes go through the store's group committer (so concurrent outcomes share one commit, and SQLite
 * keeps one writer). A claim sets {@code claim_owner} and {@code lease_until}; on PostgreSQL the candidate
 * rows are locked with {@code FOR UPDATE SKIP LOCKED}, so two nodes never claim the same row while its lease
 * runs. Outcome updates require the claim still to be ours, so a node that lost its lease records nothing.
 */
public final class DeliveryLedger {
    /**
     * What a delivery agent needs to deliver one claimed recipient: the tenant's copy of the content (the
     * recipient's own variant when rules edited it or a quarantine release made it, with the tenant's stamp
     * fields inserted) and the message's envelope. Where it goes (the tenant's guid, the mailbox's address)
     * is the directory's to say; {@code content} is null in the copies agents keep while a batch is flushed.
     */
    public record Target(long tenantId, Long mailboxId, String networkMessageId, Instant receivedAt, String mailFrom, byte[] content) {
        public Target withoutContent() { return new Target(tenantId, mailboxId, networkMessageId, receivedAt, mailFrom, null); }
    }

    private final Store store;
    private final String owner;
    private final RecipientStatus status;

    /** The ledger of local delivery: it claims Pending recipients. */
    public DeliveryLedger(Store store, String owner) {
        this(store, owner, RecipientStatus.Pending);
    }

    /**
     * @param status the recipient status this ledger claims ({@code Pending} for local delivery,
     *               {@code AwaitingRelay} for the relay agent); a deferral keeps it
     */
    public DeliveryLedger(Store store, String owner, RecipientStatus status) {
        this.store = store;
        this.owner = owner;
        this.status = status;
    }

    /** SQLite: this process owns the file, so every claim is stale. PostgreSQL: only our own earlier leases. */
    public void releaseStaleClaims() {
        boolean all = store.dialect() == Dialect.SQLITE;
        store.writeAndWait(ctx -> {
            PreparedStatement ps = ctx.prepare("UPDATE recipients SET claim_owner = NULL, lease_until = NULL WHERE claim_owner IS NOT NULL AND status = ?"
                    + (all ? "" : " AND claim_owner = ?"));
            ps.setString(1, status.name());
            if (!all) ps.setString(2, owner);
            return ps.executeUpdate();
        });
    }

    /**
     * Gives back claims whose outcome could not be written (the store was failing), so the recipients are due
     * again as soon as the store works instead of when their lease runs out; the next claim counts as the
     * interrupted attempt it was ({@link ClaimedRecipient#interrupted()}). Only this node's claims are released.
     */
    public void release(List<ClaimedRecipient> rs) {
        store.writeAndWait(ctx -> {
            PreparedStatement ps = ctx.prepare("UPDATE recipients SET claim_owner = NULL, lease_until = NULL WHERE id = ? AND claim_owner = ?"
                    + " AND status = ?");
            for (ClaimedRecipient r : rs) {
                ps.setLong(1, r.id());
                ps.setString(2, owner);
                ps.setString(3, status.name());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** A cheap indexed read, so an idle worker polls without taking a write transaction. */
    public boolean anyDue() {
        long now = System.currentTimeMillis();
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM recipients WHERE status = ? AND next_attempt_at <= ?"
                    + " AND (lease_until IS NULL OR lease_until < ?) LIMIT 1")) {
                ps.setString(1, status.name());
                ps.setLong(2, now);
                ps.setLong(3, now);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    public List<ClaimedRecipient> claim(int limit, long leaseMillis) {
        long now = System.currentTimeMillis();
        return store.writeAndWait(ctx -> {
            PreparedStatement ps = ctx.prepare("UPDATE recipients SET claim_owner = ?, lease_until = ?, claims = claims + 1 WHERE id IN ("
                    + "SELECT id FROM recipients WHERE status = ? AND next_attempt_at <= ?"
                    + " AND (lease_until IS NULL OR lease_until < ?) ORDER BY next_attempt_at LIMIT ?" + ctx.dialect().skipLocked() + ")"
                    + " RETURNING id, message_id, tenant_id, address, mailbox_id, attempts, claims");
            ps.setString(1, owner);
            ps.setLong(2, now + leaseMillis);
            ps.setString(3, status.name());
            ps.setLong(4, now);
            ps.setLong(5, now);
            ps.setInt(6, limit);
            List<ClaimedRecipient> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long mailbox = rs.getLong(5);
                    Long mailboxId = rs.wasNull() ? null : mailbox;
                    out.add(new ClaimedRecipient(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), mailboxId, rs.getInt(6),
                            rs.getInt(7)));
                }
            }
            return out;
        });
    }

    private static final String TARGET = "SELECT COALESCE(r.stamp_headers, m.stamp_headers), m.network_message_id, m.received_at,"
            + " COALESCE(v.content, m.content), m.mail_from FROM recipients r JOIN messages m ON m.id = r.message_id"
            + " LEFT JOIN message_variants v ON v.id = r.variant_id WHERE r.id = ? AND r.tenant_id = ?";

    /** Everything a delivery needs, in one read; null when the message is gone (or the row isn't this tenant's). */
    public Target target(ClaimedRecipient r) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(TARGET)) {
                return target(ps, r);
            }
        });
    }

    private static Target target(PreparedStatement ps, ClaimedRecipient r) throws SQLException {
        ps.setLong(1, r.id());
        ps.setLong(2, r.tenantId());
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) return null;
            byte[] content = TenantCopy.assemble(rs.getString(1), rs.getBytes(4));
            return new Target(r.tenantId(), r.mailboxId(), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getString(5), content);
        }
    }

    /**
     * What the queue hands over at accept for a recipient this ledger will claim: the bytes the target read would
     * return, so that a first delivery does not read them back from the store (that read was 3 % of the gateway's
     * CPU in the bench). Held briefly and within a byte budget; a recipient not found here is read from the store
     * as before (handed over too late, expired, claimed by another node, a retry).
     */
    private record HandedOver(long tenantId, String networkMessageId, Instant receivedAt, String mailFrom, String stamp,
                              byte[] content) {
        Target target(Long mailboxId) {
            return new Target(tenantId, mailboxId, networkMessageId, receivedAt, mailFrom, TenantCopy.assemble(stamp, content));
        }

        /** What it counts against {@link #HANDED_OVER_BYTES}: its bytes (once per recipient, even when shared) and a little. */
        long budget() { return content.length + 256L; }
    }

    /**
     * Order of hand-over, so the oldest expire first; taken ones are skipped when they reach the head. A recipient
     * row id is handed over once, so the id alone says which entry a ticket is for.
     */
    private record Ticket(long recipientId, long atNanos) {}

    static final long HANDED_OVER_BYTES = 32L << 20;
    static final long HANDED_OVER_NANOS = TimeUnit.SECONDS.toNanos(10);
    private final ConcurrentHashMap<Long, HandedOver> handedOver = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Ticket> handOverOrder = new ConcurrentLinkedQueue<>();
    private final AtomicLong handedOverBytes = new AtomicLong();
    private final AtomicLong handOversTaken = new AtomicLong();

    /**
     * {@link MessageQueue#handOverTo}: keeps the content of {@code m}'s recipients that this ledger claims, by their
     * row ids. The message's bytes are shared, not copied; the queue never changes them.
     */
    public void handOver(IncomingMessage m, List<Long> recipientIds) {
        long now = System.nanoTime();
        expireHandedOver(now);
        Instant at = Instant.ofEpochMilli(m.receivedAt().toEpochMilli()); // as stored, to the millisecond
        for (int i = 0; i < recipientIds.size(); i++) {
            QueuedRecipient r = m.recipients().get(i);
            if (r.status() != status) continue;
            byte[] content = r.variant() == null ? m.content() : m.variants().get(r.variant());
            HandedOver h = new HandedOver(r.tenantId(), m.networkMessageId(), at, m.mailFrom(), r.stampHeaders(), content);
            if (handedOverBytes.addAndGet(h.budget()) > HANDED_OVER_BYTES) { // over budget: this one is read from the store
                handedOverBytes.addAndGet(-h.budget());
                continue;
            }
            long id = recipientIds.get(i);
            handedOver.put(id, h);
            handOverOrder.add(new Ticket(id, now));
        }
    }

    private HandedOver takeHandedOver(long recipientId) {
        HandedOver h = handedOver.remove(recipientId);
        if (h != null) handedOverBytes.addAndGet(-h.budget());
        return h;
    }

    private void expireHandedOver(long now) {
        for (Ticket t; (t = handOverOrder.peek()) != null; handOverOrder.poll()) {
            if (now - t.atNanos() < HANDED_OVER_NANOS && handedOver.containsKey(t.recipientId())) return; // held, in time
            takeHandedOver(t.recipientId()); // expired (or already taken: nothing to drop)
        }
    }

    /** How many deliveries took their content from a hand-over instead of the store (for tests and metrics). */
    public long handOversTaken() { return handOversTaken.get(); }

    /** The targets of one batch, read one at a time (memory holds one content) on one connection and statement. */
    public Targets targets() { return new Targets(); }

    /**
     * Reads {@link #target}s with one connection checkout and one prepare for a whole batch instead of one of each
     * per recipient. After a failed read the connection is given back and the next read takes a fresh one, so one
     * broken connection fails one recipient, as before. One thread at a time; close it when the batch's reads end.
     */
    public final class Targets implements AutoCloseable {
        private Connection connection;
        private PreparedStatement statement;

        private Targets() {}

        /** As {@link DeliveryLedger#target}; a first claim takes what the queue handed over, when it is still held. */
        public Target read(ClaimedRecipient r) {
            HandedOver h = takeHandedOver(r.id());
            if (h != null && h.tenantId() == r.tenantId()) {
                handOversTaken.incrementAndGet();
                return h.target(r.mailboxId());
            }
            try {
                if (statement == null) {
                    connection = store.readConnection();
                    statement = connection.prepareStatement(TARGET);
                }
                return target(statement, r);
            } catch (SQLException e) {
                close();
                throw new StoreException("read failed on " + store.description() + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public void close() {
            try (Connection c = connection; PreparedStatement ps = statement) {
                // closed in reverse order: the statement, then the connection (back to the pool)
            } catch (SQLException ignored) {
                // a statement or connection that fails to close is the pool's to evict; nothing was left open to commit
            } finally {
                connection = null;
                statement = null;
            }
        }
    }

    /** The network message id and receipt time only (for outcomes when the target could not be read). */
    public Target header(ClaimedRecipient r) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT network_message_id, received_at, mail_from FROM messages WHERE id = ?")) {
                ps.setLong(1, r.messageId());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new Target(r.tenantId(), r.mailboxId(), rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), null) : null;
                }
            }
        });
    }

    public CompletableFuture<Boolean> delivered(ClaimedRecipient r, String networkMessageId, String detail) {
        return delivered(r, networkMessageId, TraceEventType.Deliver, detail);
    }

    /** @param event {@code Deliver} (Maildir) or {@code Send} (handed to the next hop) */
    public CompletableFuture<Boolean> delivered(ClaimedRecipient r, String networkMessageId, TraceEventType event, String detail) {
        return outcome(r, networkMessageId, RecipientStatus.Delivered, r.attempts(), 0, null, event, detail, null);
    }

    /** One recipient of {@link #deliveredAll}: delivered, with the detail its {@code Deliver} event shows. */
    public record Delivered(ClaimedRecipient recipient, String networkMessageId, String detail) {}

    /**
     * Records a whole delivered batch in ONE write task: one savepoint, one future and one wake-up of the
     * caller for the batch instead of one per recipient, and the outcomes and their {@code Deliver} events
     * are sure to share one commit. The future holds, in order, whether each outcome was recorded (false:
     * the claim was lost to another node, as in {@link #delivered}); it fails as a whole when the commit does.
     */
    public CompletableFuture<List<Boolean>> deliveredAll(List<Delivered> batch) {
        return store.write(ctx -> {
            List<Boolean> out = new ArrayList<>(batch.size());
            for (Delivered d : batch) {
                ClaimedRecipient r = d.recipient();
                out.add(record(ctx, r, d.networkMessageId(), RecipientStatus.Delivered, r.attempts(), 0, null, TraceEventType.Deliver,
                        d.detail(), null));
            }
            return out;
        });
    }

    public CompletableFuture<Boolean> deferred(ClaimedRecipient r, String networkMessageId, String reason, long nextAttemptAt) {
        return outcome(r, networkMessageId, status, r.attempts() + 1, nextAttemptAt, reason, TraceEventType.Defer, reason, null);
    }

    public CompletableFuture<Boolean> failed(ClaimedRecipient r, String networkMessageId, String reason) {
        return failed(r, networkMessageId, reason, null);
    }

    /**
     * @param ndr the non-delivery report to the sender (null for none): enqueued in the same transaction as the
     *            Failed outcome, and only when the outcome is recorded, so each failure bounces exactly once
     */
    public CompletableFuture<Boolean> failed(ClaimedRecipient r, String networkMessageId, String reason, IncomingMessage ndr) {
        return outcome(r, networkMessageId, RecipientStatus.Failed, r.attempts() + 1, 0, reason, TraceEventType.Fail, reason, ndr);
    }

    private CompletableFuture<Boolean> outcome(ClaimedRecipient r, String nmid, RecipientStatus newStatus, int attempts, long nextAttemptAt,
                                               String error, TraceEventType event, String detail, IncomingMessage ndr) {
        return store.write(ctx -> record(ctx, r, nmid, newStatus, attempts, nextAttemptAt, error, event, detail, ndr));
    }

    private boolean record(dev.gatehouse.store.WriteContext ctx, ClaimedRecipient r, String nmid, RecipientStatus newStatus, int attempts,
                           long nextAttemptAt, String error, TraceEventType event, String detail, IncomingMessage ndr) throws java.sql.SQLException {
        long now = System.currentTimeMillis();
        PreparedStatement ps = ctx.prepare("UPDATE recipients SET status = ?, attempts = ?, next_attempt_at = CASE WHEN ? > 0 THEN ?"
                + " ELSE next_attempt_at END, last_error = ?, claim_owner = NULL, lease_until = NULL, updated_at = ?"
                + " WHERE id = ? AND claim_owner = ? AND status = ?");
        ps.setString(1, newStatus.name());
        ps.setInt(2, attempts);
        ps.setLong(3, nextAttemptAt);
        ps.setLong(4, nextAttemptAt);
        ps.setString(5, error);
        ps.setLong(6, now);
        ps.setLong(7, r.id());
        ps.setString(8, owner);
        ps.setString(9, status.name());
        if (ps.executeUpdate() != 1) return false; // lease lost: another node owns the outcome
        TraceLog.append(ctx, new MessageTraceEvent(r.tenantId(), nmid, r.address(), event, detail, Instant.ofEpochMilli(now)));
        if (ndr != null) {
            MessageQueue.write(ctx, ndr);
            TraceLog.append(ctx, new MessageTraceEvent(r.tenantId(), nmid, r.address(), TraceEventType.Ndr,
                    "Non-delivery report " + ndr.networkMessageId() + " queued to " + ndr.recipients().getFirst().address(),
                    Instant.ofEpochMilli(now)));
        }
        return true;
    }
}
