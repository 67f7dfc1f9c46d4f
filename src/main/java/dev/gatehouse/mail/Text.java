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

    /**
     * Every text a reader may make of these bytes: {@link #decode}, and when they are not all valid UTF-8 also UTF-8
     * with replacement characters, which is what a reader that takes header bytes as UTF-8 shows: one stray byte on a
     * line doesn't turn "bücher.example" into "bÃ¼cher.example" for it.
     */
    public static java.util.List<String> readings(byte[] b, int off, int len) {
        String first = decode(b, off, len);
        String utf8 = new String(b, off, len, StandardCharsets.UTF_8);
        return utf8.equals(first) ? java.util.List.of(first) : java.util.List.of(first, utf8);
    }

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

    /** RFC 2047 encoded words decoded; words that can't be decoded stay as written. Null stays null. */
    public static String decodeWords(String raw) {
        if (raw == null || raw.indexOf("=?") < 0) return raw;
        return DecoderUtil.decodeEncodedWords(raw, DecodeMonitor.SILENT);
    }

    /** An encoded word wherever it stands, an RFC 2231 language tag allowed after the charset; its text runs to the first "?=". */
    private static final java.util.regex.Pattern ANY_ENCODED_WORD =
            java.util.regex.Pattern.compile("=\\?([^?*\\s]+)(?:\\*[^?\\s]*)?\\?([bBqQ])\\?((?:[^?]|\\?(?!=))*)\\?=");
    private static final java.util.regex.Pattern BETWEEN_WORDS = java.util.regex.Pattern.compile("(\\?=)[ \\t]+(?==\\?)");
    private static final java.util.regex.Pattern TOKENS = java.util.regex.Pattern.compile("([ \\t]*)([^ \\t]+)");

    /**
     * Encoded words decoded as lenient readers do, wherever a word stands, not only between white space
     * ({@code "=? =?utf-8?b?c2VjcmV0?="} shows "=? secret"), with a language tag ({@code =?utf-8*en?...}) and an
     * unknown charset read as ISO-8859-1. In base64 text, characters that are no digit are skipped. With
     * {@code angus}, the word's characters are cut to their low byte first and 0xFF is the base64 digit 0, as Angus
     * Mail does (which shifts every later digit). With {@link #decodeWords} and {@link #decodeWordsByToken} these give every text a
     * client shows for the value.
     */
    public static String decodeWordsLeniently(String raw, boolean angus) {
        if (raw == null || raw.indexOf("=?") < 0) return raw;
        String joined = BETWEEN_WORDS.matcher(raw).replaceAll("$1");
        java.util.regex.Matcher m = ANY_ENCODED_WORD.matcher(joined);
        StringBuilder out = new StringBuilder(joined.length());
        while (m.find()) m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(word(m, angus)));
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Encoded words decoded the way Jakarta/Angus Mail's {@code MimeUtility.decodeText} does: the value is split at
     * white space, a token that starts with an encoded word has that word decoded and the rest of the token kept as
     * written, any other token is kept, and white space between two decoded tokens is dropped.
     */
    public static String decodeWordsByToken(String raw, boolean angus) {
        if (raw == null || raw.indexOf("=?") < 0) return raw;
        java.util.regex.Matcher t = TOKENS.matcher(raw);
        StringBuilder out = new StringBuilder(raw.length());
        boolean previousDecoded = false;
        int end = 0;
        while (t.find()) {
            String space = t.group(1);
            String token = t.group(2);
            java.util.regex.Matcher m = ANY_ENCODED_WORD.matcher(token);
            if (token.startsWith("=?") && m.lookingAt()) {
                if (!previousDecoded) out.append(space);
                out.append(word(m, angus)).append(token, m.end(), token.length());
                previousDecoded = true;
            } else {
                out.append(space).append(token);
                previousDecoded = false;
            }
            end = t.end();
        }
        return out.append(raw, end, raw.length()).toString();
    }

    private static String word(java.util.regex.Matcher m, boolean angus) {
        try {
            byte[] bytes = m.group(2).equalsIgnoreCase("b") ? base64Leniently(m.group(3), angus) : qLeniently(m.group(3), angus);
            java.nio.charset.Charset cs;
            try {
                cs = java.nio.charset.Charset.forName(m.group(1));
            } catch (RuntimeException unknown) {
                cs = StandardCharsets.ISO_8859_1;
            }
            return new String(bytes, cs);
        } catch (RuntimeException e) {
            return m.group();
        }
    }

    /**
     * With {@code angus}, each character is first cut to its low byte (Angus turns the word's text into bytes that
     * way, so with UTF-8 headers "ų", U+0173, is the byte 's'), and 0xFF is the base64 digit 0.
     */
    private static byte[] base64Leniently(String text, boolean angus) {
        StringBuilder digits = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = angus ? (char) (text.charAt(i) & 0xff) : text.charAt(i);
            if (c == '=') break;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/') digits.append(c);
            else if (c == '\u00ff' && angus) digits.append('A');
        }
        if (digits.length() % 4 == 1) digits.setLength(digits.length() - 1);
        while (digits.length() % 4 != 0) digits.append('=');
        return java.util.Base64.getDecoder().decode(digits.toString());
    }

    private static byte[] qLeniently(String text, boolean angus) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = angus ? (char) (text.charAt(i) & 0xff) : text.charAt(i);
            int hi = i + 2 < text.length() ? hex(angus ? (char) (text.charAt(i + 1) & 0xff) : text.charAt(i + 1)) : -1;
            int lo = i + 2 < text.length() ? hex(angus ? (char) (text.charAt(i + 2) & 0xff) : text.charAt(i + 2)) : -1;
            if (c == '_') out.write(' ');
            else if (c == '=' && hi >= 0 && lo >= 0) {
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c < 256) out.write(c);
            else out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** An ASCII hex digit's value, or -1 (never another script's digits). */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
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
