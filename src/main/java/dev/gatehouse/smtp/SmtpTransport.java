// SmtpTransport: the byte pipe under one SMTP session (a socket, or in-memory streams in tests) plus STARTTLS.
package dev.gatehouse.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;

/**
 * What a session needs from its connection. The streams may change after {@link #startTls()}, so the
 * session asks for them again instead of keeping them. Not thread-safe except {@link #close()}.
 */
interface SmtpTransport extends AutoCloseable {

    InputStream in() throws IOException;

    OutputStream out() throws IOException;

    /** Bounds the next blocking read; a read that waits longer throws {@link java.net.SocketTimeoutException}. */
    void setReadTimeout(int millis) throws IOException;

    /**
     * Bounds the reads that follow: one still waiting at {@code deadlineNanos} (a {@link System#nanoTime()} value)
     * throws {@link java.net.SocketTimeoutException}. The default is {@link #setReadTimeout} with the time left;
     * {@link SocketTransport} leaves the socket untimed and is cut by {@link #expireRead} instead.
     */
    default void setReadDeadline(long deadlineNanos) throws IOException {
        setReadTimeout((int) Math.clamp((deadlineNanos - System.nanoTime()) / 1_000_000, 1, Integer.MAX_VALUE));
    }

    /** Called by the server's watchdog: cuts a read still waiting past its {@link #setReadDeadline deadline}. */
    default void expireRead(long nowNanos) {}

    /** Runs the server side of a TLS handshake on this connection; throws if it fails. */
    TlsInfo startTls() throws IOException;

    /** The client: the TCP peer, or the address a trusted load balancer's PROXY header named. */
    InetSocketAddress remote();

    /** True when the connection began with a PROXY header from a trusted load balancer (already consumed). */
    default boolean proxied() { return false; }

    int localPort();

    /** Closes the connection; safe to call from any thread, more than once. */
    @Override void close();
}
