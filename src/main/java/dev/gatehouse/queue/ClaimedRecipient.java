// A recipient row claimed for delivery by this node.
package dev.gatehouse.queue;

/**
 * As returned by the claim query.
 *
 * @param attempts earlier attempts that ended deferred
 * @param claims   how many times the recipient has been claimed, this claim included
 */
public record ClaimedRecipient(long id, long messageId, long tenantId, String address, Long mailboxId, int attempts, int claims) {
    public ClaimedRecipient(long id, long messageId, long tenantId, String address, Long mailboxId, int attempts) {
        this(id, messageId, tenantId, address, mailboxId, attempts, attempts + 1);
    }

    /**
     * An earlier claim ended without an outcome (a crash, a lost lease, an outcome that could not be written): the
     * copy may already have been delivered, so a delivery agent must look before delivering again.
     */
    public boolean interrupted() { return claims - 1 > attempts; }

    /**
     * No claim came before this one, so no attempt can have written the copy (a claim commits, durably, before its
     * attempt writes anything): a delivery agent has nothing to look for. A deferred attempt is not interrupted but
     * may still have left its copy in {@code new/} (its directory flush failed), so it makes this false too.
     */
    public boolean firstClaim() { return claims <= 1 && attempts == 0; }
}
