// An accepted message as handed from the SMTP session to the durable queue.
package dev.gatehouse.queue;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * @param networkMessageId a UUID string (X-MS-Exchange-Organization-Network-Message-Id)
 * @param mailFrom         the reverse-path, "" for the null sender
 * @param content          the message as stamped (headers added by intake), not copied: do not mutate
 */
public record IncomingMessage(String networkMessageId, Instant receivedAt, String mailFrom, String clientIp, String helo,
                              String tlsProtocol, String tlsCipher, String internetMessageId, String subject,
                              String headerFrom, byte[] content, List<QueuedRecipient> recipients) {
    public IncomingMessage {
        Objects.requireNonNull(networkMessageId, "networkMessageId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(content, "content");
        mailFrom = mailFrom == null ? "" : mailFrom;
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) throw new IllegalArgumentException("a message needs at least one recipient");
    }
}
