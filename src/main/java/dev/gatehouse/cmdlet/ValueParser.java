// Parses argument values: bare words, quoted strings, $true/$false/$null, numbers, comma lists, @( ) arrays
// and @{ } hashtables, keeping each value's source text.
package dev.gatehouse.cmdlet;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Package-private value grammar used by {@link ScriptParser}. Within {@code @( )} and {@code @{ }} bare words
 * are strings (PowerShell would run them as commands); this is the only place Gatehouse is more lenient.
 * Variables are read by {@link Variables}.
 */
final class ValueParser {
    static final String SCRIPT_BLOCK = "Script blocks ('{ ... }') are not supported in Gatehouse. Write a filter as "
            + "a string, for example -Filter \"Name -eq 'contoso'\".";
    private static final int MAX_DEPTH = 64;
    private static final Pattern NUMBER = Pattern.compile(
            "([+-]?)(?:0x([0-9a-f]{1,16})|((?:\\d+\\.?\\d*|\\.\\d+)(?:e[+-]?\\d{1,4})?))(kb|mb|gb|tb|pb)?",
            Pattern.CASE_INSENSITIVE);

    private final Source src;
    private final Variables variables;
    private int depth;

    ValueParser(Source src) {
        this.src = src;
        this.variables = new Variables(src);
    }

    /** A statement that starts with '$': always an error, explaining what was written. */
    void rejectStatementVariable() { variables.rejectStatement(); }

    /** A value in argument position: one element, or a comma list of elements. */
    Value argument() {
        int start = src.pos;
        Value first = element();
        int save = src.pos;
        src.skipBlanks();
        if (src.peek() != ',') {
            src.pos = save;
            return first;
        }
        List<Value> items = new ArrayList<>();
        items.add(first);
        while (src.peek() == ',') {
            int comma = src.pos++;
            src.skipBlanksAndNewlines();
            int c = src.peek();
            if (Source.endsStatement(c) || c == '|' || c == ',' || c == ')' || c == '}') {
                throw src.failAtEnd(comma, "Missing expression after ','.");
            }
            items.add(element());
            save = src.pos;
            src.skipBlanks();
        }
        src.pos = save;
        return new Value.ListOf(items, src.slice(start), src.position(start));
    }

    private Value element() {
        int start = src.pos;
        int c = src.peek();
        if (c == '$') {
            Value v = variables.read();
            if (!Source.endsWord(src.peek()) && src.peek() != '}') {
                throw src.fail(src.pos, "Unexpected token '" + Character.toString(src.peek()) + "' after '" + v.source()
                        + "'. Member access and other expressions are not supported in Gatehouse.");
            }
            return v;
        }
        if (c == '@') return at(start);
        if (c == '{') throw src.fail(start, SCRIPT_BLOCK);
        if (c == '(') {
            throw src.fail(start, "Parenthesized expressions such as '(...)' are not supported in Gatehouse; write the "
                    + "value itself, for example 'a','b' or @('a','b').");
        }
        if (c == '<' && src.peek(1) != '#') return placeholder(start);
        if (c == ',') throw src.fail(start, "Missing expression before ','.");
        return word(start);
    }

    /** A documentation placeholder such as {@code <start>}: kept as a bare word so the binder can name it. */
    private Value placeholder(int start) {
        int end = start + 1;
        while (end < src.text.length() && src.text.charAt(end) != '>' && src.text.charAt(end) != '<'
                && !Source.isNewline(src.text.charAt(end))) end++;
        if (end >= src.text.length() || src.text.charAt(end) != '>' || end == start + 1) {
            throw src.fail(start, "The '<' operator is reserved for future use.");
        }
        src.pos = end + 1;
        String text = src.slice(start);
        return new Value.Text(text, Value.Quoting.BARE, text, src.position(start));
    }

    /** A bare word, which may embed quoted parts and backtick escapes; a plain numeric word is a number. */
    private Value word(int start) {
        StringBuilder sb = new StringBuilder();
        boolean plain = true;
        Value.Quoting quoting = Value.Quoting.BARE;
        while (!Source.endsWord(src.peek())) {
            int c = src.peek();
            if (Source.isSingleQuote(c)) {
                if (sb.isEmpty() && plain) quoting = Value.Quoting.SINGLE;
                plain = false;
                sb.append(singleQuoted());
            } else if (Source.isDoubleQuote(c)) {
                if (sb.isEmpty() && plain) quoting = Value.Quoting.DOUBLE;
                plain = false;
                sb.append(doubleQuoted());
            } else if (c == '`') {
                if (Source.isNewline(src.peek(1))) break;
                if (src.peek(1) == Source.EOF) throw src.failIncomplete(src.pos, "Missing character after the escape character '`'.");
                plain = false;
                src.pos++;
                sb.append(escape(src.peek()));
                src.pos++;
            } else if (c == '$' && (Variables.starts(src.peek(1)) || src.peek(1) == '(')) {
                plain = false;
                sb.append(variables.expand());
            } else if (c == '{' && sb.isEmpty()) {
                throw src.fail(src.pos, SCRIPT_BLOCK);
            } else {
                sb.append((char) c);
                src.pos++;
            }
        }
        if (src.pos == start) throw unexpectedHere();
        String source = src.slice(start);
        if (plain) {
            BigDecimal number = number(source);
            if (number != null) return new Value.Number(number, source, src.position(start));
        }
        if (!plain && quoting != Value.Quoting.BARE && quotedOnly(source)) {
            return new Value.Text(sb.toString(), quoting, source, src.position(start));
        }
        return new Value.Text(sb.toString(), Value.Quoting.BARE, source, src.position(start));
    }

