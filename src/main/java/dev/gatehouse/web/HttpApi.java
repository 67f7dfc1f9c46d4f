package dev.gatehouse.web;

import dev.gatehouse.observability.Metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * The HTTP listener: {@code /healthz} (200 when the store answers, 503 otherwise) and Prometheus
 * {@code /metrics}. Admin endpoints are added with {@link #route}. Built on the JDK's HTTP server on
 * virtual threads: it is small, has no dependencies, and the admin surface needs nothing more.
 */
public final class HttpApi implements AutoCloseable {

    private final HttpServer server;

    public HttpApi(String bind, int port, Metrics metrics, BooleanSupplier healthy) throws IOException {
        server = HttpServer.create(new InetSocketAddress(bind, port), 128);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/healthz", ex -> {
            boolean ok = healthy.getAsBoolean();
            send(ex, ok ? 200 : 503, "application/json", ok ? "{\"status\":\"ok\"}\n" : "{\"status\":\"unavailable\"}\n");
        });
        server.createContext("/metrics", ex -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
    }

    /**
     * Closes any HTTP connection whose request (header and body) takes longer than {@code limit} to arrive, so a
     * client trickling header bytes can't hold a connection and a thread for ever. The JDK server reads this
     * setting once, when the first server starts: a later call in the same process changes nothing, and a value
     * given with {@code -Dsun.net.httpserver.maxReqTime} wins.
     */
    public static void limitRequestTime(java.time.Duration limit) {
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", String.valueOf(Math.max(1, limit.toSeconds())));
        }
    }

    public void route(String path, HttpHandler handler) { server.createContext(path, handler); }

    private boolean started;

    public synchronized void start() {
        server.start();
        started = true;
    }

    public int port() { return server.getAddress().getPort(); }

    public static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        try (OutputStream os = ex.getResponseBody()) { os.write(b); }
    }

    /**
     * Stops serving and frees the port. A server never started is started first: its listening channel is registered
     * with a selector only the dispatcher thread would ever run, so until then closing it leaves the port bound.
     */
    @Override public synchronized void close() {
        if (!started) {
            server.start();
            server.stop(0);
            return;
        }
        server.stop(1);
    }
}
