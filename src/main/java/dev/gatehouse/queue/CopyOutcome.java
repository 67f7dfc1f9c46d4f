// What became of one recipient's copy of an accepted message, in the words of the admin centre's home page.
package dev.gatehouse.queue;

/**
 * Each of a tenant's copies has exactly one outcome, read from its recipient row as it is now, so the outcomes of
 * a day add up to the copies the tenant received that day:
 * <ul>
 * <li>{@code Delivered}: written to the mailbox, or handed to the next hop (the relay, the organization's own
 *     servers);</li>
 * <li>{@code Pending}: still queued, or deferred and waiting for its next attempt ({@code Pending},
 *     {@code AwaitingRelay});</li>
 * <li>{@code Quarantined}: held in the hosted quarantine by a rule (a copy released since stays counted here; the
 *     release is a new copy, not one that came in over SMTP);</li>
 * <li>{@code RejectedByRule}: refused by a rule's RejectMessage action, at DATA or with an NDR. A copy a rule
 *     refused is stored {@code Failed} before any delivery attempt, with the SMTP reply it was refused with
 *     ({@code 5.7.1 text}, or {@code 550 5.7.1 text} when the whole message was refused) as its last error;</li>
 * <li>{@code DeletedByRule}: dropped silently by a rule's DeleteMessage (or not sent because the recipient whose
 *     rule added it was refused): {@code Failed} before any attempt, with the rule's note as its last error;</li>
 * <li>{@code Redirected}: a rule sent the message to others instead (their copies count with their own outcome);</li>
 * <li>{@code Failed}: delivery was attempted and failed for good (refused by the next hop, or expired).</li>
 * </ul>
 */
public enum CopyOutcome {
    Delivered, Pending, Quarantined, RejectedByRule, DeletedByRule, Redirected, Failed;

    /**
     * The outcome of a recipient row {@code r}, as an SQL expression over its status, attempts and last error. A
     * rule's rejection is told from its deletion by the last error: an SMTP reply starts with its code (5).
     */
    static final String SQL = "CASE WHEN r.status IN " + RecipientStatus.NEEDS_CONTENT_SQL + " THEN '" + Pending + "'"
            + " WHEN r.status <> '" + RecipientStatus.Failed + "' THEN r.status"
            + " WHEN r.attempts > 0 THEN '" + Failed + "'"
            + " WHEN r.last_error LIKE '5%' THEN '" + RejectedByRule + "'"
            + " ELSE '" + DeletedByRule + "' END";
}
