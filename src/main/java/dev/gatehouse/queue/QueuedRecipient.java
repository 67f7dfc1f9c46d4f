// One recipient of an accepted message, already attributed to its tenant.
package dev.gatehouse.queue;

/**
 * @param mailboxId        the resolved mailbox, or null (InternalRelay domain without a mailbox, or a relay)
 * @param status           {@code Pending} (local delivery) or {@code AwaitingRelay} (an Originating message
 *                         to a domain no tenant accepts: kept until an outbound relay agent exists)
 * @param inboundConnector the connector the copy came through; "" for the default connector; null if unknown
 * @param directionality   {@code Incoming} / {@code Originating}, or null if unknown
 * @param authAs           {@code Anonymous} / {@code Internal}, or null if unknown
 * @param directSend       what RejectDirectSend would have refused (spec §1.3)
 * @param stampHeaders     this tenant's stamp fields (CRLF-terminated), prepended at delivery; null for none
 * @param lastError        why the recipient isn't delivered, when the pipeline decided so (rules), else null
 * @param variant          index into {@link IncomingMessage#variants()} when this recipient's content differs
 *                         from the message's (mail flow rule edits), else null
 */
public record QueuedRecipient(long tenantId, String address, Long mailboxId, String status, String inboundConnector,
                              String directionality, String authAs, boolean directSend, String stampHeaders,
                              String lastError, Integer variant) {
    public static final String PENDING = "Pending";
    public static final String AWAITING_RELAY = "AwaitingRelay";
    /** Verdicts of mail flow rules (stored with the message): held in quarantine, rejected or deleted, redirected. */
    public static final String QUARANTINED = "Quarantined";
    public static final String FAILED = "Failed";
    public static final String REDIRECTED = "Redirected";

    public QueuedRecipient {
        status = status == null ? PENDING : status;
    }

    public QueuedRecipient(long tenantId, String address, Long mailboxId, String status, String inboundConnector,
                           String directionality, String authAs, boolean directSend, String stampHeaders) {
        this(tenantId, address, mailboxId, status, inboundConnector, directionality, authAs, directSend, stampHeaders, null, null);
    }

    public QueuedRecipient(long tenantId, String address, Long mailboxId) {
        this(tenantId, address, mailboxId, PENDING, null, null, null, false, null);
    }

    /** The same attribution for another address of the tenant (a recipient a rule added), with a rule verdict. */
    public QueuedRecipient withVerdict(String newAddress, Long newMailboxId, String newStatus, String error, Integer newVariant) {
        return new QueuedRecipient(tenantId, newAddress, newMailboxId, newStatus, inboundConnector, directionality, authAs, directSend,
                stampHeaders, error, newVariant);
    }
}
