// SmtpEvents: callbacks the SMTP engine fires for metrics and monitoring; every method is a no-op by default.
package dev.gatehouse.smtp;

import java.net.InetAddress;

/**
 * Observation hooks for the SMTP listener (the lead wires Micrometer counters to them). Called from
 * session threads concurrently, so implementations must be thread-safe and fast; they must not throw.
 */
public interface SmtpEvents {

    SmtpEvents NONE = new SmtpEvents() {};

    /** A connection was accepted and a session started. */
    default void connectionOpened(InetAddress ip) {}

    /** A session ended (always paired with {@link #connectionOpened}). */
    default void connectionClosed(InetAddress ip) {}

    /**
     * A connection was refused before a session started; reason is {@code "per-ip-limit"}, {@code "total-limit"}, or
     * {@code "proxy-header"} (a listed load balancer sent no valid PROXY header in time; {@code ip} is the balancer's).
     */
    default void connectionRefused(InetAddress ip, String reason) {}

    /** The session sent a 4xx or 5xx reply. */
    default void commandRejected(SmtpReply reply) {}
}
