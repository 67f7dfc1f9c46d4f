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
 */
public record QueuedRecipient(long tenantId, String address, Long mailboxId, String status, String inboundConnector,
                              String directionality, String authAs, boolean directSend, String stampHeaders) {
    public static final String PENDING = "Pending";
    public static final String AWAITING_RELAY = "AwaitingRelay";

    public QueuedRecipient {
        status = status == null ? PENDING : status;
    }

    public QueuedRecipient(long tenantId, String address, Long mailboxId) {
        this(tenantId, address, mailboxId, PENDING, null, null, null, false, null);
    }
}
