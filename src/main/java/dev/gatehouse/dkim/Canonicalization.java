// The two canonicalization algorithms of RFC 6376 §3.4, for header fields and for the body.
package dev.gatehouse.dkim;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * {@code simple} and {@code relaxed}, exactly as RFC 6376 §3.4 defines them; a signature names one for its header
 * fields and one for its body ({@code c=relaxed/simple}). Header fields are given as the bytes received, name,
 * colon, value and line end(s) included; the body as the bytes after the blank line.
 *
 * <p>Line ends: SMTP delivers CRLF, which is what the RFC canonicalizes. A bare LF (content the gateway wrote
 * itself, a file read from disk) counts as a line end too, as CRLF would, so it canonicalizes to CRLF; a bare CR
 * is an ordinary character. A last line without a line end (impossible over SMTP, which ends every message with
 * CRLF) gets one; relaxed then reduces its trailing white space to one SP instead of removing it, which is how
 * dkimpy and Apache jDKIM read "the end of lines", so a body signed by either from a file still verifies.
 */
public enum Canonicalization {
    SIMPLE, RELAXED;

    /** {@code simple} or {@code relaxed} (case-insensitive), or null for anything else. */
    static Canonicalization of(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "simple" -> SIMPLE;
            case "relaxed" -> RELAXED;
            default -> null;
        };
    }

    public String word() { return name().toLowerCase(Locale.ROOT); }

    // --- header fields (§3.4.1, §3.4.2) ---------------------------------------------------------------

    /** The canonical form of one header field, ending in CRLF. */
    public byte[] header(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 2);
        header(raw, out);
        return out.toByteArray();
    }

    /** Writes the canonical form of one header field, ending in CRLF, to {@code out}. */
    public void header(byte[] raw, ByteArrayOutputStream out) {
        if (this == SIMPLE) {
            int end = withoutLineEnd(raw);
            out.write(raw, 0, end);
        } else {
            relaxedHeader(raw, out);
        }
        out.write('\r');
        out.write('\n');
    }

    /**
     * §3.4.2: the name in lower case; the value unfolded, each run of white space one SP, none at either end, and
     * none around the colon.
     */
    private static void relaxedHeader(byte[] raw, ByteArrayOutputStream out) {
        int colon = 0;
        while (colon < raw.length && raw[colon] != ':') colon++;
        int nameEnd = colon;
        while (nameEnd > 0 && wsp(raw[nameEnd - 1])) nameEnd--;
        for (int i = 0; i < nameEnd; i++) {
            byte b = raw[i];
            out.write(b >= 'A' && b <= 'Z' ? b + 32 : b);
        }
        out.write(':');
        boolean space = false;
        boolean started = false;
        for (int i = colon + 1; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '\r' || b == '\n') continue; // unfolding
            if (wsp(b)) {
                space = started;
            } else {
                if (space) out.write(' ');
                out.write(b);
                space = false;
                started = true;
            }
        }
    }

    /** The length of {@code raw} without its final CRLF or LF. */
    static int withoutLineEnd(byte[] raw) {
        int end = raw.length;
        if (end > 0 && raw[end - 1] == '\n') {
            end--;
            if (end > 0 && raw[end - 1] == '\r') end--;
        }
        return end;
    }

    private static boolean wsp(byte b) { return b == ' ' || b == '\t'; }

    // --- body (§3.4.3, §3.4.4) ---------------------------------------------------------------------------

    /**
     * Feeds the canonical form of {@code body[from, to)} to {@code out}. Simple: the body with its trailing empty
     * lines removed and a CRLF added when it does not end in one; an empty body is one CRLF. Relaxed: also no white
     * space at the end of a line and each run of white space within a line one SP; an empty body stays empty.
     */
    public void body(byte[] body, int from, int to, BodySink out) {
        long pendingEmptyLines = 0;
        boolean wroteAny = false;
        int pos = from;
        while (pos < to) {
            int lf = pos;
            while (lf < to && body[lf] != '\n') lf++;
            boolean terminated = lf < to;
            int end = lf;
            if (terminated && end > pos && body[end - 1] == '\r') end--;
            int contentEnd = this == RELAXED && terminated ? trimTrailingWhitespace(body, pos, end) : end;
            if (contentEnd == pos) {
                pendingEmptyLines++;
            } else {
                for (; pendingEmptyLines > 0; pendingEmptyLines--) out.crlf();
                if (this == RELAXED) relaxedLine(body, pos, contentEnd, out);
                else out.write(body, pos, contentEnd - pos);
                out.crlf();
                wroteAny = true;
            }
            pos = terminated ? lf + 1 : to;
        }
        if (!wroteAny && this == SIMPLE) out.crlf();
    }

    private static int trimTrailingWhitespace(byte[] b, int from, int end) {
        while (end > from && wsp(b[end - 1])) end--;
        return end;
    }

    /** A line without trailing white space: each run of white space becomes one SP, the rest is copied. */
    private static void relaxedLine(byte[] b, int from, int to, BodySink out) {
        int run = from;
        int i = from;
        while (i < to) {
            if (wsp(b[i])) {
                out.write(b, run, i - run);
                while (i < to && wsp(b[i])) i++;
                out.space();
                run = i;
            } else {
                i++;
            }
        }
        out.write(b, run, to - run);
    }
}
