// A small SMTP server standing in for the next hop: records each transaction, answers RCPT as the test says.
package dev.gatehouse.relay;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** STARTTLS offered only when {@link #tls} is set. Data is kept as received on the wire (still dot-stuffed) and un-stuffed. */
final class NextHopServer implements AutoCloseable {
    record Transaction(String mailFrom, List<String> rcpts, byte[] wire, String data) {}

    final List<Transaction> transactions = new CopyOnWriteArrayList<>();
    final List<String> commands = new CopyOnWriteArrayList<>();
    /** The reply to RCPT TO for an address; default 250. */
    volatile Function<String, String> rcptReply = a -> "250 2.1.5 Ok";
    /** When set, EHLO offers STARTTLS with this server context. */
    volatile javax.net.ssl.SSLContext tls;
    final List<String> tlsProtocols = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final Thread acceptor;

    NextHopServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        acceptor = Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> session(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() { return server.getLocalPort(); }

    String hostPort() { return "127.0.0.1:" + port(); }

    private void session(Socket plain) {
        Socket s = plain;
        try (plain) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            write(out, "220 nexthop.test ESMTP");
            String from = null;
            List<String> rcpts = new ArrayList<>();
            while (true) {
                String line = line(in);
                if (line == null) return;
                commands.add(line);
                String u = line.toUpperCase();
                if (u.startsWith("EHLO")) write(out, "250-nexthop.test\r\n250-PIPELINING\r\n" + (tls != null && s == plain ? "250-STARTTLS\r\n" : "") + "250 8BITMIME");
                else if (u.equals("STARTTLS") && tls != null && s == plain) {
                    write(out, "220 2.0.0 Ready to start TLS");
                    javax.net.ssl.SSLSocket ssl = (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket(plain, null, plain.getPort(), false);
                    ssl.setUseClientMode(false);
                    ssl.startHandshake();
                    tlsProtocols.add(ssl.getSession().getProtocol());
                    s = ssl;
                    in = new BufferedInputStream(s.getInputStream());
                    out = s.getOutputStream();
                }
                else if (u.startsWith("MAIL FROM:")) { from = line.substring(10).replaceAll("[<>]", "").replaceAll(" .*", ""); rcpts.clear(); write(out, "250 2.1.0 Ok"); }
                else if (u.startsWith("RCPT TO:")) {
                    String a = line.substring(8).replaceAll("[<>]", "");
                    String r = rcptReply.apply(a);
                    if (r.startsWith("2")) rcpts.add(a);
                    write(out, r);
                } else if (u.equals("DATA")) {
                    write(out, "354 go ahead");
                    ByteArrayOutputStream wire = new ByteArrayOutputStream();
                    ByteArrayOutputStream data = new ByteArrayOutputStream();
                    while (true) {
                        byte[] l = rawLine(in);
                        if (l == null) return;
                        wire.writeBytes(l);
                        String t = new String(l, StandardCharsets.ISO_8859_1);
                        if (t.equals(".\r\n")) break;
                        data.writeBytes(t.startsWith(".") ? java.util.Arrays.copyOfRange(l, 1, l.length) : l);
                    }
                    transactions.add(new Transaction(from, List.copyOf(rcpts), wire.toByteArray(), data.toString(StandardCharsets.UTF_8)));
                    write(out, "250 2.0.0 Ok: queued as NH" + transactions.size());
                } else if (u.equals("QUIT")) { write(out, "221 2.0.0 Bye"); return; }
                else if (u.equals("RSET")) { rcpts.clear(); write(out, "250 2.0.0 Ok"); }
                else write(out, "502 5.5.2 unknown");
            }
        } catch (IOException e) {
            // client went away
        }
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write((s + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String line(InputStream in) throws IOException {
        byte[] l = rawLine(in);
        return l == null ? null : new String(l, StandardCharsets.UTF_8).replaceAll("\r?\n$", "");
    }

    private static byte[] rawLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            if (c == '\n') return b.toByteArray();
        }
        return b.size() == 0 ? null : b.toByteArray();
    }

    @Override public void close() throws IOException { server.close(); }
}
