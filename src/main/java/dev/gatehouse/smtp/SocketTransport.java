// SocketTransport: the SmtpTransport over a TCP socket, including the server side of STARTTLS.
package dev.gatehouse.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A socket with an optional upgrade to TLS. STARTTLS enables TLS 1.2 and 1.3 only, AEAD cipher suites only
 * ({@link Tls#CIPHER_SUITES}), refuses renegotiation started by the client, and asks for (but does not
 * require) a client certificate; the chain is returned unverified in {@link TlsInfo}.
 */
final class SocketTransport implements SmtpTransport {

    private final SSLContext sslContext;
    private final InetSocketAddress remote;
    private final boolean proxied;
    private final Socket tcp;   // the connection under any TLS layer: its input is what a cut read shuts down
    private volatile Socket socket;

    // Before STARTTLS a read deadline is kept by the server's watchdog ({@link #expireRead}), not by SO_TIMEOUT:
    // a virtual thread's timed read schedules and cancels a JDK timer task on every blocking read, which costs a
    // wake-up of the timer thread per SMTP round trip.
    private long deadline = Long.MAX_VALUE;   // for the reads that follow; read and written by the session only
    private volatile long readUntil;          // the deadline of the read now blocked, valid while reading
    private volatile boolean reading;
    private volatile boolean expired;
    private boolean untimed;                  // SO_TIMEOUT is 0 (the PROXY reader, the TLS handshake and SmtpInput.startsWith set it)

    SocketTransport(Socket socket, SSLContext sslContext) {
        this(socket, sslContext, (InetSocketAddress) socket.getRemoteSocketAddress(), false);
    }

    /**
     * @param client  the address the session reports as its client (the peer, or what its PROXY header named)
     * @param proxied true when a PROXY header was read off this socket before the session started
     */
    SocketTransport(Socket socket, SSLContext sslContext, InetSocketAddress client, boolean proxied) {
        this.socket = socket;
        this.tcp = socket;
        this.sslContext = sslContext;
        this.remote = client;
        this.proxied = proxied;
    }

    @Override public InputStream in() throws IOException {
        Socket s = socket;
        return s instanceof SSLSocket ? s.getInputStream() : new DeadlineInput(s.getInputStream());
    }

    @Override public OutputStream out() throws IOException { return socket.getOutputStream(); }

    @Override public void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
        untimed = millis == 0;
    }

    @Override public void setReadDeadline(long deadlineNanos) throws IOException {
        if (socket instanceof SSLSocket) {
            // JDK TLS takes an input shut down under it for the end of the connection and would drop the 421
            // timeout reply; a socket timeout is recoverable there, so TLS sessions keep it
            SmtpTransport.super.setReadDeadline(deadlineNanos);
            return;
        }
        if (!untimed) setReadTimeout(0);
        deadline = deadlineNanos;
    }

    @Override public void expireRead(long nowNanos) {
        if (reading && nowNanos - readUntil >= 0 && !expired) {
            expired = true;
            try {
                tcp.shutdownInput();   // wakes the blocked read with end of stream; replies can still be written
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /** The socket's input, failing with {@link SocketTimeoutException} once a read was cut at its deadline. */
    private final class DeadlineInput extends InputStream {
        private final InputStream in;

        DeadlineInput(InputStream in) { this.in = in; }

        @Override public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            if (expired) throw new SocketTimeoutException("read deadline passed");
            readUntil = deadline;
            reading = true;
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException e) {
                if (expired) throw new SocketTimeoutException("read deadline passed");
                throw e;
            } finally {
                reading = false;
            }
            if (expired) throw new SocketTimeoutException("read deadline passed");
            return n;
        }

        @Override public int available() throws IOException { return in.available(); }
    }

    @Override public TlsInfo startTls() throws IOException {
        if (sslContext == null) throw new IOException("no TLS context configured");
        Socket plain = socket;
        // layered on the socket itself: the PROXY header was read off it unbuffered, so the handshake starts at the right octet
        SSLSocket ssl = (SSLSocket) sslContext.getSocketFactory()
                .createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        ssl.setUseClientMode(false);
        ssl.setEnabledProtocols(Arrays.stream(ssl.getSupportedProtocols()).filter(Tls.PROTOCOLS::contains).toArray(String[]::new));
        List<String> supported = Arrays.asList(ssl.getSupportedCipherSuites());
        ssl.setEnabledCipherSuites(Tls.CIPHER_SUITES.stream().filter(supported::contains).toArray(String[]::new));
        javax.net.ssl.SSLParameters params = ssl.getSSLParameters();
        params.setUseCipherSuitesOrder(true); // the server's order: strongest first
        ssl.setSSLParameters(params);
        ssl.setWantClientAuth(true);
        socket = ssl;
        ssl.startHandshake();
        SSLSession session = ssl.getSession();
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (Certificate c : session.getPeerCertificates()) if (c instanceof X509Certificate x) chain.add(x);
        } catch (SSLPeerUnverifiedException noClientCertificate) {
            // the client did not present one: fine
        }
        return new TlsInfo(session.getProtocol(), session.getCipherSuite(), chain);
    }

    @Override public InetSocketAddress remote() { return remote; }

    @Override public boolean proxied() { return proxied; }

    @Override public int localPort() { return socket.getLocalPort(); }

    @Override public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed or reset
        }
    }
}
