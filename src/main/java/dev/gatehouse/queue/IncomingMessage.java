// An accepted message as handed from the SMTP session to the durable queue.
package dev.gatehouse.queue;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import dev.gatehouse.trace.MessageTraceEvent;

/**
 * @param networkMessageId a UUID string (X-MS-Exchange-Organization-Network-Message-Id)
 * @param mailFrom         the reverse-path, "" for the null sender
 * @param content          the message as stamped (headers added by intake), not copied: do not mutate
 * @param variants         per-recipient contents that differ from {@code content} (rule edits), by index
 * @param events           trace events the pipeline adds (matched rules, quarantine, ...), after Receive
 * @param hook             extra writes in the same transaction (quarantine copies)
 */
public record IncomingMessage(String networkMessageId, Instant receivedAt, String mailFrom, String clientIp, String helo,
                              String tlsProtocol, String tlsCipher, String internetMessageId, String subject,
                              String headerFrom, byte[] content, List<QueuedRecipient> recipients, List<byte[]> variants,
                              List<MessageTraceEvent> events, EnqueueHook hook) {
    public IncomingMessage(String networkMessageId, Instant receivedAt, String mailFrom, String clientIp, String helo,
                           String tlsProtocol, String tlsCipher, String internetMessageId, String subject,
                           String headerFrom, byte[] content, List<QueuedRecipient> recipients) {
        this(networkMessageId, receivedAt, mailFrom, clientIp, helo, tlsProtocol, tlsCipher, internetMessageId, subject, headerFrom,
                content, recipients, List.of(), List.of(), EnqueueHook.NONE);
    }

    public IncomingMessage {
        Objects.requireNonNull(networkMessageId, "networkMessageId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(content, "content");
        mailFrom = mailFrom == null ? "" : mailFrom;
        recipients = List.copyOf(recipients);
        variants = variants == null ? List.of() : List.copyOf(variants);
        events = events == null ? List.of() : List.copyOf(events);
        hook = hook == null ? EnqueueHook.NONE : hook;
        if (recipients.isEmpty()) throw new IllegalArgumentException("a message needs at least one recipient");
    }
}
