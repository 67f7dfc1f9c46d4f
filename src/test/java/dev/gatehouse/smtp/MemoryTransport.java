// MemoryTransport: an in-memory SmtpTransport for socket-free session tests (input script in, replies captured).
package dev.gatehouse.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/** Feeds a fixed input; STARTTLS switches to {@code afterTls} (or fails when it is null) without real crypto. */
final class MemoryTransport implements SmtpTransport {
    private InputStream in;
    private final InputStream afterTls;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean closed;
    int tlsStarts;
    int writes;
    private final OutputStream counting = new OutputStream() {
        @Override public void write(int b) { writes++; out.write(b); }
        @Override public void write(byte[] b, int off, int len) { writes++; out.write(b, off, len); }
    };

    MemoryTransport(InputStream in, InputStream afterTls) {
        this.in = in;
        this.afterTls = afterTls;
    }

    @Override public InputStream in() { return in; }

    @Override public OutputStream out() { return counting; }

    @Override public void setReadTimeout(int millis) {}

    @Override public TlsInfo startTls() throws IOException {
        if (afterTls == null) throw new IOException("handshake failed (test)");
        tlsStarts++;
        in = afterTls;
        return new TlsInfo("TLSv1.3", "TLS_AES_128_GCM_SHA256", List.of());
    }

    @Override public InetSocketAddress remote() {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}), 40000);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override public int localPort() { return 25; }

    @Override public void close() { closed = true; }
}
