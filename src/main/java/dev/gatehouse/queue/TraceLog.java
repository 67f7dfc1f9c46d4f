// Appends message events inside a write transaction (used by the queue and the delivery agents).
package dev.gatehouse.queue;

import dev.gatehouse.store.WriteContext;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Events are written in the same transaction as the state change they describe, never after it. */
public final class TraceLog {
    private TraceLog() {}

    public static void append(WriteContext ctx, MessageTraceEvent e) throws SQLException {
        PreparedStatement ps = ctx.prepare("INSERT INTO message_events (tenant_id, network_message_id, recipient, event_type, detail, event_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)");
        ps.setLong(1, e.tenantId());
        ps.setString(2, e.networkMessageId());
        ps.setString(3, e.recipient());
        ps.setString(4, e.event().name());
        ps.setString(5, e.detail());
        ps.setLong(6, e.timestamp().toEpochMilli());
        ps.executeUpdate();
    }
}
