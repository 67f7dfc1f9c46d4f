// Splits KQL query text into tokens, following the lexical rules of Microsoft's KqlTokens.g4.
package dev.gatehouse.kql;

import dev.gatehouse.kql.KqlToken.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The lexical rules (spec §2.1): identifiers {@code [$_A-Za-z][_A-Za-z0-9]*} or digits followed by a letter or
 * underscore ({@code 5_Min_Count}); numbers (hex {@code 0x1F}, reals {@code 1.5}, {@code 1e3}); timespans (a number
 * with an optional fraction and a unit: {@code 30d}, {@code 1.5h}, {@code 24hrs}, {@code 0min}, {@code 10ms},
 * {@code 5ticks}); strings ({@code "..."} and {@code '...'} with backslash escapes, verbatim {@code @"..."},
 * fenced {@code ```...```} and {@code ~~~...~~~}, each optionally {@code h}/{@code H}-prefixed as obfuscated);
 * typed literals whose text runs to the next {@code )} ({@code datetime(2025-01-01 10:00)}, {@code long(null)},
 * {@code time(1.02:03:04)}); {@code //} comments; and the Unicode spaces of the grammar (NBSP and friends).
 *
 * <p>Where a digit-led run could be read two ways, the longer reading wins and a tie goes to the literal, as in an
 * ANTLR lexer whose literal rules come first: {@code 30d} is a timespan, {@code 30dx} and {@code 5_Min_Count} are
 * identifiers, {@code 0x1F} is a number.
 */
public final class KqlLexer {
    /** Words that, after {@code !}, form one negated operator token ({@code !has}, {@code !between}, ...). */
    private static final Set<String> NEGATABLE = Set.of("has", "has_cs", "hasprefix", "hasprefix_cs", "hassuffix",
            "hassuffix_cs", "contains", "contains_cs", "startswith", "startswith_cs", "endswith", "endswith_cs", "in",
            "between");

    private final String s;
    private final int n;
    private final int[] lineStarts;
    private final List<KqlToken> tokens = new ArrayList<>();
    private int i;

    private KqlLexer(String text) {
        this.s = text;
        this.n = text.length();
        this.lineStarts = lineStarts(text);
    }

    /** The tokens of {@code text}, ending with {@link Kind#EOF}; a lexical error is thrown as a positioned KqlException. */
    public static List<KqlToken> tokenize(String text) {
        List<KqlToken> tokens = lex(text);
        KqlToken last = tokens.getLast();
        if (last.kind() == Kind.ERROR) throw (KqlException) last.value();
        return tokens;
    }

    /** Like {@link #tokenize} but a lexical error becomes a final {@link Kind#ERROR} token, for the parser. */
    static List<KqlToken> lex(String text) {
        KqlLexer lexer = new KqlLexer(text);
        lexer.run();
        return lexer.tokens;
    }

    private void run() {
        while (true) {
            try {
                skipTrivia();
                if (i >= n) {
                    tokens.add(new KqlToken(Kind.EOF, "", null, null, n, n, pos(n)));
                    return;
                }
                tokens.add(next());
            } catch (KqlException e) {
                tokens.add(new KqlToken(Kind.ERROR, "", e, null, i, i, e.pos()));
                return;
            }
        }
    }

    // ---- positions ---------------------------------------------------------------------------------------------

    /** Offsets where lines start; a line ends at {@code \n}, {@code \r\n} or a lone {@code \r}. */
    private static int[] lineStarts(String text) {
        int[] starts = new int[16];
        int count = 1;
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (c == '\n' || (c == '\r' && (k + 1 >= text.length() || text.charAt(k + 1) != '\n'))) {
                if (count == starts.length) starts = Arrays.copyOf(starts, count * 2);
                starts[count++] = k + 1;
            }
        }
        return Arrays.copyOf(starts, count);
    }

    /** The line of the last position asked for: tokens come in order, so the next one is on it or a little after. */
    private int lastLine;

    private Pos pos(int offset) {
        int line = lastLine;
        if (lineStarts[line] <= offset) {
            while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
            lastLine = line;
            return new Pos(line + 1, offset - lineStarts[line] + 1);
        }
        int lo = 0, hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= offset) lo = mid; else hi = mid - 1;
        }
        return new Pos(lo + 1, offset - lineStarts[lo] + 1);
    }

    // ---- trivia ------------------------------------------------------------------------------------------------

    /** The whitespace of KqlTokens.g4 (ASCII spaces, NBSP and the Unicode spaces), plus the line/paragraph separators. */
    static boolean isWhitespace(char c) {
        return switch (c) {
            case ' ', '\t', '\r', '\n', '\f', '\u00a0', '\u1680', '\u180e', '\u200b', '\u202f', '\u205f', '\u3000',
                 '\ufeff', '\u2028', '\u2029' -> true;
            default -> c >= '\u2000' && c <= '\u200a';
        };
    }

    private void skipTrivia() {
        while (i < n) {
            char c = s.charAt(i);
            if (isWhitespace(c)) {
                i++;
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                while (i < n && s.charAt(i) != '\n' && s.charAt(i) != '\r' && s.charAt(i) != '\u2028' && s.charAt(i) != '\u2029') i++;
            } else {
                return;
            }
        }
    }

    // ---- tokens ------------------------------------------------------------------------------------------------

    private KqlToken next() {
        char c = s.charAt(i);
        if (c >= '0' && c <= '9') return number();
        if (isIdentStart(c)) return word();
        if (c == '"' || c == '\'' || (c == '@' && i + 1 < n && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\''))
                || s.startsWith("```", i) || s.startsWith("~~~", i)) {
            return string(i);
        }
        return switch (c) {
            case '(', ')', '[', ']', '{', '}', ',', ';', ':', '|', '+', '-', '*', '/', '%', '?' -> punct(1);
            case '.' -> punct(i + 1 < n && s.charAt(i + 1) == '.' ? 2 : 1);
            case '=' -> punct(i + 1 < n && "=~>".indexOf(s.charAt(i + 1)) >= 0 ? 2 : 1);
            case '<' -> punct(i + 1 < n && (s.charAt(i + 1) == '=' || s.charAt(i + 1) == '>') ? 2 : 1);
            case '>' -> punct(i + 1 < n && s.charAt(i + 1) == '=' ? 2 : 1);
            case '!' -> bang();
            default -> throw new KqlException("unexpected character " + describeChar(), pos(i));
        };
    }

    private String describeChar() {
        int cp = s.codePointAt(i);
        if (Character.isISOControl(cp) || Character.isWhitespace(cp) || Character.isSpaceChar(cp) || !Character.isDefined(cp)
                || Character.getType(cp) == Character.FORMAT || Character.isSurrogate(s.charAt(i))) {
            return String.format("U+%04X", cp);
        }
        return "'" + Character.toString(cp) + "'";
    }

    private static boolean isIdentStart(char c) { return c == '_' || c == '$' || isLetter(c); }

    private static boolean isIdentPart(char c) { return c == '_' || isLetter(c) || isDigit(c); }

    private static boolean isLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    private static boolean isHexDigit(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

    private KqlToken token(Kind kind, int start, Object value, KqlType type) {
        return token(kind, s.substring(start, i), start, value, type);
    }

    private KqlToken token(Kind kind, String text, int start, Object value, KqlType type) {
        return new KqlToken(kind, text, value, type, start, i, pos(start));
    }

    private KqlToken punct(int length) {
        int start = i;
        i += length;
        return token(Kind.PUNCT, start, null, null);
    }

    /** {@code !=}, {@code !~}, the negated word operators ({@code !has}, {@code !in~}, ...), or a lone {@code !}. */
    private KqlToken bang() {
        if (i + 1 < n && (s.charAt(i + 1) == '=' || s.charAt(i + 1) == '~')) return punct(2);
        int end = i + 1;
        while (end < n && isIdentPart(s.charAt(end))) end++;
        if (end > i + 1 && NEGATABLE.contains(s.substring(i + 1, end))) {
            if (s.startsWith("in", i + 1) && end == i + 3 && end < n && s.charAt(end) == '~') end++;
            return punct(end - i);
        }
        return punct(1);
    }

    private KqlToken word() {
        int start = i++;
        while (i < n && isIdentPart(s.charAt(i))) i++;
        String w = s.substring(start, i);
        if ((w.equals("h") || w.equals("H")) && startsString(i)) return string(start);
        switch (w) {
            case "true", "TRUE", "True" -> { return token(Kind.LITERAL, start, Boolean.TRUE, KqlType.BOOL); }
            case "false", "FALSE", "False" -> { return token(Kind.LITERAL, start, Boolean.FALSE, KqlType.BOOL); }
            case "in" -> {
                if (i < n && s.charAt(i) == '~') {
                    i++;
                    return token(Kind.PUNCT, start, null, null);
                }
            }
            default -> {
                if (KqlLiterals.isTypedLiteralKeyword(w)) {
                    KqlToken typed = typedLiteral(start, w);
                    if (typed != null) return typed;
                }
            }
        }
        return token(Kind.IDENT, w, start, null, null);
    }

    private boolean startsString(int at) {
        if (at >= n) return false;
        char c = s.charAt(at);
        return c == '"' || c == '\'' || (c == '@' && at + 1 < n && (s.charAt(at + 1) == '"' || s.charAt(at + 1) == '\''))
                || s.startsWith("```", at) || s.startsWith("~~~", at);
    }

    /** {@code keyword(text)}: the text runs to the first {@code )}, as LparenGooRparen does; null if no {@code (} follows. */
    private KqlToken typedLiteral(int start, String keyword) {
        int open = i;
        while (open < n && isWhitespace(s.charAt(open))) open++;
        if (open >= n || s.charAt(open) != '(') return null;
        int close = s.indexOf(')', open + 1);
        if (close < 0) throw new KqlException("unterminated " + keyword + " literal: no ')'", pos(start));
        KqlLiterals.Value v = KqlLiterals.typed(keyword, s.substring(open + 1, close), pos(start));
        i = close + 1;
        return token(Kind.LITERAL, start, v.value(), v.type());
    }

    /**
     * A digit-led token: the longest of an identifier run ({@code 5_Min_Count}), a hex number, a decimal or real
     * number, and a timespan; ties go to the literal.
     */
    private KqlToken number() {
        int start = i;
        int digitsEnd = start;
        while (digitsEnd < n && isDigit(s.charAt(digitsEnd))) digitsEnd++;

        int identEnd = digitsEnd;
        if (identEnd < n && (isLetter(s.charAt(identEnd)) || s.charAt(identEnd) == '_')) {
            while (identEnd < n && isIdentPart(s.charAt(identEnd))) identEnd++;
        } else {
            identEnd = start; // digits alone are not an identifier
        }

        int hexEnd = start;
        if (s.charAt(start) == '0' && start + 2 < n && (s.charAt(start + 1) == 'x' || s.charAt(start + 1) == 'X')
                && isHexDigit(s.charAt(start + 2))) {
            hexEnd = start + 2;
            while (hexEnd < n && isHexDigit(s.charAt(hexEnd))) hexEnd++;
        }

        // number: digits ('.' digits)? exponent?  (a '.' needs a digit after it, so "1..5" is 1, .., 5)
        int fractionEnd = digitsEnd;
        if (fractionEnd + 1 < n && s.charAt(fractionEnd) == '.' && isDigit(s.charAt(fractionEnd + 1))) {
            fractionEnd += 2;
            while (fractionEnd < n && isDigit(s.charAt(fractionEnd))) fractionEnd++;
        }
        int numberEnd = fractionEnd;
        if (numberEnd < n && (s.charAt(numberEnd) == 'e' || s.charAt(numberEnd) == 'E')) {
            int e = numberEnd + 1;
            if (e < n && (s.charAt(e) == '+' || s.charAt(e) == '-')) e++;
            if (e < n && isDigit(s.charAt(e))) {
                while (e < n && isDigit(s.charAt(e))) e++;
                numberEnd = e;
            }
        }

        int unit = KqlLiterals.unitLength(s, fractionEnd);
        int spanEnd = unit > 0 ? fractionEnd + unit : start;

        int best = Math.max(Math.max(hexEnd, numberEnd), Math.max(spanEnd, identEnd));
        if (best == identEnd && identEnd > Math.max(Math.max(hexEnd, numberEnd), spanEnd)) {
            i = identEnd;
            return token(Kind.IDENT, start, null, null);
        }
        Pos p = pos(start);
        if (best == spanEnd) {
            i = spanEnd;
            long ticks = KqlLiterals.timespanTicks(s.substring(start, fractionEnd), s.substring(fractionEnd, spanEnd), p);
            return token(Kind.LITERAL, start, ticks, KqlType.TIMESPAN);
        }
        if (best == hexEnd) {
            i = hexEnd;
            if (hexEnd - start - 2 > 16) throw new KqlException("integer literal out of range", p);
            return token(Kind.LITERAL, start, Long.parseUnsignedLong(s.substring(start + 2, hexEnd), 16), KqlType.LONG);
        }
        i = numberEnd;
        String text = s.substring(start, numberEnd);
        if (numberEnd == digitsEnd) {
            try {
                return token(Kind.LITERAL, start, Long.parseLong(text), KqlType.LONG);
            } catch (NumberFormatException e) {
                throw new KqlException("integer literal out of range", p);
            }
        }
        return token(Kind.LITERAL, start, Double.parseDouble(text), KqlType.REAL);
    }

    // ---- strings -----------------------------------------------------------------------------------------------

    /**
     * A string literal whose quote or fence is at {@code i}; {@code start} is where the token starts, before an
     * {@code h}/{@code H} obfuscation prefix if there is one (an obfuscated string has the same value).
     */
    private KqlToken string(int start) {
        Pos p = pos(start);
        if (s.startsWith("```", i) || s.startsWith("~~~", i)) {
            String fence = s.substring(i, i + 3);
            int close = s.indexOf(fence, i + 3);
            if (close < 0) throw new KqlException("unterminated string literal", p);
            String value = s.substring(i + 3, close);
            i = close + 3;
            return token(Kind.STRING, start, value, KqlType.STRING);
        }
        if (s.charAt(i) == '@') {
            char q = s.charAt(i + 1);
            i += 2;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (i >= n || s.charAt(i) == '\n' || s.charAt(i) == '\r') throw new KqlException("unterminated string literal", p);
                char c = s.charAt(i++);
                if (c == q) {
                    if (i < n && s.charAt(i) == q) {
                        sb.append(q);
                        i++;
                    } else {
                        return token(Kind.STRING, start, sb.toString(), KqlType.STRING);
                    }
                } else {
                    sb.append(c);
                }
            }
        }
        char q = s.charAt(i++);
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (i >= n || s.charAt(i) == '\n' || s.charAt(i) == '\r') throw new KqlException("unterminated string literal", p);
            char c = s.charAt(i++);
            if (c == q) return token(Kind.STRING, start, sb.toString(), KqlType.STRING);
            if (c == '\\') escape(sb, p); else sb.append(c);
        }
    }

    /** The escape after a backslash: {@code \' \" \\ \a \b \f \n \r \t \v \xHH \\uXXXX \UXXXXXXXX} and octal. */
    private void escape(StringBuilder sb, Pos stringPos) {
        if (i >= n) throw new KqlException("unterminated string literal", stringPos);
        int at = i;
        char c = s.charAt(i++);
        switch (c) {
            case '\'', '"', '\\' -> sb.append(c);
            case 'a' -> sb.append('\u0007');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'v' -> sb.append('\u000b');
            case 'x' -> sb.append((char) hex(2, at));
            case 'u' -> sb.append((char) hex(4, at));
            case 'U' -> {
                int cp = hex(8, at);
                if (cp < 0 || cp > Character.MAX_CODE_POINT) throw new KqlException("invalid escape sequence '\\U'", pos(at - 1));
                sb.appendCodePoint(cp);
            }
            default -> {
                if (c < '0' || c > '7') throw new KqlException("invalid escape sequence '\\" + c + "'", pos(at - 1));
                // octal: [0-3][0-7][0-7] | [0-7][0-7] | [0-7]
                int v = c - '0';
                int max = c <= '3' ? 2 : 1;
                for (int k = 0; k < max && i < n && s.charAt(i) >= '0' && s.charAt(i) <= '7'; k++) v = v * 8 + (s.charAt(i++) - '0');
                sb.append((char) v);
            }
        }
    }

    private int hex(int digits, int escapeAt) {
        if (i + digits > n) throw new KqlException("invalid escape sequence '\\" + s.charAt(escapeAt) + "'", pos(escapeAt - 1));
        int v = 0;
        for (int k = 0; k < digits; k++) {
            char c = s.charAt(i + k);
            int d = Character.digit(c, 16);
            if (d < 0 || c > 'f') throw new KqlException("invalid escape sequence '\\" + s.charAt(escapeAt) + "'", pos(escapeAt - 1));
            v = v * 16 + d;
        }
        i += digits;
        return v;
    }
}
