// Cuts HTTP connections whose request header and body take longer than the limit to arrive (slow-header clients).
package dev.gatehouse.web;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's idle timeout restarts with every byte, so a client that sends one header byte every few seconds would hold a
 * connection (and its memory) for hours. This looks at every connection four times a second: one whose parser has
 * been between the first byte of a request and its end for longer than the limit is closed. A connection waiting
 * between requests, or whose request is complete and being answered (a long hunting query), is not touched.
 *
 * <p>It reads Jetty's own {@link HttpConnection} (public, though in an {@code internal} package): Jetty 12 has a
 * minimum data rate for bodies but no deadline for the header.
 */
final class RequestDeadline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RequestDeadline.class);

    private final Server server;
    private final long limitNanos;
    private final Map<EndPoint, Long> since = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "http-request-deadline");
        t.setDaemon(true);
        return t;
    });

    RequestDeadline(Server server, Duration limit) {
        this.server = server;
        this.limitNanos = limit.toNanos();
    }

    RequestDeadline start() {
        long period = Math.max(50, Math.min(250, limitNanos / 4_000_000));
        timer.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
        return this;
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            java.util.Set<EndPoint> seen = new java.util.HashSet<>();
            for (Connector c : server.getConnectors()) {
                for (EndPoint ep : c.getConnectedEndPoints()) {
                    seen.add(ep);
                    org.eclipse.jetty.io.Connection conn = ep.getConnection();
                    if (conn instanceof org.eclipse.jetty.io.ssl.SslConnection tls) conn = tls.getSslEndPoint().getConnection();
                    if (!(conn instanceof HttpConnection hc) || !midRequest(hc.getParser())) {
                        since.remove(ep);
                        continue;
                    }
                    long first = since.computeIfAbsent(ep, k -> now);
                    if (now - first > limitNanos) {
                        log.info("event=http_request_cut remote={} after_ms={}", ep.getRemoteSocketAddress(), (now - first) / 1_000_000);
                        since.remove(ep);
                        ep.close();
                    }
                }
            }
            since.keySet().retainAll(seen);
        } catch (RuntimeException e) {
            log.warn("http request deadline sweep: {}", e.toString());
        }
    }

    /** Between a request's first byte and its end: its header or body is still arriving. */
    private static boolean midRequest(HttpParser p) {
        return !p.isStart() && !p.isComplete() && !p.isClose() && !p.isClosed();
    }

    @Override public void close() { timer.shutdownNow(); }
}
