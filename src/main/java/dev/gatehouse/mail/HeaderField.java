// One field of a message's header section, as stored: its name and its exact bytes, folding kept.
package dev.gatehouse.mail;

import java.nio.charset.StandardCharsets;

/**
 * A header field in the canonical form {@link HeaderSection} guarantees: {@code raw} starts with
 * {@code name} and a colon (no white space between them), may continue on folded lines that each start with
 * white space and carry at least one visible character, and ends with CRLF. {@code name} is 1 to 998
 * printable US-ASCII characters other than the colon (RFC 5322 {@code ftext}), so comparing names is an
 * ASCII case-insensitive comparison with no locale or Unicode case folding involved.
 *
 * <p>Records of arrays compare by identity; compare fields by {@link #name()} and {@link #value()}.
 */
public record HeaderField(String name, byte[] raw) {

    /** A new field {@code name: value} with CRLF; the value must be one line (callers strip CR and LF). */
    public static HeaderField of(String name, String value) {
        if (!HeaderSection.isFieldName(name)) throw new IllegalArgumentException("not a header field name: '" + name + "'");
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) throw new IllegalArgumentException("a header value is one line");
        return new HeaderField(name, (name + ": " + value + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** True when the names are equal ignoring ASCII case. */
    public boolean is(String other) { return Text.equalsIgnoreAsciiCase(name, other); }

    /** True when the name starts with {@code lowerPrefix} (given in lower case), ignoring ASCII case. */
    public boolean hasPrefix(String lowerPrefix) {
        return Text.startsWithIgnoreAsciiCase(name, lowerPrefix);
    }

    /**
     * The value unfolded (line breaks removed, the white space that follows them kept) with leading and
     * trailing white space removed; bytes read as UTF-8 when they are valid UTF-8, else as ISO-8859-1.
     */
    public String value() {
        int from = name.length() + 1; // just past the colon: the canonical form has no space before it
        byte[] unfolded = new byte[raw.length - from];
        int n = 0;
        for (int i = from; i < raw.length; i++) if (raw[i] != '\r' && raw[i] != '\n') unfolded[n++] = raw[i];
        return Text.decode(unfolded, 0, n).strip(); // one decoding for the whole value, not per line
    }

    /** Every text readers make of the value's bytes ({@link Text#readings}), unfolded and stripped like {@link #value()}. */
    public java.util.List<String> values() {
        int from = name.length() + 1;
        byte[] unfolded = new byte[raw.length - from];
        int n = 0;
        for (int i = from; i < raw.length; i++) if (raw[i] != '\r' && raw[i] != '\n') unfolded[n++] = raw[i];
        return Text.readings(unfolded, 0, n).stream().map(String::strip).toList();
    }

    /**
     * Every text a mail client may show for this field: each of {@link #values()} with its encoded words decoded the
     * strict way and the lenient ways ({@link Text#decodeWords}, {@link Text#decodeWordsLeniently},
     * {@link Text#decodeWordsByToken}), without repeats.
     * A condition meant to catch what a reader sees holds when it holds for any of them.
     */
    public java.util.List<String> shownReadings() {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>(4);
        for (String v : values()) {
            out.add(Text.decodeWords(v));
            for (boolean angus : new boolean[] {false, true}) {
                out.add(Text.decodeWordsLeniently(v, angus));
                out.add(Text.decodeWordsByToken(v, angus));
            }
        }
        return java.util.List.copyOf(out);
    }

    /** {@link #value()} with RFC 2047 encoded words decoded, as mail clients display it. */
    public String decoded() { return Text.decodeWords(value()); }

    /** Length in bytes, CRLF included. */
    public int length() { return raw.length; }
}
