package dev.gatehouse.it;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately plain SMTP client for tests: it writes exactly the bytes it is given and reads whole
 * (multi-line) replies, so tests can send hostile sequences a library client would clean up.
 */
public final class RawSmtpClient implements Closeable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawSmtpClient(String host, int port) throws IOException {
        this(host, port, null);
    }

    /** @param bindAddress local address to connect from (e.g. 127.0.0.2), or null */
    public RawSmtpClient(String host, int port, String bindAddress) throws IOException {
        socket = new Socket();
        if (bindAddress != null) socket.bind(new InetSocketAddress(bindAddress, 0));
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public void send(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    public void send(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    /** Reads one reply (all its lines); returns the last line, e.g. {@code "250 2.0.0 Ok"}. */
    public String reply() throws IOException {
        List<String> lines = replyLines();
        return lines.getLast();
    }

    public List<String> replyLines() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) throw new IOException("connection closed while waiting for a reply (got " + lines + ")");
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') return lines;
        }
    }

    /** Sends a command line (CRLF appended) and returns its reply's last line. */
    public String cmd(String line) throws IOException {
        send(line + "\r\n");
        return reply();
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') break;
            if (c != '\r') b.write(c);
        }
        if (c == -1 && b.size() == 0) return null;
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * One whole transaction: greeting already read by the caller. Returns the reply to end of data,
     * or throws when the connection drops (the message is then "in doubt" if the dot was sent).
     */
    public String sendMessage(String from, List<String> rcpts, String content) throws IOException {
        expect(cmd("MAIL FROM:<" + from + ">"), "250");
        for (String r : rcpts) expect(cmd("RCPT TO:<" + r + ">"), "250");
        expect(cmd("DATA"), "354");
        String stuffed = (content.startsWith(".") ? "." : "") + content.replace("\r\n.", "\r\n..");
        send(stuffed + (stuffed.endsWith("\r\n") ? "" : "\r\n") + ".\r\n");
        return reply();
    }

    public static String expect(String reply, String prefix) throws IOException {
        if (!reply.startsWith(prefix)) throw new IOException("expected " + prefix + " but got: " + reply);
        return reply;
    }

    @Override public void close() throws IOException { socket.close(); }
}
