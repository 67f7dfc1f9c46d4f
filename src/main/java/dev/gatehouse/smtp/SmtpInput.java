// SmtpInput: the session's small read buffer over the transport, with per-request deadlines and line framing.
package dev.gatehouse.smtp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Buffered, byte-oriented input. The buffer is 4 KiB, the only per-session allocation while idle besides
 * the command line buffer. Before every blocking read it runs the flush hook, which is how pipelined
 * replies get written exactly when the buffered input is used up (RFC 2920). A deadline, not an idle
 * timer, bounds each request: every read gets the time that is left of it.
 */
final class SmtpInput {
    static final int BUFFER_SIZE = 4096;

    /** Why a command line is unusable, in the order the session checks them. */
    enum Problem { NONE, TOO_LONG, STRAY_CR, BARE_LF, NUL }

    /** One command line without its line ending, as one char per octet. */
    record Line(String text, Problem problem) {}

    interface FlushHook { void flush() throws IOException; }

    private final SmtpTransport transport;
    private final FlushHook flushHook;
    private final byte[] buf = new byte[BUFFER_SIZE];
    private InputStream in;
    private int pos, limit;
    private long deadlineNanos = System.nanoTime() + Long.MAX_VALUE / 4;
    private byte[] lineBuf;

    SmtpInput(SmtpTransport transport, FlushHook flushHook) throws IOException {
        this.transport = transport;
        this.flushHook = flushHook;
        this.in = transport.in();
    }

    private long idleMillis = Long.MAX_VALUE;

    /** One deadline for what follows, which is also the longest a single read may wait (a command line). */
    void setDeadline(java.time.Duration timeout) { setDeadline(timeout, timeout); }

    /**
     * A deadline for a whole transfer and, within it, the longest any single read may wait for data (Postfix's
     * smtpd_timeout per read plus a whole-message limit): a stalled client is dropped after {@code idle}, a
     * trickling one at {@code total}.
     */
    void setDeadline(java.time.Duration total, java.time.Duration idle) {
        setDeadlineAt(System.nanoTime() + total.toNanos(), idle);
    }

    /** As {@link #setDeadline(java.time.Duration, java.time.Duration)} with the deadline as a {@link System#nanoTime()} value. */
    void setDeadlineAt(long deadline, java.time.Duration idle) {
        deadlineNanos = deadline;
        idleMillis = Math.max(1, idle.toMillis());
    }

    int buffered() { return limit - pos; }

    /** Throws away everything already read but not consumed (STARTTLS, CVE-2011-0411); returns how much. */
    int discardBuffered() {
        int n = limit - pos;
        pos = limit = 0;
        return n;
    }

    /** Switches to the transport's current stream (after STARTTLS). */
    void reattach() throws IOException { in = transport.in(); }

    /** The next octet, or -1 at end of stream. */
    int read() throws IOException {
        if (pos == limit && !fill()) return -1;
        return buf[pos++] & 0xff;
    }

    /**
     * Moves the octets already buffered, up to the next CR or LF (which stays), to {@code out}; reads nothing. What
     * the DATA state machine would do octet by octet in the middle of a line, in one copy.
     */
    void copyToLineEnd(MessageBuffer out) {
        int i = pos;
        while (i < limit && buf[i] != '\r' && buf[i] != '\n') i++;
        if (i > pos) {
            out.write(buf, pos, i - pos);
            pos = i;
        }
    }

    /** The next octet; end of stream is an {@link EOFException}. */
    int readOrFail() throws IOException {
        if (pos == limit && !fill()) throw new EOFException("connection closed mid-data");
        return buf[pos++] & 0xff;
    }

    /** Consumes exactly n octets without keeping them. */
    void skip(long n) throws IOException {
        while (n > 0) {
            if (pos == limit && !fill()) throw new EOFException("connection closed mid-chunk");
            int k = (int) Math.min(n, limit - pos);
            pos += k;
            n -= k;
        }
    }

