// A small SMTP client for connector tests: binds to a chosen loopback address, optional STARTTLS with a client cert.
package dev.gatehouse.connector;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** Commands return the last line of the reply, e.g. {@code "550 5.7.68 TenantInboundAttribution; ..."}. */
public final class SmtpTestClient implements Closeable {
    private Socket socket;
    private BufferedReader in;
    private OutputStream out;

    /** Connects from {@code fromIp} to 127.0.0.1:port, reads the greeting and sends EHLO. */
    public SmtpTestClient(String fromIp, int port) throws IOException {
        socket = new Socket();
        socket.bind(new InetSocketAddress(fromIp, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(15_000);
        streams();
        expect(reply(), "220");
        expect(cmd("EHLO client.test"), "250");
    }

    /** STARTTLS with the given client context (presenting its certificate, if any), then EHLO again. */
    public SmtpTestClient startTls(SSLContext ctx) throws IOException {
        expect(cmd("STARTTLS"), "220");
        SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        socket = ssl;
        streams();
        expect(cmd("EHLO client.test"), "250");
        return this;
    }

    private void streams() throws IOException {
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        out = socket.getOutputStream();
    }

    public String cmd(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return reply();
    }

    String reply() throws IOException {
        while (true) {
            String line = in.readLine();
            if (line == null) throw new IOException("connection closed");
            if (line.length() < 4 || line.charAt(3) != '-') return line;
        }
    }

    /** DATA with the given header lines and a short body; returns the final reply. */
    public String data(String headers) throws IOException {
        expect(cmd("DATA"), "354");
        String msg = headers + "Subject: connector test\r\nMessage-ID: <" + System.nanoTime() + "@client.test>\r\n\r\nHello.\r\n.";
        return cmd(msg);
    }

    public static String expect(String reply, String prefix) throws IOException {
        if (!reply.startsWith(prefix)) throw new IOException("expected " + prefix + " but got: " + reply);
        return reply;
    }

    @Override public void close() throws IOException {
        try {
            cmd("QUIT");
        } catch (IOException ignored) {
            // closing anyway
        }
        socket.close();
    }
}
