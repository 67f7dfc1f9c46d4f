// AddressParser: RFC 5321 envelope paths (<route:local@domain>) with the length, charset and literal rules of Gatehouse.
package dev.gatehouse.smtp;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Parses the inside of an envelope path, the text between {@code <} and {@code >}. The input is the raw
 * wire text, one char per octet (ISO-8859-1), so octet lengths are char lengths.
 *
 * <p>Rules (RFC 5321 §4.1.2 unless said otherwise):
 * <ul>
 *   <li>A source route {@code @a,@b:} is parsed and dropped (Appendix C).</li>
 *   <li>Local part: a dot-string of atext, or a quoted string (qtextSMTP and {@code \}-pairs of %d32-126).
 *       <b>Lenient:</b> empty atoms (leading, trailing or doubled dots) are allowed, as real senders emit
 *       them and they carry no risk; up to 255 octets (the path limit bounds it anyway).
 *       {@code %} and {@code !} are ordinary characters: no percent hack, no bang path.</li>
 *   <li>Domain: LDH labels of 1-63 octets (starting and ending with a letter or digit), total ≤ 255, no
 *       trailing dot; or an address literal {@code [1.2.3.4]} / {@code [IPv6:...]}, validated. General
 *       address literals ({@code [tag:...]}) are refused, so an accepted address never holds a second
 *       {@code @} outside its quoted local part: the domain is always the text after the last {@code @}.</li>
 *   <li>A mailbox must have a domain; the only exception is {@code <Postmaster>} in RCPT (§4.1.1.3).</li>
 *   <li>Non-ASCII anywhere needs SMTPUTF8 (553 5.6.7, RFC 6531); with it the octets must be valid UTF-8
 *       and the address is returned decoded.</li>
 * </ul>
 */
final class AddressParser {
    private AddressParser() {}

    static final int MAX_PATH = 256;
    static final int MAX_LOCAL = 255;
    static final int MAX_DOMAIN = 255;
    static final int MAX_LABEL = 63;

    /**
     * @param path     the text inside the brackets, without them
     * @param sender   true for MAIL FROM (allows the null path, selects 5.1.7 over 5.1.3)
     * @param smtpUtf8 whether the transaction declared SMTPUTF8
     * @return the mailbox without route; "" for the null sender
     */
    static String parse(String path, boolean sender, boolean smtpUtf8) throws SmtpSyntaxException {
        SmtpReply bad = SmtpReply.of(501, sender ? "5.1.7" : "5.1.3",
                sender ? "Bad sender address syntax" : "Bad recipient address syntax");
        if (path.length() + 2 > MAX_PATH) throw new SmtpSyntaxException(bad);
        boolean ascii = true;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) throw new SmtpSyntaxException(bad);
            if (c >= 0x80) ascii = false;
        }
        if (!ascii) {
            if (!smtpUtf8) throw new SmtpSyntaxException(553, "5.6.7", "Error: non-ASCII address requires SMTPUTF8");
            path = decodeUtf8(path);
        }
        if (path.isEmpty()) {
            if (sender) return "";
            throw new SmtpSyntaxException(bad);
        }
        Cursor c = new Cursor(path, bad);
        if (c.peek() == '@') skipRoute(c);
        int start = c.pos;
        if (c.peek() == '"') quotedString(c); else dotString(c);
        int localEnd = c.pos;
        if (localEnd == start || localEnd - start > MAX_LOCAL) throw c.error();
        if (c.atEnd()) {
            if (!sender && path.substring(start).equalsIgnoreCase("postmaster")) return path.substring(start);
            throw c.error();
        }
        c.expect('@');
        int domainStart = c.pos;
        domain(c);
        if (!c.atEnd()) throw c.error();
        if (c.pos - domainStart > MAX_DOMAIN) throw c.error();
        return path.substring(start);
    }

    /** The domain of an address this parser accepted: the text after the last @, or "" if there is none. */
    static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1);
    }

    private static String decodeUtf8(String octets) throws SmtpSyntaxException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(octets.getBytes(StandardCharsets.ISO_8859_1))).toString();
        } catch (CharacterCodingException e) {
            throw new SmtpSyntaxException(553, "5.6.7", "Error: address is not valid UTF-8");
        }
    }

    private static void skipRoute(Cursor c) throws SmtpSyntaxException {
        while (true) {
            c.expect('@');
            domain(c);
            if (c.peek() == ':') { c.pos++; return; }
            c.expect(',');
        }
    }

    private static void dotString(Cursor c) {
        while (!c.atEnd() && (isAtext(c.peek()) || c.peek() == '.')) c.pos++;
    }

    private static boolean isAtext(char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                || "!#$%&'*+-/=?^_`{|}~".indexOf(ch) >= 0 || ch >= 0x80;
    }

    private static void quotedString(Cursor c) throws SmtpSyntaxException {
        c.expect('"');
        while (true) {
            if (c.atEnd()) throw c.error();
            char ch = c.next();
            if (ch == '"') return;
            if (ch == '\\') {
                if (c.atEnd()) throw c.error();
                char q = c.next();
                if (q < 32 || q == 127) throw c.error();
            } else if (ch < 32 || ch == 127) {
                throw c.error();
            }
        }
    }

    private static void domain(Cursor c) throws SmtpSyntaxException {
        if (c.peek() == '[') { addressLiteral(c); return; }
        int start = c.pos;
        while (true) {
            int labelStart = c.pos;
            while (!c.atEnd() && isLdh(c.peek())) c.pos++;
            int len = c.pos - labelStart;
            if (len == 0 || len > MAX_LABEL) throw c.error();
            if (c.text.charAt(labelStart) == '-' || c.text.charAt(c.pos - 1) == '-') throw c.error();
            if (c.peek() != '.') break;
            c.pos++;
        }
        if (c.pos - start > MAX_DOMAIN) throw c.error();
    }

    private static boolean isLdh(char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch >= 0x80;
    }

    private static void addressLiteral(Cursor c) throws SmtpSyntaxException {
        c.expect('[');
        int close = c.text.indexOf(']', c.pos);
        if (close < 0) throw c.error();
        String literal = c.text.substring(c.pos, close);
        boolean ok = literal.regionMatches(true, 0, "IPv6:", 0, 5)
                ? IpLiterals.isIpv6(literal.substring(5)) : IpLiterals.isIpv4(literal);
        if (!ok) throw c.error();
        c.pos = close + 1;
    }

    /** A position in the text plus the reply to throw on any syntax error. */
    private static final class Cursor {
        final String text;
        final SmtpReply bad;
        int pos;

        Cursor(String text, SmtpReply bad) { this.text = text; this.bad = bad; }

        boolean atEnd() { return pos >= text.length(); }

        char peek() { return atEnd() ? '\0' : text.charAt(pos); }

        char next() { return text.charAt(pos++); }

        void expect(char ch) throws SmtpSyntaxException {
            if (peek() != ch || atEnd()) throw error();
            pos++;
        }

        SmtpSyntaxException error() { return new SmtpSyntaxException(bad); }
    }
}
