package dev.gatehouse.smtp;

import java.net.InetAddress;

/**
 * An immutable snapshot of an SMTP session, handed to the {@link MailHandler} at every decision point.
 *
 * @param sessionId  unique id of this connection, for logs
 * @param clientIp   the connecting address (or the one a trusted PROXY header named)
 * @param clientPort the connecting port (or the one a trusted PROXY header named)
 * @param localPort  the listener port the client connected to
 * @param helo       the HELO/EHLO argument, or null before the client greeted
 * @param esmtp      true after EHLO, false after HELO
 * @param tls        the negotiated TLS parameters, or null on a plaintext session
 */
public record SessionInfo(String sessionId, InetAddress clientIp, int clientPort, int localPort,
                          String helo, boolean esmtp, TlsInfo tls) {
    public boolean isTls() { return tls != null; }
}
