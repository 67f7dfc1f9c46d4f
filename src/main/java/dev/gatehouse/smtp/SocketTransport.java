// SocketTransport: the SmtpTransport over a TCP socket, including the server side of STARTTLS.
package dev.gatehouse.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
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
    private volatile Socket socket;

    SocketTransport(Socket socket, SSLContext sslContext) {
        this(socket, sslContext, (InetSocketAddress) socket.getRemoteSocketAddress(), false);
    }

    /**
     * @param client  the address the session reports as its client (the peer, or what its PROXY header named)
     * @param proxied true when a PROXY header was read off this socket before the session started
     */
    SocketTransport(Socket socket, SSLContext sslContext, InetSocketAddress client, boolean proxied) {
        this.socket = socket;
        this.sslContext = sslContext;
        this.remote = client;
        this.proxied = proxied;
    }

    @Override public InputStream in() throws IOException { return socket.getInputStream(); }

    @Override public OutputStream out() throws IOException { return socket.getOutputStream(); }

    @Override public void setReadTimeout(int millis) throws IOException { socket.setSoTimeout(millis); }

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
