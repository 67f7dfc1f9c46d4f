// The SQL of local delivery: claim due recipients, read what to deliver, record the outcome (+ trace event).
package dev.gatehouse.delivery;

import dev.gatehouse.queue.IncomingMessage;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.store.Dialect;
import dev.gatehouse.store.Store;
import dev.gatehouse.trace.MessageTraceEvent;
import dev.gatehouse.trace.TraceEventType;
import dev.gatehouse.trace.TraceLog;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * All writes go through the store's group committer (so concurrent outcomes share one commit, and SQLite
 * keeps one writer). A claim sets {@code claim_owner} and {@code lease_until}; on PostgreSQL the candidate
 * rows are locked with {@code FOR UPDATE SKIP LOCKED}, so two nodes never claim the same row while its lease
 * runs. Outcome updates require the claim still to be ours, so a node that lost its lease records nothing.
 */
public final class DeliveryLedger {
    /** What the worker needs to deliver one claimed recipient. */
    public record Target(String tenantGuid, String mailboxAddress, String networkMessageId, Instant receivedAt, String mailFrom,
                         byte[] content) {}

    private final Store store;
    private final String owner;
    private final String status;

    DeliveryLedger(Store store, String owner) {
        this(store, owner, QueuedRecipient.PENDING);
    }

    /**
     * @param status the recipient status this ledger claims ({@code Pending} for local delivery,
     *               {@code AwaitingRelay} for the relay agent); a deferral keeps it
     */
    public DeliveryLedger(Store store, String owner, String status) {
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
            ps.setString(1, status);
            if (!all) ps.setString(2, owner);
            return ps.executeUpdate();
        });
    }

    /** A cheap indexed read, so an idle worker polls without taking a write transaction. */
    public boolean anyDue() {
        long now = System.currentTimeMillis();
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM recipients WHERE status = ? AND next_attempt_at <= ?"
                    + " AND (lease_until IS NULL OR lease_until < ?) LIMIT 1")) {
                ps.setString(1, status);
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
            PreparedStatement ps = ctx.prepare("UPDATE recipients SET claim_owner = ?, lease_until = ? WHERE id IN ("
                    + "SELECT id FROM recipients WHERE status = ? AND next_attempt_at <= ?"
                    + " AND (lease_until IS NULL OR lease_until < ?) ORDER BY next_attempt_at LIMIT ?" + ctx.dialect().skipLocked() + ")"
                    + " RETURNING id, message_id, tenant_id, address, mailbox_id, attempts");
            ps.setString(1, owner);
            ps.setLong(2, now + leaseMillis);
            ps.setString(3, status);
            ps.setLong(4, now);
            ps.setLong(5, now);
            ps.setInt(6, limit);
            List<ClaimedRecipient> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long mailbox = rs.getLong(5);
                    Long mailboxId = rs.wasNull() ? null : mailbox;
                    out.add(new ClaimedRecipient(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), mailboxId, rs.getInt(6)));
                }
            }
            return out;
        });
    }

    /**
     * Everything a delivery needs, in one read: the tenant's guid, the mailbox's primary address, the
     * tenant's stamp fields (attribution, spec §4.1) and the content (the recipient's own variant when rules
     * edited it or a quarantine release made it). Null when the tenant (or the mailbox) no longer exists.
     */
    public Target target(ClaimedRecipient r) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT t.guid, mb.primary_address, r.stamp_headers,"
                    + " m.network_message_id, m.received_at, COALESCE(v.content, m.content), m.mail_from"
                    + " FROM recipients r JOIN messages m ON m.id = r.message_id JOIN tenants t ON t.id = r.tenant_id"
                    + " LEFT JOIN mailboxes mb ON mb.tenant_id = r.tenant_id AND mb.id = r.mailbox_id"
                    + " LEFT JOIN message_variants v ON v.id = r.variant_id"
                    + " WHERE r.id = ? AND r.tenant_id = ?")) {
                ps.setLong(1, r.id());
                ps.setLong(2, r.tenantId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return null;                                  // the tenant is gone
                    String mailbox = rs.getString(2);
                    if (r.mailboxId() != null && mailbox == null) return null;    // the mailbox is gone
                    byte[] content = dev.gatehouse.intake.TenantCopy.assemble(rs.getString(3), rs.getBytes(6));
                    return new Target(rs.getString(1), mailbox, rs.getString(4), Instant.ofEpochMilli(rs.getLong(5)), rs.getString(7), content);
                }
            }
        });
    }

    /** The network message id and receipt time only (for outcomes when the target could not be read). */
    public Target header(ClaimedRecipient r) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT network_message_id, received_at, mail_from FROM messages WHERE id = ?")) {
                ps.setLong(1, r.messageId());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new Target(null, null, rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), null) : null;
                }
            }
        });
    }

    CompletableFuture<Boolean> delivered(ClaimedRecipient r, String networkMessageId, String detail) {
        return delivered(r, networkMessageId, TraceEventType.Deliver, detail);
    }

    /** @param event {@code Deliver} (Maildir) or {@code Send} (handed to the next hop) */
    public CompletableFuture<Boolean> delivered(ClaimedRecipient r, String networkMessageId, TraceEventType event, String detail) {
        return outcome(r, networkMessageId, "Delivered", r.attempts(), 0, null, event, detail, null);
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
        return outcome(r, networkMessageId, "Failed", r.attempts() + 1, 0, reason, TraceEventType.Fail, reason, ndr);
    }

    private CompletableFuture<Boolean> outcome(ClaimedRecipient r, String nmid, String newStatus, int attempts, long nextAttemptAt,
                                               String error, TraceEventType event, String detail, IncomingMessage ndr) {
        return store.write(ctx -> {
            long now = System.currentTimeMillis();
            PreparedStatement ps = ctx.prepare("UPDATE recipients SET status = ?, attempts = ?, next_attempt_at = CASE WHEN ? > 0 THEN ?"
                    + " ELSE next_attempt_at END, last_error = ?, claim_owner = NULL, lease_until = NULL, updated_at = ?"
                    + " WHERE id = ? AND claim_owner = ? AND status = ?");
            ps.setString(1, newStatus);
            ps.setInt(2, attempts);
            ps.setLong(3, nextAttemptAt);
            ps.setLong(4, nextAttemptAt);
            ps.setString(5, error);
            ps.setLong(6, now);
            ps.setLong(7, r.id());
            ps.setString(8, owner);
            ps.setString(9, status);
            if (ps.executeUpdate() != 1) return false; // lease lost: another node owns the outcome
            TraceLog.append(ctx, new MessageTraceEvent(r.tenantId(), nmid, r.address(), event, detail, Instant.ofEpochMilli(now)));
            if (ndr != null) {
                MessageQueue.write(ctx, ndr);
                TraceLog.append(ctx, new MessageTraceEvent(r.tenantId(), nmid, r.address(), TraceEventType.Ndr,
                        "Non-delivery report " + ndr.networkMessageId() + " queued to " + ndr.recipients().getFirst().address(),
                        Instant.ofEpochMilli(now)));
            }
            return true;
        });
    }
}
