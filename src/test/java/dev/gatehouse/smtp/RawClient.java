// RawClient: a byte-level SMTP test client over a real socket, able to send hostile bytes and switch to TLS.
package dev.gatehouse.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

final class RawClient implements AutoCloseable {
    Socket socket;

    RawClient(int port) throws IOException { this(port, null); }

    RawClient(int port, InetAddress from) throws IOException {
        socket = new Socket();
        if (from != null) socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        socket.setSoTimeout(5000);
    }

    void send(String s) throws IOException {
        socket.getOutputStream().write(s.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** One reply line without CRLF, or null at end of stream. */
    String line() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.UTF_8);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
    }

    /** The lines of one (possibly multi-line) reply. */
    List<String> reply() throws IOException {
        List<String> lines = new ArrayList<>();
        String l;
        do {
            l = line();
            if (l == null) break;
            lines.add(l);
        } while (l.length() > 3 && l.charAt(3) == '-');
        return lines;
    }

    /** Every line until the server closes the connection. */
    List<String> rest() throws IOException {
        List<String> lines = new ArrayList<>();
        String l;
        while ((l = line()) != null) lines.add(l);
        return lines;
    }

    void startTls(SSLContext client) throws IOException { startTls(client, null, null); }

    /** @param protocols the client's protocols (null: its defaults), @param suites its cipher suites (null: defaults) */
    SSLSocket startTls(SSLContext client, String[] protocols, String[] suites) throws IOException {
        SSLSocket ssl = (SSLSocket) client.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        ssl.setUseClientMode(true);
        if (protocols != null) ssl.setEnabledProtocols(protocols);
        if (suites != null) ssl.setEnabledCipherSuites(suites);
        socket = ssl;
        ssl.startHandshake();
        return ssl;
    }

    @Override public void close() throws IOException { socket.close(); }
}
