// Where the canonical body goes: SHA-256 over its first l= octets, and a count of all of them.
package dev.gatehouse.dkim;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Receives the canonical body from {@link Canonicalization#body} and hashes no more than {@code limit} octets of it
 * (the {@code l=} tag, or everything), while counting the whole length, so the verifier can tell how much of the
 * body a signature leaves unsigned. Writes are buffered: relaxed canonicalization writes in small pieces.
 */
public final class BodySink {
    private final MessageDigest digest;
    private final long limit;
    private final byte[] buffer = new byte[8192];
    private int buffered;
    private long length;

    /** @param limit the most octets to hash; {@code Long.MAX_VALUE} for all */
    public BodySink(long limit) {
        this.limit = limit;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    void write(byte[] b, int off, int len) {
        if (len <= 0) return;
        long room = limit - length;
        int take = (int) Math.min(len, Math.max(0, room));
        length += len;
        if (take == 0) return;
        if (buffered + take > buffer.length) flush();
        if (take >= buffer.length) {
            digest.update(b, off, take);
        } else {
            System.arraycopy(b, off, buffer, buffered, take);
            buffered += take;
        }
    }

    void crlf() {
        write(CRLF, 0, 2);
    }

    void space() {
        write(SP, 0, 1);
    }

    private void flush() {
        digest.update(buffer, 0, buffered);
        buffered = 0;
    }

    /** The canonical body's whole length, hashed or not. */
    public long length() { return length; }

    /** SHA-256 of the hashed octets; call once, after the body has been written. */
    public byte[] digest() {
        flush();
        return digest.digest();
    }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] SP = {' '};
}
