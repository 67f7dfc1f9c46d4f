package dev.gatehouse.intake;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The header section of a message as received: its fields (each with its raw bytes, folding kept) and
 * the offset where the body starts. Parsing is byte-oriented and never decodes with a platform
 * charset; a field's name is ASCII by RFC 5322, its value is read as ISO-8859-1 so no byte is lost.
 *
 * <p>Robust against hostile input: a message without a blank line is all header; a line without a
 * colon ends the header section there (the rest is body, as most MTAs treat it); continuation lines
 * before any field are kept as body.
 */
public final class HeaderBlock {

    /** One header field: its name as written and its raw bytes including the final CRLF. */
    public record Field(String name, byte[] raw) {
        /** The unfolded value with leading white space trimmed, bytes read as ISO-8859-1. */
        public String value() {
            String s = text(raw);
            int colon = s.indexOf(':');
            String v = s.substring(colon + 1).replace("\r\n", "").replace("\n", "");
            return v.strip();
        }

        public boolean is(String other) { return name.equalsIgnoreCase(other); }
    }

    /** UTF-8 when the bytes are valid UTF-8 (SMTPUTF8 mail), else ISO-8859-1 so every byte survives. */
    static String text(byte[] raw) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(raw)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new String(raw, StandardCharsets.ISO_8859_1);
        }
    }

    private final List<Field> fields;
    private final int bodyOffset;

    private HeaderBlock(List<Field> fields, int bodyOffset) {
        this.fields = fields;
        this.bodyOffset = bodyOffset;
    }

    public static HeaderBlock parse(byte[] msg) {
        List<Field> fields = new ArrayList<>();
        int pos = 0;
        int n = msg.length;
        while (pos < n) {
            int eol = lineEnd(msg, pos);
            if (eol == pos + 1 || (eol == pos + 2 && msg[pos] == '\r')) { // blank line: header ends here
                return new HeaderBlock(fields, pos);
            }
            int colon = -1;
            for (int i = pos; i < eol; i++) {
                byte b = msg[i];
                if (b == ':') { colon = i; break; }
                if (b <= ' ' || b >= 127) break;
            }
            if (colon <= pos) return new HeaderBlock(fields, pos); // not a header line: body starts here
            int end = eol;
            while (end < n && (msg[end] == ' ' || msg[end] == '\t')) end = lineEnd(msg, end); // folded lines
            byte[] raw = java.util.Arrays.copyOfRange(msg, pos, end);
            fields.add(new Field(new String(msg, pos, colon - pos, StandardCharsets.US_ASCII), raw));
            pos = end;
        }
        return new HeaderBlock(fields, n);
    }

    /** Index just past the next LF (or the end of the array). */
    private static int lineEnd(byte[] msg, int from) {
        for (int i = from; i < msg.length; i++) if (msg[i] == '\n') return i + 1;
        return msg.length;
    }

    public List<Field> fields() { return fields; }

    /** Offset of the first byte after the header fields: the blank separator line, or the body itself. */
    public int bodyOffset() { return bodyOffset; }

    /** The first field with this name, unfolded, or null. */
    public String first(String name) {
        for (Field f : fields) if (f.is(name)) return f.value();
        return null;
    }

    public int count(String name) {
        int c = 0;
        for (Field f : fields) if (f.is(name)) c++;
        return c;
    }

    public static boolean hasPrefix(Field f, String lowerPrefix) {
        return f.name().toLowerCase(Locale.ROOT).startsWith(lowerPrefix);
    }
}
