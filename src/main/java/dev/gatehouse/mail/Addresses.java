// Every mailbox a reader could find in an address header, however it is written: a deliberate superset.
package dev.gatehouse.mail;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;

/**
 * Reads the addresses of an address field ({@code From}, {@code To}, ...) the way a suspicious reader
 * would, not the way a strict one would. Parsers disagree about malformed address lists: Angus Mail shows
 * {@code ceo@contoso.com (x@example.org)} as a mailbox with the personal name {@code x@example.org} and
 * ends {@code ceo@contoso.com(c).evil.example} at the comment; mime4j reads {@code ceo @ contoso . com}
 * and even {@code ceo@conto so.com} as {@code ceo@contoso.com}; mail clients show a display name
 * {@code "ceo@contoso.com" <x@example.org>} in place of the address. A check that asks "does this message
 * claim to come from our domain?" must see every one of those, so the result is the union of:
 *
 * <ul>
 * <li>a scan of the value as RFC 5322 tokens: for every {@code @}, the domain after it read three ways
 *     (labels joined only where nothing separates them, as Angus reads; labels joined across white space and
 *     comments around the dots, the obsolete syntax; and a domain literal {@code [192.0.2.1]}), with the word
 *     before it as the local part when there is one ({@code ceo]@contoso.com} still yields
 *     {@code @contoso.com}: the domain is what a claim is about);</li>
 * <li>the same scan of every comment and every quoted string (display names), at any depth;</li>
 * <li>the same of the RFC 2047-decoded value (an encoded display name may hide {@code ceo=40contoso.com});</li>
 * <li>what mime4j's lenient parser reads from the value and from the decoded value, whatever its quirks.</li>
 * </ul>
 *
 * Addresses are lower-cased (callers compare them that way), domains have empty labels dropped and a
 * trailing dot removed ({@code contoso.com.} is {@code contoso.com}). Controls, C1 controls (NEL) and
 * Unicode white space separate tokens, so {@code ceo@contoso.com\0x} is {@code ceo@contoso.com}. A value
 * too deeply nested or too long to scan within a fixed budget makes the scan {@link Scan#complete()
 * incomplete}, and a caller that must decide (the header-From check) treats that as a claim it can't rule out.
 */
public final class Addresses {
    private Addresses() {}

    /** The addresses found, and whether every part of the values was scanned. */
    public record Scan(Set<String> addresses, boolean complete) {}

    /** Deepest comment nesting scanned; deeper makes the scan incomplete. */
    static final int MAX_DEPTH = 64;
    /** Characters scanned in all (nested comments are scanned again); beyond makes the scan incomplete. */
    static final int BUDGET = 1 << 20;

    /** Addresses of the field values, lower case, no duplicates. */
    public static Set<String> scan(List<String> values) { return scanAll(values).addresses(); }

    public static Set<String> scan(String value) { return scan(List.of(value)); }

    public static Scan scanAll(List<String> values) {
        Scanner s = new Scanner();
        for (String v : values) {
            s.text(v, 0);
            s.mime4j(v);
            // the value with its encoded words decoded, strictly and as lenient readers do (Text#decodeWordsLeniently)
            java.util.Set<String> decodings = new java.util.LinkedHashSet<>(4);
            decodings.add(Text.decodeWords(v));
            for (boolean angus : new boolean[] {false, true}) {
                decodings.add(Text.decodeWordsLeniently(v, angus));
                decodings.add(Text.decodeWordsByToken(v, angus));
            }
            decodings.remove(v);
            for (String decoded : decodings) {
                s.text(decoded, 0);
                s.mime4j(decoded);
            }
        }
        return new Scan(s.out, s.complete);
    }

    private enum Kind { ATOM, QUOTED, LITERAL, SPECIAL, SPACE, COMMENT }

    private record Token(Kind kind, String text) {
        boolean special(char c) { return kind == Kind.SPECIAL && text.charAt(0) == c; }

        boolean word() { return kind == Kind.ATOM || kind == Kind.QUOTED; }
    }

    private static final class Scanner {
        final Set<String> out = new LinkedHashSet<>();
        boolean complete = true;
        int budget = BUDGET;

        void text(String s, int depth) {
            if (s == null || s.isEmpty()) return;
            if (depth > MAX_DEPTH || (budget -= s.length()) < 0) {
                complete = false;
                return;
            }
            List<String> nested = new ArrayList<>();
            List<Token> tokens = tokens(s, nested);
            for (int k = 0; k < tokens.size(); k++) {
                if (!tokens.get(k).special('@')) continue;
                String local = localBefore(tokens, k);
                String prefix = (local == null ? "" : local) + "@";
                for (String domain : domainsAfter(tokens, k)) addReadings(out, prefix, domain);
            }
            for (String n : nested) text(n, depth + 1);
        }

