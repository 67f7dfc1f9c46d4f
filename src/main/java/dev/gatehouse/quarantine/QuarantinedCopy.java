// What the pipeline hands the quarantine for one quarantined recipient.
package dev.gatehouse.quarantine;

import java.time.Instant;

/**
 * @param content        the bytes as they would have been delivered (stamped, with the rule edits made before)
 * @param quarantineType {@code TransportRule} or {@code Phish} (Get-QuarantineMessage's QuarantineTypes)
 * @param policyType     {@code ExchangeTransportRule} or {@code AntiPhishPolicy}
 */
public record QuarantinedCopy(long tenantId, String networkMessageId, String recipientAddress, Long mailboxId,
                              String senderAddress, String subject, String internetMessageId, Instant receivedAt,
                              String policyName, String policyId, byte[] content, String quarantineType, String policyType) {
    /** A copy a transport rule quarantined. */
    public QuarantinedCopy(long tenantId, String networkMessageId, String recipientAddress, Long mailboxId, String senderAddress,
                           String subject, String internetMessageId, Instant receivedAt, String policyName, String policyId, byte[] content) {
        this(tenantId, networkMessageId, recipientAddress, mailboxId, senderAddress, subject, internetMessageId, receivedAt, policyName,
                policyId, content, "TransportRule", "ExchangeTransportRule");
    }
}
