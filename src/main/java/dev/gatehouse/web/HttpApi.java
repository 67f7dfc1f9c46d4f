package dev.gatehouse.web;

import dev.gatehouse.observability.Metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
            if (!exactly(ex, "/healthz") || !readOnly(ex)) return;
            boolean ok = healthy.getAsBoolean();
            send(ex, ok ? 200 : 503, "application/json", ok ? "{\"status\":\"ok\"}\n" : "{\"status\":\"unavailable\"}\n");
        });
        server.createContext("/metrics", ex -> {
            if (exactly(ex, "/metrics") && readOnly(ex)) send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
        });
    }

    /** The JDK server matches a context by string prefix ({@code /healthzz} is in {@code /healthz}): anything longer is 404 here. */
    private static boolean exactly(HttpExchange ex, String path) throws IOException {
        if (ex.getRequestURI().getPath().equals(path)) return true;
        sendError(ex, 404, "NotFound", "No such endpoint: " + ex.getRequestURI().getPath());
        return false;
    }

    /** True for GET and HEAD; any other method is answered 405 with {@code Allow: GET, HEAD}. */
    static boolean readOnly(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        if (method.equals("GET") || method.equals("HEAD")) return true;
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        sendError(ex, 405, "MethodNotAllowed", "Use GET.");
        return false;
    }

    /** {@code {"error":{"code":…,"message":…}}}, the shape of every error this listener answers. */
    static ObjectNode errorNode(String code, String message) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        ObjectNode e = n.putObject("error");
        e.put("code", code);
        e.put("message", message);
        return n;
    }

    static void sendError(HttpExchange ex, int status, String code, String message) throws IOException {
        send(ex, status, "application/json", errorNode(code, message).toString());
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

    /** Sends a complete answer; to a HEAD request only its status and headers (the JDK server refuses a body there). */
    public static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        boolean head = ex.getRequestMethod().equals("HEAD");
        byte[] b = head ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
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
