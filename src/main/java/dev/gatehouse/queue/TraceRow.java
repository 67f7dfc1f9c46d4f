// One recipient of one message as message trace lists it, with the facts of the message it came in.
package dev.gatehouse.queue;

import java.time.Instant;

/**
 * @param networkMessageId the MessageTraceId
 * @param sender           MAIL FROM (P1), "" for the null sender
 * @param headerFrom       the header From as received (P2), or null
 * @param internetMessageId the Message-ID header, or null
 * @param inboundConnector the connector the copy came through, or null/"" for none
 * @param directionality   Incoming or Originating (null for rows older than connectors)
 * @param lastError        the last deferral or failure reason, or null
 */
public record TraceRow(String networkMessageId, Instant received, String sender, String headerFrom, String recipient, String subject,
                       RecipientStatus status, String clientIp, String helo, String tlsProtocol, String tlsCipher, long size,
                       String internetMessageId, String inboundConnector, String directionality, String lastError) {}
