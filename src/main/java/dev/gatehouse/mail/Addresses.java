// Every mailbox a reader could find in an address header, however it is written: a deliberate superset.
package dev.gatehouse.mail;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the addresses of an address field ({@code From}, {@code To}, ...) the way a suspicious reader
 * would, not the way a strict one would. Parsers disagree about malformed address lists: Angus Mail shows
 * {@code ceo@contoso.com (x@example.org)} as a mailbox with the personal name {@code x@example.org},
 * mime4j reads {@code ceo @ contoso . com} as {@code ceo@contoso.com}, mail clients show a display name
 * {@code "ceo@contoso.com" <x@example.org>} in place of the address. A check that asks "does this message
 * claim to come from our domain?" must see every one of those, so this scanner returns every
 * {@code local@domain} it can find:
 *
 * <ul>
 * <li>in the value as an RFC 5322 token stream, comments removed (they are white space there): each
 *     {@code @} with a word or quoted string before it and a domain after it, with white space and comments
 *     allowed around the dots and the {@code @} (the obsolete syntax), route addresses
 *     ({@code <@a,@b:local@domain>}) and groups included;</li>
 * <li>inside every comment and every quoted string (display names), scanned again as text;</li>
 * <li>in the RFC 2047-decoded value (an encoded display name may hide {@code ceo=40contoso.com}).</li>
 * </ul>
 *
 * The domain is lower-cased, empty labels are dropped and a trailing dot removed ({@code contoso.com.}
 * is {@code contoso.com}); a domain literal ({@code [192.0.2.1]}) is kept as written. The local part keeps
 * its case but is compared lower-cased by callers. Controls (NUL included) separate tokens.
 */
public final class Addresses {
    private Addresses() {}

    /** Addresses of the field values, lower case, in order of first appearance, no duplicates. */
    public static Set<String> scan(List<String> values) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : values) {
            scanText(v, out, 0);
            String decoded = Text.decodeWords(v);
            if (!decoded.equals(v)) scanText(decoded, out, 0);
        }
        return out;
    }

    public static Set<String> scan(String value) { return scan(List.of(value)); }

    private enum Kind { ATOM, QUOTED, LITERAL, SPECIAL, SPACE }

    private record Token(Kind kind, String text) {
        boolean special(char c) { return kind == Kind.SPECIAL && text.charAt(0) == c; }
    }

    private static final int MAX_DEPTH = 8;

    private static void scanText(String s, Set<String> out, int depth) {
        if (s == null || s.isEmpty() || depth > MAX_DEPTH) return;
        List<String> nested = new ArrayList<>();
        List<Token> tokens = tokens(s, nested);
        for (int k = 0; k < tokens.size(); k++) {
            if (!tokens.get(k).special('@')) continue;
            String local = localBefore(tokens, k);
            String domain = domainAfter(tokens, k);
            if (local != null && domain != null) out.add(local.toLowerCase(Locale.ROOT) + "@" + domain);
        }
        for (String n : nested) scanText(n, out, depth + 1);
    }

    private static boolean isSpecial(char c) { return "<>:;@,.]".indexOf(c) >= 0; }

    private static boolean isSpace(char c) { return c <= ' ' || c == 0x7f || Character.isWhitespace(c); }

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
                space(out); // a comment is white space between tokens
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
            } else if (c == '[') {
                int end = s.indexOf(']', i);
                end = end < 0 ? n : end + 1;
                out.add(new Token(Kind.LITERAL, s.substring(i, end)));
                i = end;
            } else if (isSpecial(c)) {
                out.add(new Token(Kind.SPECIAL, String.valueOf(c)));
                i++;
            } else {
                int start = i;
                while (i < n) {
                    char d = s.charAt(i);
                    if (isSpace(d) || d == '(' || d == '"' || d == '[' || isSpecial(d)) break;
                    i++;
                }
                out.add(new Token(Kind.ATOM, s.substring(start, i)));
            }
        }
        return out;
    }

    private static void space(List<Token> out) {
        if (out.isEmpty() || out.getLast().kind != Kind.SPACE) out.add(new Token(Kind.SPACE, " "));
    }

    /** Words joined by dots before the {@code @} at {@code at} (spaces allowed around the dots), or null. */
    private static String localBefore(List<Token> t, int at) {
        int i = skipSpaceBack(t, at - 1);
        if (i < 0 || (t.get(i).kind != Kind.ATOM && t.get(i).kind != Kind.QUOTED)) return null;
        StringBuilder local = new StringBuilder(t.get(i).text);
        while (true) {
            int dot = skipSpaceBack(t, i - 1);
            if (dot < 0 || !t.get(dot).special('.')) break;
            int word = skipSpaceBack(t, dot - 1);
            if (word < 0 || (t.get(word).kind != Kind.ATOM && t.get(word).kind != Kind.QUOTED)) break;
            local.insert(0, t.get(word).text + ".");
            i = word;
        }
        return local.isEmpty() ? null : local.toString();
    }

    /** The domain after the {@code @} at {@code at}: atoms and dots (spaces allowed around dots), or a literal. */
    private static String domainAfter(List<Token> t, int at) {
        int i = skipSpace(t, at + 1);
        if (i >= t.size()) return null;
        if (t.get(i).kind == Kind.LITERAL) return t.get(i).text.toLowerCase(Locale.ROOT);
        List<String> labels = new ArrayList<>();
        while (i < t.size()) {
            Token tok = t.get(i);
            if (tok.kind == Kind.ATOM) {
                labels.add(tok.text);
                int next = skipSpace(t, i + 1);
                if (next < t.size() && t.get(next).special('.')) { i = skipSpace(t, next + 1); continue; }
                break;
            }
            if (tok.special('.')) { i = skipSpace(t, i + 1); continue; } // an empty label: "contoso..com"
            break;
        }
        if (labels.isEmpty()) return null;
        return String.join(".", labels).toLowerCase(Locale.ROOT);
    }

    private static int skipSpace(List<Token> t, int i) {
        while (i < t.size() && t.get(i).kind == Kind.SPACE) i++;
        return i;
    }

    private static int skipSpaceBack(List<Token> t, int i) {
        while (i >= 0 && t.get(i).kind == Kind.SPACE) i--;
        return i;
    }

    /** The domain of an address ({@code local@domain}), or "" when there is no {@code @}. */
    public static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1);
    }
}
