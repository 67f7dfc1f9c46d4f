// The sending address a Received field's "from" clause records, read strictly: a field it can't read gives nothing.
package dev.gatehouse.mail;

import java.net.InetAddress;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the server that wrote a {@code Received:} field says about the client it received the message from (RFC 5321
 * §4.4 {@code From-domain} and {@code TCP-info}): its address and the name it gave. Enhanced Filtering walks these
 * fields to find the original client, so this reader is built for hostile input: the name after {@code from} is the
 * client's HELO in Postfix, sendmail, Gmail, Proofpoint and Mimecast lines and may be anything the client chose
 * ({@code EHLO [192.0.2.25]}), so the address is taken from the server's own comment whenever there is one:
 * <ul>
 * <li>{@code from helo (rdns [203.0.113.50])}, {@code (unknown [IPv6:2001:db8::1])}, {@code (rdns. [ip])} (Gmail),
 * {@code (rdns [ip] (may be forged))} (sendmail), {@code (rdns [ip]:port helo=x)} (Exim with a verified name);</li>
 * <li>{@code from host (203.0.113.50)} (Exchange: the bare address is the whole comment);</li>
 * <li>{@code from [203.0.113.50]}, alone or followed by {@code (helo=x)}, {@code (port=n ...)} or {@code (ident=x)}
 * (Exim, which writes the address first when the host has no verified name).</li>
 * </ul>
 * Anything else is unreadable: a name with parentheses in it, an unbalanced or deeply nested comment, a comment of
 * another shape (qmail's {@code (HELO x)}), a literal that isn't an IPv4 dotted quad or an IPv6 address. Literals are
 * parsed without DNS ({@link InetAddress#ofLiteral}); an IPv4-mapped IPv6 literal reads as its IPv4 address.
 *
 * @param ip   the address the writing server recorded
 * @param name the name after {@code from}, if it is a plain host name (letters, digits, {@code .-_}), else null
 */
public record ReceivedFrom(InetAddress ip, String name) {
    /** Only the start of a field is read: the from clause comes first, and nothing real is this long. */
    static final int MAX_LENGTH = 2048;
    private static final int MAX_DEPTH = 4;
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]{1,255}");
    private static final Pattern PORT = Pattern.compile(":[0-9]{1,5}");

    /** Reads one field's value (unfolded, as {@link HeaderField#value()} gives it); empty when it can't be read. */
    public static Optional<ReceivedFrom> parse(String value) {
        if (value == null) return Optional.empty();
        Cursor c = new Cursor(value.length() > MAX_LENGTH ? value.substring(0, MAX_LENGTH) : value);
        c.spaces();
        if (!c.keyword("from") || !c.spaces()) return Optional.empty();
        String token = c.token();
        if (token.isEmpty() || token.indexOf('(') >= 0 || token.indexOf(')') >= 0) return Optional.empty();
        c.spaces();
        String comment = null;
        if (c.peek() == '(') {
            comment = c.comment();
            if (comment == null) return Optional.empty(); // unbalanced or nested too deep
        }
        InetAddress ip = comment == null ? bracketed(token) : fromComment(comment.strip(), token);
        return ip == null ? Optional.empty() : Optional.of(new ReceivedFrom(ip, HOST.matcher(token).matches() ? token : null));
    }

    /** The address of the server's comment, or of the leading literal when the comment is Exim's {@code helo=}/{@code port=}. */
    private static InetAddress fromComment(String comment, String token) {
        InetAddress bare = literal(comment);
        if (bare != null) return bare;
        if (comment.startsWith("helo=") || comment.startsWith("port=") || comment.startsWith("ident=")) return bracketed(token);
        Cursor c = new Cursor(comment);
        if (c.peek() != '[') {
            String name = c.token();
            if (name.indexOf('[') >= 0 || name.indexOf(']') >= 0 || !c.spaces()) return null;
            // qmail's "(HELO [192.0.2.25]) (203.0.113.50)": the bracket is the client's own HELO, not an address seen
            if (name.equalsIgnoreCase("HELO") || name.equalsIgnoreCase("EHLO")) return null;
        }
        int close = comment.indexOf(']', c.at);
        if (c.peek() != '[' || close < 0) return null;
        InetAddress ip = literal(comment.substring(c.at + 1, close));
        if (ip == null) return null;
        String rest = comment.substring(close + 1);
        var port = PORT.matcher(rest);
        if (port.lookingAt()) rest = rest.substring(port.end());
        return rest.isEmpty() || rest.charAt(0) == ' ' || rest.charAt(0) == '\t' || rest.charAt(0) == '(' ? ip : null;
    }

    /** {@code [ip]} or {@code [IPv6:ip]}, the whole token; else null. */
    private static InetAddress bracketed(String token) {
        if (token.length() < 3 || token.charAt(0) != '[' || token.charAt(token.length() - 1) != ']') return null;
        return literal(token.substring(1, token.length() - 1));
    }

    /** An IPv4 dotted quad, or an IPv6 address with or without the {@code IPv6:} tag; never a name, never DNS. */
    static InetAddress literal(String s) {
        boolean tagged = s.regionMatches(true, 0, "IPv6:", 0, 5);
        String v = tagged ? s.substring(5) : s;
        boolean v6 = v.indexOf(':') >= 0;
        if (v6 ? !IPV6_CHARS.matcher(v).matches() : tagged || !IPV4.matcher(v).matches()) return null;
        try {
            return InetAddress.ofLiteral(v);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A position in the text being read. */
    private static final class Cursor {
        private final String s;
        private int at;

        Cursor(String s) { this.s = s; }

        char peek() { return at < s.length() ? s.charAt(at) : '\0'; }

        /** Skips blanks; true when there was at least one. */
        boolean spaces() {
            int start = at;
            while (at < s.length() && (s.charAt(at) == ' ' || s.charAt(at) == '\t')) at++;
            return at > start;
        }

        boolean keyword(String word) {
            if (!s.regionMatches(true, at, word, 0, word.length())) return false;
            at += word.length();
            return true;
        }

        /** Up to the next blank. */
        String token() {
            int start = at;
            while (at < s.length() && s.charAt(at) != ' ' && s.charAt(at) != '\t') at++;
            return s.substring(start, at);
        }

        /** The content of a balanced comment starting here (quoted pairs kept), or null if unbalanced or nested too deep. */
        String comment() {
            int depth = 0;
            int start = at + 1;
            for (; at < s.length(); at++) {
                char ch = s.charAt(at);
                if (ch == '\\') at++;
                else if (ch == '(' && ++depth > MAX_DEPTH) return null;
                else if (ch == ')' && --depth == 0) return s.substring(start, at++);
            }
            return null;
        }
    }
}
