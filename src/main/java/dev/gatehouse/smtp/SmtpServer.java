// SmtpServer: the SMTP listener: accepts TCP connections, applies connection limits, runs one virtual thread per session.
package dev.gatehouse.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blocking-socket SMTP listener. Each accepted connection runs an {@link SmtpSession} on its own virtual
 * thread, so 10,000 idle clients cost 10,000 parked virtual threads and about 5 KiB of buffers each.
 *
 * <p>Life cycle: construct, {@link #start(InetSocketAddress)} (port 0 picks a free port, see
 * {@link #port()}), then {@link #close()}. Closing stops accepting at once, ends idle sessions, lets
 * sessions inside a transaction finish for {@link SmtpConfig#shutdownGrace()} (so a message being committed
 * gets its reply), then closes whatever is left.
 *
 * <p>Connections over {@link SmtpConfig#maxConnectionsPerIp()} or {@link SmtpConfig#maxConnections()} get
 * one 421 line and are closed without a session.
 *
 * <p>A connection from a peer in {@link SmtpConfig#proxyProtocolFrom()} (a load balancer) must start with a PROXY
 * protocol header, read before the greeting ({@link ProxyHeaderReader}); the session, the per-address limit and
 * everything downstream then see the client it names. The total limit is applied to the balancer's connection
 * at accept, since it costs a socket whoever the client is.
 */
public final class SmtpServer<R> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmtpServer.class);

    /** The JDK's Socket subclasses a running gateway creates: STARTTLS's, and a socket channel's (Jetty). */
    static final List<String> OTHER_SOCKET_CLASSES = List.of("sun.security.ssl.SSLSocketImpl", "sun.nio.ch.SocketAdaptor");

    static {
        loadOtherSocketClasses();
    }

    /**
     * Initialises the JDK's other {@link Socket} classes before any session runs: the TLS socket STARTTLS makes and
     * the adaptor the admin HTTP server's accept makes. Until a second Socket class is linked, C2 compiles the
     * session's calls to Socket's methods as calls to Socket's own, and linking one throws every such compiled method
     * away (SmtpSession.run, mail, rcpt, endOfData, the transport's reads): the first {@code /metrics} scrape or
     * STARTTLS after the gateway is warm sent the SMTP path back to the interpreter and the compiler, measured as a
     * burst of "marked for deoptimization" in {@code -Xlog:jit+compilation} at the first scrape (issue 15; decision
     * jit-stays-tiered). Loading alone does not link a class; initialising does (their static initialisers only set
     * constants and read properties); no socket is opened.
     *
     * @return the classes this JDK does not have (none on JDK 25)
     */
    static List<String> loadOtherSocketClasses() {
        List<String> missing = new ArrayList<>();
        for (String name : OTHER_SOCKET_CLASSES) {
            try {
                Class.forName(name, true, Socket.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                missing.add(name); // another JDK's names: only the compiled code's lifetime is at stake
            }
        }
        return missing;
    }

    private final SmtpConfig config;
    private final MailHandler<R> handler;
    private final SmtpEvents events;
    private final ConnectionLimiter limiter;
    private final Set<SmtpSession> sessions = ConcurrentHashMap.newKeySet();
    /** Balancer connections whose PROXY header is still being read (closed at once on shutdown). */
    private final Set<Socket> pending = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket serverSocket;
    private volatile boolean closed;
    private Thread acceptThread;

    public SmtpServer(SmtpConfig config, MailHandler<R> handler, SmtpEvents events) {
        this.config = Objects.requireNonNull(config, "config");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.events = events == null ? SmtpEvents.NONE : events;
        this.limiter = new ConnectionLimiter(config.maxConnections(), config.maxConnectionsPerIp());
    }

    public SmtpServer(SmtpConfig config, MailHandler<R> handler) { this(config, handler, SmtpEvents.NONE); }

    /**
     * Binds and starts accepting. A port already in use is a {@link BindException} naming the address.
     *
     * @throws IllegalStateException when already started
     */
    public synchronized SmtpServer start(InetSocketAddress bind) throws IOException {
        return start(bind(bind));
    }

    /**
     * Binds a listening socket for {@link #start(ServerSocket)}, so a caller can hold the port before it has what the
     * server needs. A port already in use is a {@link BindException} naming the address.
     */
    public static ServerSocket bind(InetSocketAddress bind) throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        try {
            ss.bind(bind, 1024);
        } catch (BindException e) {
            ss.close();
            BindException named = new BindException("cannot listen for SMTP on " + bind.getHostString() + ":" + bind.getPort()
                    + " (port " + bind.getPort() + "): " + e.getMessage());
            named.initCause(e);
            throw named;
        } catch (IOException | RuntimeException e) {
            ss.close();
            throw e;
        }
        return ss;
    }

    /**
     * Starts accepting on a socket from {@link #bind}; the server owns it from now on.
     *
     * @throws IllegalStateException when already started
     */
    public synchronized SmtpServer start(ServerSocket ss) {
        if (serverSocket != null) throw new IllegalStateException("SMTP server already started");
        serverSocket = ss;
        acceptThread = Thread.ofVirtual().name("smtp-accept-" + ss.getLocalPort()).start(this::acceptLoop);
        Thread.ofVirtual().name("smtp-watchdog-" + ss.getLocalPort()).start(this::watchdog);
        log.info("smtp listening address={} port={} proxy-protocol-from={}", ss.getInetAddress().getHostAddress(), ss.getLocalPort(),
                config.proxyProtocolFrom().isEmpty() ? "none" : config.proxyProtocolFrom());
        return this;
    }

    /** The bound port (useful after binding port 0); -1 before start. */
    public int port() {
        ServerSocket ss = serverSocket;
        return ss == null ? -1 : ss.getLocalPort();
    }

    /** The number of sessions running now. */
    public int activeSessions() { return sessions.size(); }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (closed) break;
                log.warn("smtp accept-failed error={}", e.toString());
                pause(50);   // e.g. out of file descriptors: do not spin
                continue;
            }
            InetAddress peer = socket.getInetAddress();
            if (config.expectsProxyHeader(peer)) {
                // a load balancer: the total limit applies now, the per-address one to the client its header names
                if (limiter.tryAcquireTotal()) Thread.ofVirtual().name("smtp-proxied").start(() -> serveProxied(socket));
                else Thread.ofVirtual().name("smtp-refuse").start(() -> refuse(socket, peer, ConnectionLimiter.Verdict.TOO_MANY_TOTAL));
                continue;
            }
            ConnectionLimiter.Verdict verdict = limiter.tryAcquire(peer);
            InetSocketAddress client = (InetSocketAddress) socket.getRemoteSocketAddress();
            if (verdict == ConnectionLimiter.Verdict.OK) Thread.ofVirtual().name("smtp-session").start(() -> serve(socket, client, false));
            else Thread.ofVirtual().name("smtp-refuse").start(() -> refuse(socket, peer, verdict));
        }
    }

    /**
     * Cuts reads past their deadline (sessions read without a socket timeout, see {@link SocketTransport}) and
     * aborts sessions whose client stopped reading replies (a blocked write has no socket timeout). It ticks
     * every tenth of the shortest timeout, between 10 ms and 1 s, so a timeout fires at most that late.
     */
    private void watchdog() {
        long tick = Math.clamp(Math.min(config.commandTimeout().toMillis(), config.dataTimeout().toMillis()) / 10, 10, 1000);
        while (!closed) {
            pause(tick);
            long now = System.nanoTime();
            for (SmtpSession s : sessions) {
                s.expireRead(now);
                if (s.writeStalled(config.commandTimeout())) {
                    log.info("smtp write-stalled session={}", s.id());
                    s.abort();
                }
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A connection from a listed balancer (holding a total slot): reads its PROXY header before any greeting,
     * then runs the session as the client it names. A missing, bad or slow header closes the connection silently.
     */
    private void serveProxied(Socket socket) {
        InetSocketAddress client;
        try {
            client = proxiedClient(socket);
        } catch (RuntimeException e) {   // never expected; the slot must come back all the same
            log.warn("smtp proxy-header-failed peer={} error={}", socket.getRemoteSocketAddress(), e.toString());
            client = null;
        }
        if (client == null) {
            limiter.releaseTotal();   // before the close the client sees (closing never waits on the client)
            closeQuietly(socket);
            return;
        }
        if (!limiter.tryAcquireFrom(client.getAddress())) {
            limiter.releaseTotal();
            refuse(socket, client.getAddress(), ConnectionLimiter.Verdict.TOO_MANY_FROM_IP);
            return;
        }
        serve(socket, client, true);
    }

    /** The client the balancer's header names (its own address for LOCAL/UNKNOWN), or null when there is no valid one. */
    private InetSocketAddress proxiedClient(Socket socket) {
        InetSocketAddress peer = (InetSocketAddress) socket.getRemoteSocketAddress();
        pending.add(socket);
        ProxyHeader.Result header;
        try {   // close() closes what is pending; one that ran before this socket was added is seen here
            header = closed ? new ProxyHeader.Invalid("the listener is shutting down")
                    : ProxyHeaderReader.read(new SocketTransport(socket, null), config.proxyHeaderTimeout());
        } finally {
            pending.remove(socket);
        }
        InetSocketAddress client = switch (header) {
            case ProxyHeader.Proxied p -> p.source();
            case ProxyHeader.Local l -> peer;
            case ProxyHeader.Invalid quiet when quiet.nothingSent() -> {
                // a balancer's TCP health check (connect, close): every few seconds per balancer, so neither a
                // warning nor a refusal in the metrics; a real client behind the balancer always gets a header
                log.debug("smtp proxy-health-check peer={}", hostPort(peer));
                yield null;
            }
            case ProxyHeader.Invalid bad -> {
                log.warn("smtp proxy-header-refused peer={} reason=\"{}\"", hostPort(peer), bad.reason());
                events.connectionRefused(peer.getAddress(), "proxy-header");
                yield null;
            }
            case ProxyHeader.Incomplete never -> null;   // the reader never returns it
        };
        if (client != null) {
            log.debug("smtp proxied peer={} client={} version={}", hostPort(peer), hostPort(client), ((ProxyHeader.Header) header).version());
        }
        return client;
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /**
     * Runs a session for {@code client}, which holds both limiter slots; releases them when it ends, after its last
     * reply and the close. (Not before the last reply, though a client that reconnects the moment it reads 221 can
     * then find its own slot still taken: a client that stops reading could block that reply's write for the whole
     * command timeout while holding no slot, and so open connections past its limit.)
     */
    private void serve(Socket socket, InetSocketAddress client, boolean proxied) {
        InetAddress ip = client.getAddress();
        events.connectionOpened(ip);
        SmtpSession session = null;
        try {
            socket.setTcpNoDelay(true);
            session = new SmtpSession<>(config, handler, events, new SocketTransport(socket, config.sslContext(), client, proxied));
            sessions.add(session);
            if (closed) {
                session.requestShutdown();
                session.closeIfIdle();
            }
            session.run();
        } catch (IOException | RuntimeException e) {
            log.warn("smtp session-failed client={} error={}", ip.getHostAddress(), e.toString());
            closeQuietly(socket);
        } finally {
            if (session != null) sessions.remove(session);
            limiter.release(ip);
            events.connectionClosed(ip);
        }
    }

    private void refuse(Socket socket, InetAddress ip, ConnectionLimiter.Verdict verdict) {
        boolean perIp = verdict == ConnectionLimiter.Verdict.TOO_MANY_FROM_IP;
        String reason = perIp ? "per-ip-limit" : "total-limit";
        log.info("smtp refused client={} reason={}", ip.getHostAddress(), reason);
        events.connectionRefused(ip, reason);
        SmtpReply reply = perIp ? Replies.tooManyConnectionsFrom(config.hostname(), ip.getHostAddress())
                : Replies.tooManyConnections(config.hostname());
        try (socket; OutputStream out = socket.getOutputStream()) {
            out.write(reply.render(true).getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException ignored) {
            // the client is gone already
        }
    }

    /** Stops accepting and shuts sessions down with the configured grace period. */
    @Override public void close() { close(config.shutdownGrace()); }

    /** Stops accepting, lets sessions in a transaction finish for up to {@code grace}, then closes the rest. */
    public void close(Duration grace) {
        if (closed) return;
        closed = true;
        closeQuietly(serverSocket);
        for (Socket s : pending) closeQuietly(s);
        for (SmtpSession s : sessions) s.requestShutdown();   // first every flag, so no session misses its 421
        for (SmtpSession s : sessions) s.closeIfIdle();
        long deadline = System.nanoTime() + grace.toNanos();
        while (!sessions.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int forced = sessions.size();
        for (SmtpSession s : sessions) s.abort();
        if (acceptThread != null) {
            try {
                acceptThread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        log.info("smtp stopped port={} forced-closed={}", port(), forced);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing to do
        }
    }
}
