// What the pipeline hands the quarantine for one quarantined recipient.
package dev.gatehouse.quarantine;

import java.time.Instant;

/** @param content the bytes as they would have been delivered (stamped, with the rule edits made before) */
public record QuarantinedCopy(long tenantId, String networkMessageId, String recipientAddress, Long mailboxId,
                              String senderAddress, String subject, String internetMessageId, Instant receivedAt,
                              String policyName, String policyId, byte[] content) {}
