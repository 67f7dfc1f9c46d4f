// How header bytes become text: UTF-8 when valid, else ISO-8859-1; RFC 2047 words decoded; controls removed.
package dev.gatehouse.mail;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;

/** Static helpers; never a platform charset, and never an exception for odd bytes. */
public final class Text {
    private Text() {}

    /** UTF-8 when the bytes are valid UTF-8 (SMTPUTF8 mail), else ISO-8859-1 so every byte survives. */
    public static String decode(byte[] b, int off, int len) {
        boolean ascii = true;
        for (int i = off; i < off + len; i++) if (b[i] < 0) { ascii = false; break; }
        if (ascii) return new String(b, off, len, StandardCharsets.ISO_8859_1);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, off, len)).toString();
        } catch (CharacterCodingException e) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
    }

    public static String decode(byte[] b) { return decode(b, 0, b.length); }

    /** RFC 2047 encoded words decoded; words that can't be decoded stay as written. Null stays null. */
    /**
     * mime4j's address-list reading of {@code value}, through its byte entry point: the String one measures the
     * cursor in chars but reads UTF-8 bytes, so every non-ASCII character would cut one character off the end
     * ("Jörg" &lt;...&gt;, alice@contoso.com read as alice@contoso.co, a reading no client has).
     */
    public static org.apache.james.mime4j.dom.address.AddressList mime4jAddressList(String value) {
        org.apache.james.mime4j.util.ByteSequence bytes = org.apache.james.mime4j.util.ContentUtil.encode(value);
        return org.apache.james.mime4j.field.address.LenientAddressParser.DEFAULT.parseAddressList(
                bytes, new org.apache.james.mime4j.stream.ParserCursor(0, bytes.length()));
    }

    public static String decodeWords(String raw) {
        if (raw == null || raw.indexOf("=?") < 0) return raw;
        return DecoderUtil.decodeEncodedWords(raw, DecodeMonitor.SILENT);
    }

    /** Removes controls (CR, LF, NUL, DEL, ...) and clips to {@code max} characters; null becomes "". */
    public static String clean(String s, int max) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != 0x7f) sb.append(c);
        }
        return sb.toString();
    }

    /** Equal ignoring ASCII case only: no Unicode case folding (the Kelvin sign is not a K, a dotless i not an I). */
    public static boolean equalsIgnoreAsciiCase(String a, String b) {
        return a.length() == b.length() && regionMatchesAscii(a, 0, b, b.length());
    }

    /** {@code s} starts with {@code prefix}, ignoring ASCII case only. */
    public static boolean startsWithIgnoreAsciiCase(String s, String prefix) {
        return s.length() >= prefix.length() && regionMatchesAscii(s, 0, prefix, prefix.length());
    }

    private static boolean regionMatchesAscii(String s, int from, String other, int len) {
        for (int i = 0; i < len; i++) {
            char a = s.charAt(from + i), b = other.charAt(i);
            if (a == b) continue;
            if (a >= 'A' && a <= 'Z') a = (char) (a + 32);
            if (b >= 'A' && b <= 'Z') b = (char) (b + 32);
            if (a != b) return false;
        }
        return true;
    }

    /** One line: every control character becomes a space, then the ends are stripped. Null stays null. */
    public static String oneLine(String v) {
        if (v == null) return null;
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return b.toString().strip();
    }
}
