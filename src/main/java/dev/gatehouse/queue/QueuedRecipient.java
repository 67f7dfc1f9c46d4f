// One recipient of an accepted message, already attributed to its tenant.
package dev.gatehouse.queue;

/**
 * @param mailboxId the resolved mailbox, or null (InternalRelay domain without a mailbox)
 * @param status    Pending (to deliver), or the verdict of the pipeline stored with the message:
 *                  Quarantined, Failed (rejected or deleted by a rule), Redirected
 * @param lastError why the recipient isn't delivered (null when Pending)
 * @param variant   index into {@link IncomingMessage#variants()} when this recipient's content differs
 *                  from the message's (rule edits), else null
 */
public record QueuedRecipient(long tenantId, String address, Long mailboxId, String status, String lastError, Integer variant) {
    public QueuedRecipient {
        status = status == null ? "Pending" : status;
    }

    public QueuedRecipient(long tenantId, String address, Long mailboxId) { this(tenantId, address, mailboxId, "Pending", null, null); }
}
