// ProxyHeaderReader: reads one PROXY protocol header off a connection under a deadline, never a byte past it.
package dev.gatehouse.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

/**
 * Feeds {@link ProxyHeader#parse} from the transport's raw stream, asking each read for no more than the parser
 * says still belongs to the header. So whatever the client sent after it in the same packet (an EHLO, later a
 * TLS ClientHello) stays in the socket for the session, which reads the same stream unbuffered by us. One
 * deadline covers the whole header: a balancer trickling it, or a peer sending nothing, is cut when it passes.
 */
final class ProxyHeaderReader {
    private ProxyHeaderReader() {}

    /** The header, or {@link ProxyHeader.Invalid} saying why there is none (bad, too slow, closed, I/O error). */
    static ProxyHeader.Result read(SmtpTransport transport, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buf = new byte[ProxyHeader.V1_MAX_LENGTH];
        int len = 0;
        try {
            InputStream in = transport.in();
            while (true) {
                ProxyHeader.Result r = ProxyHeader.parse(buf, len);
                if (!(r instanceof ProxyHeader.Incomplete(int needed))) return r;
                if (len + needed > buf.length) buf = Arrays.copyOf(buf, len + needed);   // bounded: parse caps a header's length
                long left = deadline - System.nanoTime();
                if (left <= 0) return slow(timeout, len);
                transport.setReadTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
                int n = in.read(buf, len, needed);
                if (n < 0) return len == 0 ? ProxyHeader.Invalid.emptyConnection()
                        : new ProxyHeader.Invalid("connection closed after " + len + " octets of the PROXY header");
                len += n;
            }
        } catch (SocketTimeoutException e) {
            return slow(timeout, len);
        } catch (IOException e) {
            // a reset before any octet: health checkers close with RST (SO_LINGER 0) to leave no TIME_WAIT behind
            if (len == 0 && e instanceof SocketException) return ProxyHeader.Invalid.emptyConnection();
            return new ProxyHeader.Invalid("reading the PROXY header failed after " + len + " octets: " + e.getMessage());
        }
    }

    private static ProxyHeader.Invalid slow(Duration timeout, int len) {
        return new ProxyHeader.Invalid("no complete PROXY header within " + timeout.toMillis() + " ms (" + len + " octets received)");
    }
}
