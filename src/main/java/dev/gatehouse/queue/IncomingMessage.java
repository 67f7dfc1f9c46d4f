// An accepted message as handed from the accept path (or a report writer) to the durable queue.
package dev.gatehouse.queue;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * @param networkMessageId a UUID string (X-MS-Exchange-Organization-Network-Message-Id)
 * @param mailFrom         the reverse-path, "" for the null sender
 * @param content          the message as stored (header firewall and stamps applied), not copied: do not
 *                         mutate; empty for a message kept only as a trace record (rejected by rules)
 * @param size             the message's size in bytes (of the content as accepted, even when content is empty)
 * @param variants         per-recipient contents that differ from {@code content} (rule edits), by index
 * @param events           trace events the pipeline adds (matched rules, quarantine, ...), after Receive
 * @param hook             extra writes in the same transaction (quarantine copies, reports)
 */
public record IncomingMessage(String networkMessageId, Instant receivedAt, String mailFrom, String clientIp, String helo,
                              String tlsProtocol, String tlsCipher, String internetMessageId, String subject,
                              String headerFrom, byte[] content, long size, List<QueuedRecipient> recipients, List<byte[]> variants,
                              List<MessageTraceEvent> events, EnqueueHook hook) {
    public IncomingMessage(String networkMessageId, Instant receivedAt, String mailFrom, String clientIp, String helo,
                           String tlsProtocol, String tlsCipher, String internetMessageId, String subject,
                           String headerFrom, byte[] content, List<QueuedRecipient> recipients) {
        this(networkMessageId, receivedAt, mailFrom, clientIp, helo, tlsProtocol, tlsCipher, internetMessageId, subject, headerFrom,
                content, content.length, recipients, List.of(), List.of(), EnqueueHook.NONE);
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
