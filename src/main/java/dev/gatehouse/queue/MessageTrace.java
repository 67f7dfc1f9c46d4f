// The read side of the queue's message tables for message trace and reports, always scoped to one tenant.
package dev.gatehouse.queue;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

    /** One recipient copy that counted as Direct Send (spec §1.3), for the Direct Send readiness report. */
    public record DirectSendCopy(long messageRowId, String clientIp, String mailFrom, Instant receivedAt) {}

    /** The tenant's Direct Send copies received in {@code [start, end)}, oldest first. */
    public List<DirectSendCopy> directSend(long tenantId, Instant start, Instant end) {
        return store.read(c -> {
            List<DirectSendCopy> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT m.id, m.client_ip, m.mail_from, m.received_at FROM recipients r"
                    + " JOIN messages m ON m.id = r.message_id WHERE r.tenant_id = ? AND r.direct_send = ? AND m.received_at >= ?"
                    + " AND m.received_at < ? ORDER BY m.received_at")) {
                ps.setLong(1, tenantId);
                ps.setBoolean(2, true);
                ps.setLong(3, start.toEpochMilli());
                ps.setLong(4, end.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(new DirectSendCopy(rs.getLong(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4))));
                }
            }
            return out;
        });
    }
}
