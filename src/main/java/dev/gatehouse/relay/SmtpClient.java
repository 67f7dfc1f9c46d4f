// A small SMTP client for one transaction to the next hop: EHLO, opportunistic STARTTLS, MAIL, RCPT..., DATA.
package dev.gatehouse.relay;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One connection, one transaction. TLS is opportunistic (Postfix {@code smtp_tls_security_level=may}): when the
 * hop offers STARTTLS it is used, without verifying the certificate (see docs/decisions/relay-opportunistic-tls.md);
 * when the hop doesn't offer it, the message goes in plaintext. The outcome is reported in {@link Result#tls()}.
 */
final class SmtpClient {
    /** @param reply the full reply line(s) joined with a space, e.g. {@code 250 2.0.0 Ok} */
    record Reply(int code, String text) {
        boolean ok() { return code / 100 == 2; }
        boolean permanent() { return code / 100 == 5; }
    }

    /**
     * @param rcpt one reply per recipient (in order): the RCPT reply if it wasn't 2xx, else the reply to the end of DATA
     * @param tls  e.g. {@code TLSv1.3 TLS_AES_256_GCM_SHA384 (certificate not verified)} or {@code none (not offered)}
     */
    record Result(List<Reply> rcpt, String tls) {}

    private final String helo;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;

    private final long transactionLimitMillis;

    /** @param transactionLimitMillis the whole transaction's deadline; the connection is cut when it passes */
    SmtpClient(String helo, int connectTimeoutMillis, int readTimeoutMillis, long transactionLimitMillis) {
        this.helo = helo;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.readTimeoutMillis = readTimeoutMillis;
        this.transactionLimitMillis = transactionLimitMillis;
    }

    /**
     * One transaction, bounded in time as a whole (a next hop trickling its replies can't hold the claim
     * past its lease: the connection is closed at the deadline and the attempt counts as a transient failure).
     *
     * @throws IOException on a connection failure or a protocol error (the whole transaction is transient)
     */
    Result send(String host, int port, String mailFrom, List<String> rcpts, byte[] content) throws IOException {
        Socket plain = new Socket();
        Thread watchdog = Thread.startVirtualThread(() -> {
            try {
                Thread.sleep(transactionLimitMillis);
                plain.close();
            } catch (InterruptedException | IOException e) {
                // finished in time (interrupted), or already closed
            }
        });
        try {
            return send(plain, host, port, mailFrom, rcpts, content);
        } finally {
            watchdog.interrupt();
            plain.close();
        }
    }

    private Result send(Socket plain, String host, int port, String mailFrom, List<String> rcpts, byte[] content) throws IOException {
        {
            plain.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            plain.setSoTimeout(readTimeoutMillis);
            Conn c = new Conn(plain);
            Reply greeting = c.read();
            if (!greeting.ok()) return all(rcpts, greeting, "none");
            Reply ehlo = c.cmd("EHLO " + helo);
            if (!ehlo.ok()) ehlo = c.cmd("HELO " + helo);
            if (!ehlo.ok()) return all(rcpts, ehlo, "none");
            String tls = "none (not offered)";
            Socket sock = plain;
            if (offers(ehlo, "STARTTLS")) {
                Reply r = c.cmd("STARTTLS");
                if (r.ok()) {
                    SSLSocket s = (SSLSocket) opportunisticContext().getSocketFactory().createSocket(plain, host, port, true);
                    s.setUseClientMode(true);
                    s.startHandshake();
                    sock = s;
                    c = new Conn(s);
                    tls = s.getSession().getProtocol() + " " + s.getSession().getCipherSuite() + " (certificate not verified)";
                    ehlo = c.cmd("EHLO " + helo);
                    if (!ehlo.ok()) return all(rcpts, ehlo, tls);
                } else {
                    tls = "none (STARTTLS refused: " + r.code() + ")";
                }
            }
            Reply mail = c.cmd("MAIL FROM:<" + mailFrom + ">");
            if (!mail.ok()) {
                c.quit();
                return all(rcpts, mail, tls);
            }
            List<Reply> out = new ArrayList<>();
            boolean any = false;
            for (String r : rcpts) {
                Reply rr = c.cmd("RCPT TO:<" + r + ">");
                out.add(rr);
                any |= rr.ok();
            }
            if (!any) {
                c.quit();
                return new Result(out, tls);
            }
            Reply data = c.cmd("DATA");
            if (data.code() != 354) {
                c.quit();
                for (int i = 0; i < out.size(); i++) if (out.get(i).ok()) out.set(i, data);
                return new Result(out, tls);
            }
            c.writeData(content);
            Reply end = c.read();
            for (int i = 0; i < out.size(); i++) if (out.get(i).ok()) out.set(i, end);
            try {
                c.quit();
            } catch (IOException ignored) {
                // the message is accepted; a failing QUIT changes nothing
            }
            if (sock != plain) sock.close();
            return new Result(out, tls);
        }
    }

    private static Result all(List<String> rcpts, Reply r, String tls) {
        return new Result(rcpts.stream().map(x -> r).toList(), tls);
    }

    private static boolean offers(Reply ehlo, String keyword) {
        for (String line : ehlo.text().split("\n")) {
            String l = line.strip();
            if (l.length() > 4) l = l.substring(4);
            if (l.toUpperCase(java.util.Locale.ROOT).equals(keyword) || l.toUpperCase(java.util.Locale.ROOT).startsWith(keyword + " ")) return true;
        }
        return false;
    }

    private static SSLContext opportunisticContext() throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
                @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
                @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            }}, new SecureRandom());
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("TLS unavailable: " + e.getMessage(), e);
        }
    }

    private static final class Conn {
        private final InputStream in;
        private final OutputStream out;

        Conn(Socket s) throws IOException {
            in = new BufferedInputStream(s.getInputStream());
            out = new BufferedOutputStream(s.getOutputStream());
        }

        Reply cmd(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read();
        }

        void quit() throws IOException { cmd("QUIT"); }

        /** Multi-line replies: lines joined by "\n" in text (the first line's code is the reply's). */
        Reply read() throws IOException {
            StringBuilder text = new StringBuilder();
            while (true) {
                String line = line();
                if (line.length() < 3) throw new IOException("malformed reply from the next hop: '" + line + "'");
                int code;
                try {
                    code = Integer.parseInt(line.substring(0, 3));
                } catch (NumberFormatException e) {
                    throw new IOException("malformed reply from the next hop: '" + line + "'");
                }
                if (!text.isEmpty()) text.append('\n');
                text.append(line);
                if (line.length() == 3 || line.charAt(3) != '-') return new Reply(code, text.toString());
            }
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            while (true) {
                int c = in.read();
                if (c < 0) throw new IOException("the next hop closed the connection");
                if (c == '\n') break;
                if (c != '\r') b.append((char) c);
                if (b.length() > 4096) throw new IOException("reply line too long from the next hop");
            }
            return b.toString();
        }

        /** Dot-stuffs and sends the content (CRLF lines), then CRLF.CRLF. */
        void writeData(byte[] content) throws IOException {
            boolean lineStart = true;
            for (byte b : content) {
                if (lineStart && b == '.') out.write('.');
                out.write(b);
                lineStart = b == '\n';
            }
            if (content.length > 0 && !lineStart) out.write(new byte[] {'\r', '\n'});
            out.write(new byte[] {'.', '\r', '\n'});
            out.flush();
        }
    }
}
