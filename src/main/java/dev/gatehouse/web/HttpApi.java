// The HTTP port: one Javalin (Jetty 12) server for /healthz, /metrics, the admin APIs and the admin centre's pages.
package dev.gatehouse.web;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.observability.Metrics;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * The HTTP listener: {@code /healthz} (200 when the store answers, 503 otherwise), Prometheus {@code /metrics}, and
 * whatever {@link #configure} adds (the admin REST API, hunting, the admin centre). Built on Javalin 7 over Jetty 12
 * with virtual threads (decision 0018). The port is bound when this is constructed, so a busy port fails the start
 * before the store is opened; requests are served from {@link #start()}.
 *
 * <p>Every answer carries {@code X-Content-Type-Options: nosniff}. An unknown path is a 404: JSON
 * ({@code {"error":{"code","message"}}}) for the APIs, a page for a browser. A request whose header and body take
 * longer than the request time limit to arrive is cut ({@link RequestDeadline}).
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    /** The default for the time a request's header and body may take to arrive. */
    public static final Duration DEFAULT_REQUEST_TIME = Duration.ofSeconds(30);

    private final ServerSocketChannel channel;
    private final int port;
    private final Metrics metrics;
    private final BooleanSupplier healthy;
    private final Duration requestTime;
    private final javax.net.ssl.SSLContext tls;
    private final List<Consumer<JavalinConfig>> mounts = new ArrayList<>();
    private Javalin app;
    private RequestDeadline deadline;
    private boolean closed;

    public HttpApi(String bind, int port, Metrics metrics, BooleanSupplier healthy) throws IOException {
        this(bind, port, metrics, healthy, DEFAULT_REQUEST_TIME);
    }

    public HttpApi(String bind, int port, Metrics metrics, BooleanSupplier healthy, Duration requestTime) throws IOException {
        this(bind, port, metrics, healthy, requestTime, null);
    }

    /** With {@code tls} (not null), the port speaks HTTPS only. */
    public HttpApi(String bind, int port, Metrics metrics, BooleanSupplier healthy, Duration requestTime, javax.net.ssl.SSLContext tls)
            throws IOException {
        this.tls = tls;
        this.metrics = metrics;
        this.healthy = healthy;
        this.requestTime = requestTime == null ? DEFAULT_REQUEST_TIME : requestTime;
        channel = ServerSocketChannel.open();
        try {
            channel.bind(new InetSocketAddress(bind, port), 128);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        this.port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    private io.javalin.http.Handler pageNotFound;

    /** How a path that is not an API's is answered when nothing serves it (the admin centre's "not found" page). */
    public synchronized void pageNotFound(io.javalin.http.Handler handler) { pageNotFound = handler; }

    /** Adds routes (or any other setting) to the server; before {@link #start()}, as Javalin 7 configures everything up front. */
    public synchronized void configure(Consumer<JavalinConfig> mount) {
        if (app != null) throw new IllegalStateException("the HTTP server has started: configure it before");
        mounts.add(mount);
    }

    public synchronized void start() {
        if (closed) throw new IllegalStateException("closed");
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            config.router.ignoreTrailingSlashes = false;
            config.http.maxRequestSize = 1 << 20;
            config.jetty.addConnector((server, httpConfig) -> connector(server, httpConfig));
            config.routes.before(ctx -> ctx.header("X-Content-Type-Options", "nosniff"));
            readOnly(config, "/healthz", ctx -> {
                boolean ok = healthy.getAsBoolean();
                send(ctx, ok ? 200 : 503, "application/json", ok ? "{\"status\":\"ok\"}\n" : "{\"status\":\"unavailable\"}\n");
            });
            readOnly(config, "/metrics", ctx -> send(ctx, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
            for (Consumer<JavalinConfig> m : mounts) m.accept(config);
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.error("http failure method={} path={}", ctx.method(), ctx.path(), e);
                sendError(ctx, 500, "InternalError", "An internal error occurred.");
            });
            config.routes.error(404, ctx -> {
                if (ctx.attribute(ANSWERED) != null) return; // a handler's own 404 (Javalin's default text is not one)
                if (pageNotFound != null && AdminCentre.isPage(ctx.path())) pageNotFound.handle(ctx);
                else sendError(ctx, 404, "NotFound", "No such endpoint: " + ctx.path());
            });
        });
        app.start();
        deadline = new RequestDeadline(app.jettyServer().server(), requestTime).start();
    }

    private ServerConnector connector(org.eclipse.jetty.server.Server server, HttpConfiguration httpConfig) {
        httpConfig.setSendServerVersion(false);
        httpConfig.setSendXPoweredBy(false);
        // Jetty reuses a header field seen earlier on the connection when a later one matches it ignoring case: a
        // bearer token differing only in case would be read as the earlier one (found by AdminApiHttpTest)
        httpConfig.setHeaderCacheCaseSensitive(true);
        ServerConnector c;
        if (tls == null) {
            c = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
        } else {
            httpConfig.addCustomizer(new org.eclipse.jetty.server.SecureRequestCustomizer(false)); // marks requests secure; no SNI host check
            org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl = new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
            ssl.setSslContext(tls);
            c = new ServerConnector(server, new org.eclipse.jetty.server.SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(httpConfig));
        }
        c.setIdleTimeout(Math.max(requestTime.toMillis(), 1_000));
        try {
            c.open(channel);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return c;
    }

    /**
     * {@code path} answered on GET and HEAD by {@code handler}; any other method is 405 with {@code Allow: GET, HEAD}.
     */
    public static void readOnly(JavalinConfig config, String path, io.javalin.http.Handler handler) {
        config.routes.get(path, handler);
        config.routes.head(path, handler);
        for (HandlerType t : new HandlerType[] {HandlerType.POST, HandlerType.PUT, HandlerType.DELETE, HandlerType.PATCH}) {
            config.routes.addHttpHandler(t, path, HttpApi::methodNotAllowed);
        }
    }

    /**
     * Every path under {@code prefix} (which ends in '/', and the prefix itself) answered by {@code handler} whatever
     * the method: the handler answers 404 and 405 itself.
     */
    public static void anyMethod(JavalinConfig config, String prefix, io.javalin.http.Handler handler) {
        for (HandlerType t : HandlerType.values()) {
            if (!t.isHttpMethod()) continue;
            config.routes.addHttpHandler(t, prefix, handler);
            config.routes.addHttpHandler(t, prefix + "<rest>", handler);
        }
    }

    /** True for GET and HEAD; any other method is answered 405 with {@code Allow: GET, HEAD}. */
    static boolean readOnly(Context ctx) {
        if (ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD) return true;
        methodNotAllowed(ctx);
        return false;
    }

    private static void methodNotAllowed(Context ctx) {
        ctx.header("Allow", "GET, HEAD");
        sendError(ctx, 405, "MethodNotAllowed", "Use GET.");
    }

    /** {@code {"error":{"code":…,"message":…}}}, the shape of every error the APIs answer. */
    static ObjectNode errorNode(String code, String message) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        ObjectNode e = n.putObject("error");
        e.put("code", code);
        e.put("message", message);
        return n;
    }

    public static void sendError(Context ctx, int status, String code, String message) {
        send(ctx, status, "application/json", errorNode(code, message).toString());
    }

    /** Set on a request a handler answered itself, so that its own 404 is not replaced by the "not found" answer. */
    static final String ANSWERED = "gatehouse.answered";

    /** Sends a complete answer; to a HEAD request only its status and headers. */
    public static void send(Context ctx, int status, String contentType, String body) {
        ctx.attribute(ANSWERED, Boolean.TRUE);
        ctx.status(status);
        ctx.contentType(contentType);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.result(ctx.method() == HandlerType.HEAD ? "" : body);
    }

    /**
     * A file the browser saves rather than shows: {@code Content-Disposition: attachment} with a plain file name, its
     * type and {@code X-Content-Type-Options: nosniff}; a HEAD request gets the headers and the length only.
     */
    public static void attachment(Context ctx, String fileName, String contentType, java.nio.file.Path file) {
        try {
            long size = java.nio.file.Files.size(file);
            attachmentHeaders(ctx, fileName, contentType);
            if (ctx.method() == HandlerType.HEAD) ctx.header("Content-Length", String.valueOf(size));
            else ctx.result(java.nio.file.Files.newInputStream(file));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** As {@link #attachment(Context, String, String, java.nio.file.Path)}, for bytes in memory. */
    public static void attachment(Context ctx, String fileName, String contentType, byte[] bytes) {
        attachmentHeaders(ctx, fileName, contentType);
        if (ctx.method() == HandlerType.HEAD) ctx.header("Content-Length", String.valueOf(bytes.length));
        else ctx.result(bytes);
    }

    private static void attachmentHeaders(Context ctx, String fileName, String contentType) {
        ctx.status(200);
        ctx.contentType(contentType);
        ctx.header("Content-Disposition", "attachment; filename=\"" + fileName.replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
        ctx.header("X-Content-Type-Options", "nosniff");
    }

    public int port() { return port; }

    /** Stops serving and gives the port back, whether or not the server ever started. */
    @Override public synchronized void close() {
        if (closed) return;
        closed = true;
        if (deadline != null) deadline.close();
        if (app != null) app.stop();
        try {
            channel.close();
        } catch (IOException e) {
            log.warn("http close: {}", e.toString());
        }
    }
}
