// The one RFC 5322 header parser: reads a header section and puts it in the one form every reader agrees on.
package dev.gatehouse.mail;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a message into its header fields and the rest, and <em>normalises</em> the header section so
 * that Gatehouse and every common parser (Jakarta/Angus Mail, mime4j, the mail clients built on them) read
 * the same fields from the stored copy. Parsers disagree on malformed header sections: Angus keeps
 * reading after a line without a colon and trims {@code Name :} to {@code Name}; mime4j skips the line and
 * reads on; Postfix and the old Gatehouse parser stopped there. A firewall that reads one way and a client
 * that reads another is a forged {@code AuthAs: Internal} (docs/decisions/0011-one-message-model.md). So:
 *
 * <ul>
 * <li><b>Obsolete spacing</b> ({@code Name WSP* :}, RFC 5322 §4.5.3 obs-optional) is rewritten as
 *     {@code Name:}. Every reader already took the name without the white space; now the bytes say so too.</li>
 * <li><b>White-space-only lines</b> in the header section are removed. Readers disagree on whether such a
 *     line folds the field above it or ends the header section; unfolding makes the removal invisible to
 *     the value (and to DKIM's relaxed canonicalisation).</li>
 * <li><b>Any other line that is not a field</b> (no colon, a name with a space, a NUL, an 8-bit or other
 *     character outside {@code ftext}, a parenthesis (mime4j drops a "comment" from a name: {@code (c)From}
 *     is {@code From} to it), an empty name, a continuation line before the first field, or a bare CR
 *     anywhere in the line (Angus takes it for a line break; SMTP never delivers one, content written by
 *     the gateway itself might))
 *     <b>ends the header section</b>, and the blank line that should have been there is inserted before it.
 *     Everything from that line on is body for every reader.</li>
 * </ul>
 *
 * <p>After this the header section is unambiguous: each line is {@code ftext+ ":" ...} or a continuation
 * (white space followed by a visible character), and it ends at a blank line or at the end of the message.
 * Lines end in CRLF or LF (SMTP delivers CRLF; a bare LF is accepted as a line end for content written by
 * the gateway itself); a last field without a line end gets CRLF.
 */
public final class HeaderSection {

    /** What normalisation changed; empty for a well-formed header section. */
    public enum Repair { OBSOLETE_SPACING, WHITESPACE_LINE, NOT_A_FIELD }

    /**
     * @param fields        the header fields in order, in canonical form
     * @param tail          the rest of the message: the blank separator line and the body, starting at
     *                      {@code tailOffset} in {@code tail}; empty when the message is all header
     * @param repairs       one entry per change normalisation made
     */
    public record Parsed(List<HeaderField> fields, byte[] tail, int tailOffset, List<Repair> repairs) {}

    private HeaderSection() {}

    /**
     * A field name every reader takes as written: 1 to 998 printable US-ASCII characters (33-126, RFC 5322
     * {@code ftext}) other than the colon and the parentheses (which mime4j strips from names as comments).
     */
    public static boolean isFieldName(String name) {
        if (name == null || name.isEmpty() || name.length() > 998) return false;
        for (int i = 0; i < name.length(); i++) if (!ftext(name.charAt(i))) return false;
        return true;
    }

    static boolean ftext(int c) { return c >= 33 && c <= 126 && c != ':' && c != '(' && c != ')'; }

    private static boolean wsp(byte b) { return b == ' ' || b == '\t'; }

    public static Parsed parse(byte[] msg) {
        List<HeaderField> fields = new ArrayList<>();
        List<Repair> repairs = new ArrayList<>(0);
        int n = msg.length;
        int pos = 0;
        while (pos < n) {
            int eol = lineEnd(msg, pos);
            int contentEnd = contentEnd(msg, pos, eol);
            if (contentEnd == pos) return new Parsed(fields, msg, pos, repairs); // the blank line: header ends here
            if (bareCr(msg, pos, contentEnd)) return endEarly(fields, msg, pos, repairs);
            if (wsp(msg[pos])) {
                if (blank(msg, pos, contentEnd)) { repairs.add(Repair.WHITESPACE_LINE); pos = eol; continue; }
                return endEarly(fields, msg, pos, repairs); // a continuation with no field to continue
            }
            int nameEnd = pos;
            while (nameEnd < contentEnd && ftext(msg[nameEnd] & 0xff)) nameEnd++;
            int colon = nameEnd;
            while (colon < contentEnd && wsp(msg[colon])) colon++;
            if (nameEnd == pos || colon >= contentEnd || msg[colon] != ':' || nameEnd - pos > 998) {
                return endEarly(fields, msg, pos, repairs);
            }
            boolean obsolete = colon != nameEnd;
            if (obsolete) repairs.add(Repair.OBSOLETE_SPACING);
            // the field and its continuation lines; white-space-only lines among them are dropped
            ByteArrayOutputStream rebuilt = null;
            int fieldEnd = eol;
            int next = eol;
            int stopAt = -1; // a continuation line with a bare CR ends the field and the header section
            while (next < n && wsp(msg[next])) {
                int e = lineEnd(msg, next);
                int ce = contentEnd(msg, next, e);
                if (bareCr(msg, next, ce)) { stopAt = next; break; }
                if (blank(msg, next, ce)) {
                    repairs.add(Repair.WHITESPACE_LINE);
                    if (rebuilt == null) rebuilt = start(msg, pos, nameEnd, colon, fieldEnd);
                } else if (rebuilt != null) {
                    rebuilt.write(msg, next, e - next);
                } else {
                    fieldEnd = e;
                }
                next = e;
            }
            String name = new String(msg, pos, nameEnd - pos, java.nio.charset.StandardCharsets.US_ASCII);
            byte[] raw;
            if (rebuilt != null) raw = rebuilt.toByteArray();
            else if (obsolete) raw = start(msg, pos, nameEnd, colon, fieldEnd).toByteArray();
            else raw = java.util.Arrays.copyOfRange(msg, pos, fieldEnd);
            fields.add(new HeaderField(name, terminated(raw)));
            if (stopAt >= 0) return endEarly(fields, msg, stopAt, repairs);
            pos = next;
        }
        return new Parsed(fields, msg, n, repairs);
    }

    /** The name, the colon right after it, and the rest of the first line(s) up to {@code end}. */
    private static ByteArrayOutputStream start(byte[] msg, int pos, int nameEnd, int colon, int end) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(end - pos + 64);
        out.write(msg, pos, nameEnd - pos);
        out.write(msg, colon, end - colon);
        return out;
    }

    /** A line that is not a field ends the header section; the missing blank line is put before it. */
    private static Parsed endEarly(List<HeaderField> fields, byte[] msg, int pos, List<Repair> repairs) {
        repairs.add(Repair.NOT_A_FIELD);
        byte[] tail = new byte[msg.length - pos + 2];
        tail[0] = '\r';
        tail[1] = '\n';
        System.arraycopy(msg, pos, tail, 2, msg.length - pos);
        return new Parsed(fields, tail, 0, repairs);
    }

    private static byte[] terminated(byte[] raw) {
        if (raw.length > 0 && raw[raw.length - 1] == '\n') return raw;
        byte[] out = java.util.Arrays.copyOf(raw, raw.length + 2);
        out[raw.length] = '\r';
        out[raw.length + 1] = '\n';
        return out;
    }

    private static boolean blank(byte[] msg, int from, int to) {
        for (int i = from; i < to; i++) if (!wsp(msg[i])) return false;
        return true;
    }

    /** Index just past the next LF, or the end of the array. */
    static int lineEnd(byte[] msg, int from) {
        for (int i = from; i < msg.length; i++) if (msg[i] == '\n') return i + 1;
        return msg.length;
    }

    /** The end of the line's content: before its CRLF or LF (a CR is part of the line end only before an LF). */
    private static int contentEnd(byte[] msg, int from, int eol) {
        if (eol == from || msg[eol - 1] != '\n') return eol;
        int e = eol - 1;
        if (e > from && msg[e - 1] == '\r') e--;
        return e;
    }

    private static boolean bareCr(byte[] msg, int from, int to) {
        for (int i = from; i < to; i++) if (msg[i] == '\r') return true;
        return false;
    }
}
