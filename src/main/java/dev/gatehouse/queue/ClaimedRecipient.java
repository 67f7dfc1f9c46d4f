// A recipient row claimed for delivery by this node.
package dev.gatehouse.queue;

/** As returned by the claim query; attempts counts earlier failed attempts. */
public record ClaimedRecipient(long id, long messageId, long tenantId, String address, Long mailboxId, int attempts) {}
