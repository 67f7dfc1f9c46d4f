// One append-only message event for one recipient of one message, owned by that recipient's tenant.
package dev.gatehouse.queue;

import java.time.Instant;

/** @param detail free text: the deferral reason, the delivery location, ... (nullable) */
public record MessageTraceEvent(long tenantId, String networkMessageId, String recipient, TraceEventType event,
                                String detail, Instant timestamp) {}
