// One recipient of an accepted message, already attributed to its tenant.
package dev.gatehouse.queue;

import dev.gatehouse.mail.AuthAs;
import dev.gatehouse.mail.Directionality;

/**
 * @param mailboxId        the resolved mailbox, or null (InternalRelay domain without a mailbox, or a relay)
 * @param status           {@code Pending} (local delivery) or {@code AwaitingRelay} (an Originating message
 *                         to a domain no tenant accepts), or a rule's verdict stored with the message
 * @param inboundConnector the connector the copy came through; "" for the default connector; null if unknown
 * @param directionality   null if unknown (the gateway's own reports)
 * @param authAs           null if unknown
 * @param directSend       what RejectDirectSend would have refused (spec §1.3)
 * @param stampHeaders     this tenant's stamp fields (CRLF-terminated), inserted at delivery; null for none
 * @param lastError        why the recipient isn't delivered, when the pipeline decided so (rules), else null
 * @param variant          index into {@link IncomingMessage#variants()} when this recipient's content differs
 *                         from the message's (mail flow rule edits), else null
 */
public record QueuedRecipient(long tenantId, String address, Long mailboxId, RecipientStatus status, String inboundConnector,
                              Directionality directionality, AuthAs authAs, boolean directSend, String stampHeaders,
                              String lastError, Integer variant) {
    public QueuedRecipient {
        status = status == null ? RecipientStatus.Pending : status;
    }

    public QueuedRecipient(long tenantId, String address, Long mailboxId, RecipientStatus status, String inboundConnector,
                           Directionality directionality, AuthAs authAs, boolean directSend, String stampHeaders) {
        this(tenantId, address, mailboxId, status, inboundConnector, directionality, authAs, directSend, stampHeaders, null, null);
    }

    public QueuedRecipient(long tenantId, String address, Long mailboxId) {
        this(tenantId, address, mailboxId, RecipientStatus.Pending, null, null, null, false, null);
    }

    /** The same attribution for another address of the tenant (a recipient a rule added), with a rule verdict. */
    public QueuedRecipient withVerdict(String newAddress, Long newMailboxId, RecipientStatus newStatus, String error, Integer newVariant) {
        return new QueuedRecipient(tenantId, newAddress, newMailboxId, newStatus, inboundConnector, directionality, authAs, directSend,
                stampHeaders, error, newVariant);
    }

    /** This recipient with another status and reason (a refusal recorded in message trace). */
    /** The same recipient with other stamp fields (authentication results added to its tenant's stamp). */
    public QueuedRecipient withStamp(String newStampHeaders) {
        return new QueuedRecipient(tenantId, address, mailboxId, status, inboundConnector, directionality, authAs, directSend,
                newStampHeaders, lastError, variant);
    }

    public QueuedRecipient withStatus(RecipientStatus newStatus, String error) {
        return new QueuedRecipient(tenantId, address, mailboxId, newStatus, inboundConnector, directionality, authAs, directSend,
                stampHeaders, error, variant);
    }
}
