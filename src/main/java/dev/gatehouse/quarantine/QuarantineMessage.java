// A quarantined copy as Get-QuarantineMessage shows it (spec §6 output properties).
package dev.gatehouse.quarantine;

import java.time.Instant;
import java.util.List;

/** Property names and display values as Exchange Online shows them ({@code Type: Transport rule}, {@code ReleaseStatus: NOTRELEASED}). */
public record QuarantineMessage(String Identity, Instant ReceivedTime, String SenderAddress, List<String> RecipientAddress,
                                String Subject, long Size, String Type, String PolicyType, String PolicyName, Instant Expires,
                                boolean Released, String ReleaseStatus, List<String> QuarantineTypes, String MessageId,
                                int RecipientCount, boolean Reported, String Direction, List<String> QuarantinedUser,
                                List<String> ReleasedUser, boolean SystemReleased, String CustomData) {}
