// SmtpConfig: the limits, timeouts and TLS material of one SMTP listener, as an immutable value.
package dev.gatehouse.smtp;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Configuration of the SMTP protocol engine. Start from {@link #defaults(String)} and adjust with the
 * {@code with...} methods; every default follows Postfix's smtpd where the brief did not say otherwise.
 *
 * @param hostname              the name in the greeting, EHLO reply and 421 texts
 * @param maxMessageSize        largest accepted content in octets (advertised as SIZE); excess is read and
 *                              discarded, then answered 552
 * @param maxRecipients         accepted recipients per transaction; beyond it RCPT gets 452 4.5.3
 * @param maxConnections        concurrent connections in total (the listener refuses more with 421)
 * @param maxConnectionsPerIp   concurrent connections from one client address
 * @param hardErrorLimit        error replies (4xx/5xx) after which the session says 421 and hangs up
 * @param junkCommandLimit      NOOP/RSET/VRFY/EXPN/HELP commands allowed per session (reset by a delivered
 *                              message) before 421
 * @param commandTimeout        deadline for one complete command line (a deadline, not an idle timer,
 *                              so a client trickling one byte at a time cannot hold the session)
 * @param dataTimeout           deadline for the whole content of one message: its DATA, or all its BDAT chunks
 *                              (each single read within it still waits at most {@code commandTimeout})
 * @param maxLineLength         longest command line in octets including CRLF (RFC 5321: at least 512)
 * @param sslContext            the server TLS context, or null when STARTTLS is not offered
 * @param rejectBareLineEndings true: a bare CR or LF in a command or in content is answered 550;
 *                              false: bare line endings are normalised to CRLF
 * @param shutdownGrace         how long {@link SmtpServer#close()} lets sessions in a transaction finish
 * @param proxyProtocolFrom     peers (load balancers) whose connections must start with a PROXY protocol header
 *                              naming the real client; empty: PROXY protocol is off and refused from everyone
 */
public record SmtpConfig(String hostname, long maxMessageSize, int maxRecipients, int maxConnections,
                         int maxConnectionsPerIp, int hardErrorLimit, int junkCommandLimit,
                         Duration commandTimeout, Duration dataTimeout, int maxLineLength,
                         SSLContext sslContext, boolean rejectBareLineEndings, Duration shutdownGrace,
                         List<AddressBlock> proxyProtocolFrom) {

    public static final long DEFAULT_MAX_MESSAGE_SIZE = 36L * 1024 * 1024;

    public SmtpConfig {
        Objects.requireNonNull(hostname, "hostname");
        if (hostname.isBlank() || hostname.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new IllegalArgumentException("hostname '" + hostname + "': must be non-empty printable ASCII");
        }
        positive("maxMessageSize", maxMessageSize);
        if (maxMessageSize > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("maxMessageSize " + maxMessageSize + ": content is held in memory, at most 2 GiB");
        }
        positive("maxRecipients", maxRecipients);
        positive("maxConnections", maxConnections);
        positive("maxConnectionsPerIp", maxConnectionsPerIp);
        positive("hardErrorLimit", hardErrorLimit);
        positive("junkCommandLimit", junkCommandLimit);
        if (maxLineLength < 512) throw new IllegalArgumentException("maxLineLength " + maxLineLength + ": RFC 5321 needs 512");
        positive("commandTimeout", Objects.requireNonNull(commandTimeout, "commandTimeout").toMillis());
        positive("dataTimeout", Objects.requireNonNull(dataTimeout, "dataTimeout").toMillis());
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        proxyProtocolFrom = List.copyOf(proxyProtocolFrom);
    }

    /** The longest a listed peer may take to send its PROXY header: 10 s, or the command timeout if shorter. */
    public static final Duration PROXY_HEADER_TIMEOUT = Duration.ofSeconds(10);

    /** True when a connection from {@code peer} must start with a PROXY protocol header. */
    public boolean expectsProxyHeader(InetAddress peer) {
        for (AddressBlock b : proxyProtocolFrom) if (b.contains(peer)) return true;
        return false;
    }

    /** The deadline for the whole PROXY header of one connection. */
    public Duration proxyHeaderTimeout() {
        return commandTimeout.compareTo(PROXY_HEADER_TIMEOUT) < 0 ? commandTimeout : PROXY_HEADER_TIMEOUT;
    }

    private static void positive(String name, long value) {
        if (value <= 0) throw new IllegalArgumentException(name + " " + value + ": must be positive");
    }

    /** The defaults: 36 MiB, 1000 recipients, 20000/50 connections, 20 errors, 100 junk, 300 s/600 s. */
    public static SmtpConfig defaults(String hostname) {
        return new SmtpConfig(hostname, DEFAULT_MAX_MESSAGE_SIZE, 1000, 20_000, 50, 20, 100,
                Duration.ofSeconds(300), Duration.ofSeconds(600), 512, null, true, Duration.ofSeconds(30), List.of());
    }

    public SmtpConfig withMaxMessageSize(long v) {
        return new SmtpConfig(hostname, v, maxRecipients, maxConnections, maxConnectionsPerIp, hardErrorLimit,
                junkCommandLimit, commandTimeout, dataTimeout, maxLineLength, sslContext, rejectBareLineEndings, shutdownGrace, proxyProtocolFrom);
    }

    public SmtpConfig withMaxRecipients(int v) {
        return new SmtpConfig(hostname, maxMessageSize, v, maxConnections, maxConnectionsPerIp, hardErrorLimit,
                junkCommandLimit, commandTimeout, dataTimeout, maxLineLength, sslContext, rejectBareLineEndings, shutdownGrace, proxyProtocolFrom);
    }

    public SmtpConfig withConnectionLimits(int total, int perIp) {
        return new SmtpConfig(hostname, maxMessageSize, maxRecipients, total, perIp, hardErrorLimit,
                junkCommandLimit, commandTimeout, dataTimeout, maxLineLength, sslContext, rejectBareLineEndings, shutdownGrace, proxyProtocolFrom);
    }

    public SmtpConfig withErrorLimits(int hardErrors, int junkCommands) {
        return new SmtpConfig(hostname, maxMessageSize, maxRecipients, maxConnections, maxConnectionsPerIp, hardErrors,
                junkCommands, commandTimeout, dataTimeout, maxLineLength, sslContext, rejectBareLineEndings, shutdownGrace, proxyProtocolFrom);
    }

    public SmtpConfig withTimeouts(Duration command, Duration data) {
        return new SmtpConfig(hostname, maxMessageSize, maxRecipients, maxConnections, maxConnectionsPerIp, hardErrorLimit,
                junkCommandLimit, command, data, maxLineLength, sslContext, rejectBareLineEndings, shutdownGrace, proxyProtocolFrom);
    }

    public SmtpConfig withMaxLineLength(int v) {
        return new SmtpConfig(hostname, maxMessageSize, maxRecipients, maxConnections, maxConnectionsPerIp, hardErrorLimit,
                junkCommandLimit, commandTimeout, dataTimeout, v, sslContext, rejectBareLineEndings, shutdownGrace, proxyProtocolFrom);
    }

    public SmtpConfig withSslContext(SSLContext v) {
        return new SmtpConfig(hostname, maxMessageSize, maxRecipients, maxConnections, maxConnectionsPerIp, hardErrorLimit,
                junkCommandLimit, commandTimeout, dataTimeout, maxLineLength, v, rejectBareLineEndings, shutdownGrace, proxyProtocolFrom);
    }

    public SmtpConfig withRejectBareLineEndings(boolean v) {
        return new SmtpConfig(hostname, maxMessageSize, maxRecipients, maxConnections, maxConnectionsPerIp, hardErrorLimit,
                junkCommandLimit, commandTimeout, dataTimeout, maxLineLength, sslContext, v, shutdownGrace, proxyProtocolFrom);
    }

    public SmtpConfig withShutdownGrace(Duration v) {
        return new SmtpConfig(hostname, maxMessageSize, maxRecipients, maxConnections, maxConnectionsPerIp, hardErrorLimit,
                junkCommandLimit, commandTimeout, dataTimeout, maxLineLength, sslContext, rejectBareLineEndings, v, proxyProtocolFrom);
    }

    public SmtpConfig withProxyProtocolFrom(List<AddressBlock> v) {
        return new SmtpConfig(hostname, maxMessageSize, maxRecipients, maxConnections, maxConnectionsPerIp, hardErrorLimit,
                junkCommandLimit, commandTimeout, dataTimeout, maxLineLength, sslContext, rejectBareLineEndings, shutdownGrace, v);
    }
}