        /** mime4j's own reading: it is a reader the delivered copy meets, so its quirks count as readings. */
        void mime4j(String value) {
            try {
                for (Address a : Text.mime4jAddressList(value)) {
                    if (a instanceof Mailbox m) add(m);
                    else if (a instanceof Group g) for (Mailbox m : g.getMailboxes()) add(m);
                }
            } catch (RuntimeException ignored) {
                // a list mime4j can't read gives it no addresses; the scan above still ran
            }
        }

        private void add(Mailbox m) {
            String domain = m.getDomain();
            if (domain == null || domain.isBlank()) return;
            String local = m.getLocalPart() == null ? "" : withoutControls(m.getLocalPart()).replaceAll("\\s*\\.\\s*", ".").strip();
            int from = 0;
            while (from < domain.length() && isSpace(domain.charAt(from))) from++;
            // white space and controls around the dots are the obsolete syntax, not the end of the domain
            addReadings(out, local + "@", domain.substring(from).replaceAll("[\\s\\x00-\\x1f\\x7f-\\x9f]*\\.[\\s\\x00-\\x1f\\x7f-\\x9f]*", "."));
        }
    }

    /**
     * {@code prefix + domain}, and when the domain has characters no host name has ({@code contoso.com!x},
     * mime4j's {@code contoso.com<x@example.org>}), also {@code prefix +} the host name it starts with: what a
     * reader who stops at the first odd character shows.
     */
    private static void addReadings(Set<String> out, String prefix, String domain) {
        if (domain.isEmpty()) return;
        if (domain.startsWith("[")) {
            out.add((prefix + domain).toLowerCase(Locale.ROOT));
            return;
        }
        int end = 0;
        while (end < domain.length() && hostChar(domain.charAt(end))) end++;
        // a "domain" with characters no domain has ('<', '@', white space, ...) is not one: only the host name it
        // starts with is what a reader shows
        String host = normalizedDomain(domain.substring(0, end));
        if (!host.isEmpty()) out.add((prefix + host).toLowerCase(Locale.ROOT));
    }