    private static boolean quotedOnly(String source) {
        int open = source.charAt(0);
        int close = source.charAt(source.length() - 1);
        return source.length() >= 2 && (Source.isSingleQuote(open) && Source.isSingleQuote(close)
                || Source.isDoubleQuote(open) && Source.isDoubleQuote(close));
    }

    private Source.Failure unexpectedHere() {
        int c = src.peek();
        String token = c == Source.EOF ? "end of script" : "'" + Character.toString(c) + "'";
        return src.fail(src.pos, "Unexpected token " + token + " in expression or statement.");
    }

    static BigDecimal number(String word) {
        Matcher m = NUMBER.matcher(word);
        if (!m.matches()) return null;
        BigDecimal value;
        try {
            value = m.group(2) != null ? new BigDecimal(new BigInteger(m.group(2), 16)) : new BigDecimal(m.group(3));
        } catch (NumberFormatException e) {
            return null;
        }
        if (m.group(4) != null) {
            int power = "kmgtp".indexOf(Character.toLowerCase(m.group(4).charAt(0))) + 1;
            value = value.multiply(BigDecimal.valueOf(1024).pow(power));
        }
        return "-".equals(m.group(1)) ? value.negate() : value;
    }

    /** {@code '...'}: any single-quote character opens or closes it; two in a row are one literal quote. */
    private String singleQuoted() {
        int start = src.pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = src.peek();
            if (c == Source.EOF) throw src.failAtEnd(start, "The string is missing the terminator: '.");
            src.pos++;
            if (Source.isSingleQuote(c)) {
                if (!Source.isSingleQuote(src.peek())) return sb.toString();
                src.pos++;
            }
            sb.append((char) c);
        }
    }

    /** {@code "..."}: backtick escapes, doubled quotes, and $true/$false/$null expansion. */
    private String doubleQuoted() {
        int start = src.pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = src.peek();
            if (c == Source.EOF) throw src.failAtEnd(start, "The string is missing the terminator: \".");
            if (Source.isDoubleQuote(c)) {
                src.pos++;
                if (!Source.isDoubleQuote(src.peek())) return sb.toString();
                src.pos++;
                sb.append('"');
            } else if (c == '`') {
                if (src.peek(1) == Source.EOF) throw src.failIncomplete(start, "The string is missing the terminator: \".");
                src.pos++;
                sb.append(escape(src.peek()));
                src.pos++;
            } else if (c == '$' && (Variables.starts(src.peek(1)) || src.peek(1) == '(')) {
                sb.append(variables.expand());
            } else {
                sb.append((char) c);
                src.pos++;
            }
        }
    }

    /** The character after a backtick; the cursor is on it. Handles `u{hex} by advancing past the braces. */
    private String escape(int c) {
        return switch (c) {
            case '0' -> "\0";
            case 'a' -> "\u0007";
            case 'b' -> "\b";
            case 'e' -> "\u001b";
            case 'f' -> "\f";
            case 'n' -> "\n";
            case 'r' -> "\r";
            case 't' -> "\t";
            case 'v' -> "\u000b";
            case 'u' -> src.peek(1) == '{' ? unicodeEscape() : "u";
            default -> Character.toString(c);
        };
    }

    private String unicodeEscape() {
        int at = src.pos - 1;
        int close = src.text.indexOf('}', src.pos + 2);
        String hex = close < 0 ? "" : src.text.substring(src.pos + 2, close);
        if (hex.isEmpty() || hex.length() > 6 || !hex.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            throw src.fail(at, "The Unicode escape sequence is not valid. A valid sequence is `u{ followed by 1 to 6 "
                    + "hex digits and a closing '}'.");
        }
        int cp = Integer.parseInt(hex, 16);
        if (cp > Character.MAX_CODE_POINT) throw src.fail(at, "The Unicode escape sequence `u{" + hex + "} is out of range.");
        src.pos = close;
        return Character.toString(cp);
    }

    private Value at(int start) {
        int c = src.peek(1);
        if (c == '(' || c == '{') {
            if (++depth > MAX_DEPTH) throw src.fail(start, "Arrays and hashtables are nested too deeply.");
            try {
                return c == '(' ? array(start) : table(start);
            } finally {
                depth--;
            }
        }
        if (Source.isSingleQuote(c) || Source.isDoubleQuote(c)) {
            throw src.fail(start, "Here-strings (@' ... '@) are not supported in Gatehouse; use a quoted string.");
        }
        if (Source.isVariableNameChar(c)) {
            throw src.fail(start, "Splatting ('@name') is not supported in Gatehouse; write the parameters directly.");
        }
        return word(start);
    }

    /** {@code @( a, b; c )}: commas, newlines and ';' separate elements. */
    private Value array(int start) {
        src.pos += 2;
        List<Value> items = new ArrayList<>();
        while (true) {
            skipListSeparators();
            int c = src.peek();
            if (c == Source.EOF) throw src.failAtEnd(start, "Missing closing ')' in the array expression '@('.");
            if (c == ')') {
                src.pos++;
                return new Value.ListOf(items, src.slice(start), src.position(start));
            }
            if (c == ',') throw src.fail(src.pos, "Missing expression before ','.");
            rejectOperators();
            items.add(element());
            src.skipBlanks();
            c = src.peek();
            if (c == ',') {
                int comma = src.pos++;
                src.skipBlanksAndNewlines();
                int n = src.peek();
                if (n == ')' || n == ',' || n == ';' || n == Source.EOF) throw src.failAtEnd(comma, "Missing expression after ','.");
            } else if (!Source.endsStatement(c) && c != ')') {
                throw unexpectedHere();
            }
        }
    }

    private void skipListSeparators() {
        while (true) {
            src.skipBlanksAndNewlines();
            if (src.peek() == ';') src.pos++;
            else return;
        }
    }

    private void rejectOperators() {
        int c = src.peek();
        if (c == '}' || c == '|' || c == '>' || c == '&') throw unexpectedHere();
    }

    /** {@code @{ Key = value; Key2 = a,b }}: keys unique ignoring case, ';' or newline between entries. */
    private Value table(int start) {
        src.pos += 2;
        Map<String, Value> entries = new LinkedHashMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (true) {
            skipListSeparators();
            int c = src.peek();
            if (c == Source.EOF) throw src.failAtEnd(start, "Missing closing '}' in the hash literal '@{'.");
            if (c == '}') {
                src.pos++;
                return new Value.Table(entries, src.slice(start), src.position(start));
            }
            int keyAt = src.pos;
            String key = key();
            src.skipBlanks();
            if (src.peek() != '=') throw src.failAtEnd(src.pos, "Missing '=' operator after key in hash literal.");
            src.pos++;
            src.skipBlanks();
            c = src.peek();
            if (Source.endsStatement(c) || c == '}' || c == ',' || c == ')' || c == '|') {
                throw src.failAtEnd(src.pos, "Missing statement after '=' in hash literal.");
            }
            rejectOperators();
            Value value = argument();
            if (value instanceof Value.ListOf list) rejectEntryAfterComma(list);
            if (!seen.add(key.toLowerCase(Locale.ROOT))) {
                throw src.fail(keyAt, "Duplicate keys '" + key + "' are not allowed in hash literals.");
            }
            entries.put(key, value);
            src.skipBlanks();
            c = src.peek();
            if (!Source.endsStatement(c) && c != '}') throw unexpectedHere();
        }
    }

    /**
     * {@code @{Add='a', Remove='b'}}: in PowerShell a parse error; read as bare words it would silently make
     * {@code Remove=b} a second value of Add, so an element after a comma that starts with {@code key=} is refused.
     */
    private void rejectEntryAfterComma(Value.ListOf list) {
        for (Value item : list.items().stream().skip(1).toList()) {
            if (item instanceof Value.Text t && startsWithKeyAndEquals(t.source())) {
                throw src.fail(item.position().offset(), "Hash literal entries are separated by ';' or a new line, "
                        + "not ','. Write, for example, @{Add='a@contoso.com'; Remove='b@contoso.com'}.");
            }
        }
    }

    private static boolean startsWithKeyAndEquals(String source) {
        int i = 0;
        int first = source.charAt(0);
        if (Source.isSingleQuote(first) || Source.isDoubleQuote(first)) {
            i = 1;
            while (i < source.length() && !(Source.isSingleQuote(first) ? Source.isSingleQuote(source.charAt(i))
                    : Source.isDoubleQuote(source.charAt(i)))) i++;
            i++;
        } else {
            while (i < source.length() && (Source.isVariableNameChar(source.charAt(i)) || Source.isDash(source.charAt(i))
                    || source.charAt(i) == '.')) i++;
            if (i == 0) return false;
        }
        return i < source.length() && source.charAt(i) == '=';
    }

    private String key() {
        int c = src.peek();
        if (Source.isSingleQuote(c)) return singleQuoted();
        if (Source.isDoubleQuote(c)) return doubleQuoted();
        int start = src.pos;
        while (Source.isVariableNameChar(src.peek()) || Source.isDash(src.peek()) || src.peek() == '.') src.pos++;
        if (src.pos == start) throw src.fail(start, "Missing key before '=' in hash literal.");
        return src.slice(start);
    }
}