    /**
     * Reads one command line up to LF. Never keeps more than {@code max} octets: a longer line is read to
     * its end and reported {@link Problem#TOO_LONG}. Returns null at end of stream.
     */
    Line readLine(int max) throws IOException {
        if (lineBuf == null || lineBuf.length != max) lineBuf = new byte[max];
        int len = 0;
        long count = 0;
        boolean prevCr = false, strayCr = false, nul = false;
        while (true) {
            int b = read();
            if (b < 0) return null;
            count++;
            if (b == '\n') {
                if (count > max) return new Line("", Problem.TOO_LONG);
                String text = new String(lineBuf, 0, prevCr ? len - 1 : len, StandardCharsets.ISO_8859_1);
                Problem p = strayCr ? Problem.STRAY_CR : !prevCr ? Problem.BARE_LF : nul ? Problem.NUL : Problem.NONE;
                return new Line(text, p);
            }
            if (prevCr) strayCr = true;
            prevCr = b == '\r';
            if (b == 0) nul = true;
            if (len < lineBuf.length) lineBuf[len++] = (byte) b;
        }
    }

    /** How long {@link #startsWith} waits for each further octet once what has arrived matches the prefix in part. */
    static final int PREFIX_GRACE_MILLIS = 1000;

    /**
     * True when the unread input begins with {@code prefix} (shorter than the buffer). Reads only while what has
     * arrived still matches, so it waits for more only from a client that is sending exactly that prefix, and then
     * at most {@link #PREFIX_GRACE_MILLIS} for each further read: a client whose first line is a lone CRLF (the
     * start of PROXY v2's signature) is answered then, not at the command timeout. Consumes nothing.
     */
    boolean startsWith(byte[] prefix) throws IOException {
        while (true) {
            int n = Math.min(limit - pos, prefix.length);
            if (!java.util.Arrays.equals(buf, pos, pos + n, prefix, 0, n)) return false;
            if (n == prefix.length) return true;
            if (pos > 0) {   // keep what is buffered, make room after it
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                limit -= pos;
                pos = 0;
            }
            int got;
            if (limit == 0) {
                got = readInto(0);
            } else {
                try {
                    got = readInto(limit, PREFIX_GRACE_MILLIS);
                } catch (SocketTimeoutException nothingMore) {   // a socket timeout leaves the connection usable
                    return false;
                }
            }
            if (got <= 0) return false;
            limit += got;
        }
    }

    private boolean fill() throws IOException {
        int n = readInto(0);
        if (n <= 0) return false;
        pos = 0;
        limit = n;
        return true;
    }

    /** One read into {@code buf[from..]} within the deadline, after flushing pending replies. */
    private int readInto(int from) throws IOException {
        long remaining = beforeRead();
        long idleNanos = idleMillis >= Long.MAX_VALUE / 4_000_000 ? Long.MAX_VALUE / 4 : idleMillis * 1_000_000;
        transport.setReadDeadline(remaining <= idleNanos ? deadlineNanos : deadlineNanos - remaining + idleNanos);
        return in.read(buf, from, buf.length - from);
    }

    /** Flushes pending replies; returns the time left of the deadline (nanos), or throws when none is. */
    private long beforeRead() throws IOException {
        flushHook.flush();
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) throw new SocketTimeoutException("deadline passed");
        return remaining;
    }

    /**
     * As {@link #readInto(int)}, but a read that waits {@code graceMillis} (or the deadline, if sooner) throws a
     * {@link SocketTimeoutException} from a socket timeout, which leaves the connection usable, instead of being
     * cut for good as a deadline is.
     */
    private int readInto(int from, int graceMillis) throws IOException {
        long remaining = beforeRead();
        transport.setReadTimeout((int) Math.clamp(remaining / 1_000_000, 1, graceMillis));
        return in.read(buf, from, buf.length - from);
    }
}
