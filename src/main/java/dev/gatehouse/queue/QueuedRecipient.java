// One recipient of an accepted message, already attributed to its tenant.
package dev.gatehouse.queue;

/** @param mailboxId the resolved mailbox, or null (InternalRelay domain without a mailbox) */
public record QueuedRecipient(long tenantId, String address, Long mailboxId) {}
