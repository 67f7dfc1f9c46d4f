// A parsed RFC 7208 §7 macro-string (domain-spec, explain-string or an unknown modifier's value), and its expansion.
package dev.gatehouse.spf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The text of a domain-spec or an explanation, split once into literals and macros so that evaluation never
 * re-parses it. Expansion follows RFC 7208 §7.3: split on the delimiters (default "."), optionally reverse, keep
 * the rightmost n parts, join with "."; an upper-case letter URL-escapes the result. Expansion is bounded: a
 * record of 64 KB of {@code %{s}} cannot grow a string past {@link #MAX_EXPANSION} characters.
 *
 * @param parts the literals and macros in order
 * @param text  the source text, for messages
 */
record MacroString(List<Part> parts, String text) {

    /** The longest expansion kept; a domain keeps its rightmost characters (it is cut from the left anyway). */
    static final int MAX_EXPANSION = 2048;

    sealed interface Part {}

    /** Text taken as it is ({@code %%}, {@code %_} and {@code %-} are literals "%", " " and "%20" here). */
    record Literal(String value, boolean escape) implements Part {}

    /**
     * {@code %{letter digits r delimiters}}.
     *
     * @param letter     the lower-case macro letter
     * @param keep       how many right-hand parts to keep, 0 for all
     * @param reverse    whether the parts are reversed first
     * @param delimiters the characters to split on ("." when none were given)
     * @param urlEscape  the letter was upper case
     */
    record Macro(char letter, int keep, boolean reverse, String delimiters, boolean urlEscape) implements Part {}

    MacroString {
        parts = List.copyOf(parts);
    }

    /** Whether the last part is a macro-expand ({@code %{..}}, {@code %%}, {@code %_}, {@code %-}): RFC 7208 §7.1 {@code domain-end}. */
    boolean endsWithMacro() {
        return !parts.isEmpty() && (parts.getLast() instanceof Macro || parts.getLast() instanceof Literal l && l.escape());
    }

    /** The literal text after the last macro (empty when the string ends with one). */
    String trailingLiteral() {
        StringBuilder sb = new StringBuilder();
        for (int i = parts.size() - 1; i >= 0 && parts.get(i) instanceof Literal l && !l.escape(); i--) {
            sb.insert(0, l.value());
        }
        return sb.toString();
    }

    /** The values macros expand to, given by the check that expands them. */
    interface Values {
        /** The value of lower-case {@code letter}; never null. */
        String value(char letter);
    }

    /** The expansion, at most {@link #MAX_EXPANSION} characters; with {@code keepRight}, the rightmost ones are kept. */
    String expand(Values values, boolean keepRight) {
        StringBuilder out = new StringBuilder();
        for (Part p : parts) {
            switch (p) {
                case Literal l -> out.append(l.value());
                case Macro m -> out.append(expand(m, values.value(m.letter())));
            }
            if (out.length() > 2 * MAX_EXPANSION) trim(out, keepRight);
        }
        trim(out, keepRight);
        return out.toString();
    }

    private static void trim(StringBuilder out, boolean keepRight) {
        if (out.length() <= MAX_EXPANSION) return;
        if (keepRight) out.delete(0, out.length() - MAX_EXPANSION);
        else out.setLength(MAX_EXPANSION);
    }

    /** One macro applied to its value (RFC 7208 §7.3). */
    static String expand(Macro m, String value) {
        List<String> split = split(value, m.delimiters());
        if (m.reverse()) Collections.reverse(split);
        if (m.keep() > 0 && m.keep() < split.size()) split = split.subList(split.size() - m.keep(), split.size());
        String joined = String.join(".", split);
        return m.urlEscape() ? urlEscape(joined) : joined;
    }

    /** Splits on any of the delimiters, keeping empty parts. */
    static List<String> split(String value, String delimiters) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            if (delimiters.indexOf(value.charAt(i)) >= 0) {
                out.add(value.substring(start, i));
                start = i + 1;
            }
        }
        out.add(value.substring(start));
        return out;
    }

    /** Percent-encodes every octet (UTF-8) outside RFC 3986's unreserved set, with upper-case hex. */
    static String urlEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
