// The state of one recipient of a message as a tenant sees it in message trace.
package dev.gatehouse.queue;

import java.time.Instant;

/** @param status Pending, Delivered or Failed */
public record TraceRecipient(long tenantId, String networkMessageId, String recipient, String status, int attempts,
                             String lastError, Instant receivedAt, Instant updatedAt) {}
