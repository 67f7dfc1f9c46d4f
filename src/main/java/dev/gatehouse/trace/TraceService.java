// Read side of message trace, always scoped to one tenant.
package dev.gatehouse.trace;

import dev.gatehouse.store.Store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Message trace reads. Every query is filtered by tenant id: one message can carry recipients of several
 * tenants, and a tenant sees only its own recipients and events of it.
 */
public final class TraceService {
    private final Store store;

    public TraceService(Store store) { this.store = store; }

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
}
