// Read side of message trace, always scoped to one tenant.
package dev.gatehouse.trace;

import java.util.List;

import dev.gatehouse.queue.MessageTrace;
import dev.gatehouse.queue.MessageTraceEvent;
import dev.gatehouse.queue.TraceRecipient;
import dev.gatehouse.store.Store;

/**
 * Message trace reads for the admin surfaces. The queue owns the message tables and their events and
 * answers the queries ({@link MessageTrace}); every query is filtered by tenant id, so a tenant sees only
 * its own recipients and events of a message that reached several tenants.
 */
public final class TraceService {
    private final MessageTrace trace;

    public TraceService(Store store) { this.trace = new MessageTrace(store); }

    /** The tenant's events of one message, oldest first. */
    public List<MessageTraceEvent> events(long tenantId, String networkMessageId) { return trace.events(tenantId, networkMessageId); }

    /** The tenant's recipients of one message with their delivery status. */
    public List<TraceRecipient> recipients(long tenantId, String networkMessageId) { return trace.recipients(tenantId, networkMessageId); }

    /** The tenant's most recent recipients (newest message first), at most {@code limit}. */
    public List<TraceRecipient> recentRecipients(long tenantId, int limit) { return trace.recentRecipients(tenantId, limit); }
}
