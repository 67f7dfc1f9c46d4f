// MessageBuffer: the growable, capped byte buffer that holds one message's content during DATA or BDAT.
package dev.gatehouse.smtp;

import java.util.Arrays;

/**
 * Collects content up to a cap and then only counts: nothing beyond the cap is ever stored, so a client
 * that ignores SIZE costs at most the cap in memory. Also records whether a bare CR or LF was seen, and
 * stops storing from then on when such content is going to be rejected anyway.
 */
final class MessageBuffer {
    private final long cap;
    private final boolean rejectBare;
    private byte[] data = new byte[8192];
    private int size;
    private long total;
    private boolean bare;

    MessageBuffer(long cap, boolean rejectBare) {
        this.cap = cap;
        this.rejectBare = rejectBare;
    }

    void write(int b) {
        total++;
        if (total > cap || (bare && rejectBare)) return;
        if (size == data.length) data = Arrays.copyOf(data, (int) Math.min(Math.max(cap, 1), (long) data.length * 2));
        data[size++] = (byte) b;
    }

    /** As {@link #write(int)} for each of {@code len} octets from {@code b[off]}, in one copy. */
    void write(byte[] b, int off, int len) {
        long before = total;
        total += len;
        if (before >= cap || (bare && rejectBare)) return;
        int n = (int) Math.min(len, cap - before);   // the octets write(int) would still have stored
        if (size + n > data.length) {
            data = Arrays.copyOf(data, (int) Math.min(Math.max(cap, 1), Math.max((long) data.length * 2, (long) size + n)));
        }
        System.arraycopy(b, off, data, size, n);
        size += n;
    }

    void writeCrlf() { write('\r'); write('\n'); }

    /** Notes a bare CR or LF. In normalising mode the caller writes a CRLF in its place. */
    void bareLineEnding() { bare = true; }

    boolean normalising() { return !rejectBare; }

    boolean sawBareLineEnding() { return bare; }

    boolean tooBig() { return total > cap; }

    boolean endsWithCrlf() { return size >= 2 && data[size - 2] == '\r' && data[size - 1] == '\n'; }

    long total() { return total; }

    byte[] toByteArray() { return Arrays.copyOf(data, size); }

    /** The reply for content that cannot be delivered, or null when it can. */
    SmtpReply refusal() {
        if (bare && rejectBare) return Replies.BARE_LINE_ENDING;
        if (tooBig()) return Replies.TOO_BIG;
        return null;
    }
}