    private static String withoutControls(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && !(c >= 0x7f && c <= 0x9f)) sb.append(c);
        }
        return sb.toString();
    }

    /** A character a reader may keep in a domain: ASCII letters, digits and {@code -._}, and any visible non-ASCII one. */
    private static boolean hostChar(char c) {
        return Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c > 0x9f && !Character.isWhitespace(c) && !Character.isSpaceChar(c);
    }

    /** Lower case, white space removed, empty labels dropped (so no leading, doubled or trailing dot). */
    static String normalizedDomain(String domain) {
        StringBuilder sb = new StringBuilder(domain.length());
        for (String label : domain.split("\\.")) {
            StringBuilder l = new StringBuilder(label.length());
            for (int i = 0; i < label.length(); i++) if (!isSpace(label.charAt(i))) l.append(label.charAt(i));
            if (l.isEmpty()) continue;
            if (!sb.isEmpty()) sb.append('.');
            sb.append(l);
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    private static boolean isSpecial(char c) { return "<>:;@,.[]".indexOf(c) >= 0; }

    private static boolean isSpace(char c) {
        return c <= ' ' || (c >= 0x7f && c <= 0x9f) || Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    /** The token stream; the contents of comments and quoted strings also go to {@code nested}. */
    private static List<Token> tokens(String s, List<String> nested) {
        List<Token> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (isSpace(c)) {
                while (i < n && isSpace(s.charAt(i))) i++;
                space(out);
            } else if (c == '(') {
                StringBuilder text = new StringBuilder();
                int level = 0;
                for (; i < n; i++) {
                    char d = s.charAt(i);
                    if (d == '\\' && i + 1 < n) { text.append(s.charAt(++i)); continue; }
                    if (d == '(') { if (level++ > 0) text.append(d); continue; }
                    if (d == ')') { if (--level == 0) { i++; break; } text.append(d); continue; }
                    text.append(d);
                }
                nested.add(text.toString());
                out.add(new Token(Kind.COMMENT, " ")); // white space between tokens, but it ends an address for Angus
            } else if (c == '"') {
                StringBuilder text = new StringBuilder();
                for (i++; i < n; i++) {
                    char d = s.charAt(i);
                    if (d == '\\' && i + 1 < n) { text.append(s.charAt(++i)); continue; }
                    if (d == '"') { i++; break; }
                    text.append(d);
                }
                nested.add(text.toString());
                out.add(new Token(Kind.QUOTED, text.toString()));
            } else if (c == '[' && afterAt(out) && s.indexOf(']', i) > 0) { // a domain literal only where a domain goes
                int end = s.indexOf(']', i) + 1;
                out.add(new Token(Kind.LITERAL, s.substring(i, end)));
                i = end;
            } else if (isSpecial(c)) {
                out.add(new Token(Kind.SPECIAL, String.valueOf(c)));
                i++;
            } else {
                int start = i;
                while (i < n) {
                    char d = s.charAt(i);
                    if (isSpace(d) || d == '(' || d == '"' || isSpecial(d)) break;
                    i++;
                }
                out.add(new Token(Kind.ATOM, s.substring(start, i)));
            }
        }
        return out;
    }

    private static boolean afterAt(List<Token> out) {
        int i = out.size() - 1;
        while (i >= 0 && blank(out.get(i))) i--;
        return i >= 0 && out.get(i).special('@');
    }

    private static void space(List<Token> out) {
        if (out.isEmpty() || out.getLast().kind != Kind.SPACE) out.add(new Token(Kind.SPACE, " "));
    }

    /** Words joined by dots before the {@code @} at {@code at} (spaces allowed around the dots), or null. */
    private static String localBefore(List<Token> t, int at) {
        int i = skipSpaceBack(t, at - 1);
        if (i < 0 || !t.get(i).word()) return null;
        StringBuilder local = new StringBuilder(t.get(i).text);
        while (true) {
            int dot = skipSpaceBack(t, i - 1);
            if (dot < 0 || !t.get(dot).special('.')) break;
            int word = skipSpaceBack(t, dot - 1);
            if (word < 0 || !t.get(word).word()) break;
            local.insert(0, t.get(word).text + ".");
            i = word;
        }
        return local.isEmpty() ? null : local.toString();
    }

    /**
     * The domains the {@code @} at {@code at} may be read with: a literal; or its labels joined two ways. The
     * <em>obsolete</em> reading joins labels across white space and comments around the dots ({@code contoso . com}).
     * The <em>tight</em> reading stops at a comment (Angus ends the address there:
     * {@code ceo@contoso.com(c).evil.example}) and at white space that follows a dot without preceding it (a client
     * shows {@code ceo@contoso.com. Evil} as that address and a word). Empty labels are dropped, so a trailing dot goes.
     */
    private static Set<String> domainsAfter(List<Token> t, int at) {
        Set<String> out = new LinkedHashSet<>(2);
        int i = skipSpace(t, at + 1);
        if (i >= t.size()) return out;
        if (t.get(i).kind == Kind.LITERAL) {
            out.add(t.get(i).text.toLowerCase(Locale.ROOT));
            return out;
        }
        List<String> labels = new ArrayList<>();
        int tight = -1; // labels in the tight reading; -1 while it is still open
        while (i < t.size() && t.get(i).kind == Kind.ATOM) {
            labels.add(t.get(i).text);
            // the separator to the next label: blanks, one or more dots, blanks
            int j = i + 1;
            boolean comment = false, spaceBefore = false, spaceAfter = false, dot = false;
            for (; j < t.size(); j++) {
                Token tok = t.get(j);
                if (tok.kind == Kind.COMMENT) comment = true;
                else if (tok.kind == Kind.SPACE) { if (dot) spaceAfter = true; else spaceBefore = true; }
                else if (tok.special('.')) dot = true;
                else break;
            }
            if (!dot || j >= t.size() || t.get(j).kind != Kind.ATOM) break;
            if (tight < 0 && (comment || (spaceAfter && !spaceBefore))) tight = labels.size();
            i = j;
        }
        if (labels.isEmpty()) return out;
        String strict = normalizedDomain(String.join(".", labels.subList(0, tight < 0 ? labels.size() : tight)));
        if (!strict.isEmpty()) out.add(strict);
        String obs = normalizedDomain(String.join(".", labels));
        if (!obs.isEmpty()) out.add(obs);
        return out;
    }

    private static boolean blank(Token t) { return t.kind == Kind.SPACE || t.kind == Kind.COMMENT; }

    private static int skipSpace(List<Token> t, int i) {
        while (i < t.size() && blank(t.get(i))) i++;
        return i;
    }

    private static int skipSpaceBack(List<Token> t, int i) {
        while (i >= 0 && blank(t.get(i))) i--;
        return i;
    }

    /** The domain of an address ({@code local@domain}), or "" when there is no {@code @}. */
    public static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1);
    }
}
