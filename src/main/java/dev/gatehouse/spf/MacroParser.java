// Reads RFC 7208 §7.1 macro-strings: domain-specs, explanation strings and unknown modifiers' values.
package dev.gatehouse.spf;

import java.util.ArrayList;
import java.util.List;

/**
 * The §7.1 grammar, with the three places it is used telling which letters and characters are allowed: a
 * domain-spec may not use the explanation-only letters c, r and t (§7.1/8), an explanation may contain spaces,
 * and the digit transformer is never zero. Errors carry the position within the enclosing record.
 */
final class MacroParser {

    enum Kind {
        /** A mechanism's or redirect=/exp='s target: letters slodiphv. */
        DOMAIN("slodiphv", false),
        /** The TXT record exp= points to: every letter, and spaces. */
        EXPLANATION("slodiphvcrt", true),
        /** An unknown modifier's value: every letter of the grammar (it is never expanded). */
        MODIFIER("slodiphvcrt", false);

        final String letters;
        final boolean spaces;

        Kind(String letters, boolean spaces) {
            this.letters = letters;
            this.spaces = spaces;
        }
    }

    private static final String DELIMITERS = ".-+,/_=";

    /** The longest digit transformer kept; more parts than this are never asked for by a sane record. */
    private static final int MAX_KEEP = 1000;

    private MacroParser() {}

    /** Parses {@code text}, which starts at {@code offset} of the record (for error positions). */
    static MacroString parse(String text, int offset, Kind kind) throws SyntaxError.Failure {
        List<MacroString.Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '%') {
                if (!(c >= 0x21 && c <= 0x7e) && !(kind.spaces && c == ' ')) {
                    throw new SyntaxError.Failure(offset + i, "character " + describe(c) + " not allowed in \"" + SpfHeaders.printable(text, 80) + "\"");
                }
                literal.append(c);
                i++;
                continue;
            }
            if (i + 1 >= text.length()) throw new SyntaxError.Failure(offset + i, "'%' at the end of \"" + SpfHeaders.printable(text, 80) + "\"");
            char n = text.charAt(i + 1);
            String escaped = switch (n) {
                case '%' -> "%";
                case '_' -> " ";
                case '-' -> "%20";
                default -> null;
            };
            if (escaped != null) {
                flush(literal, parts);
                parts.add(new MacroString.Literal(escaped, true));
                i += 2;
                continue;
            }
            if (n != '{') {
                throw new SyntaxError.Failure(offset + i, "'%' followed by " + describe(n) + " (expected '{', '%', '_' or '-') in \""
                        + SpfHeaders.printable(text, 80) + "\"");
            }
            flush(literal, parts);
            i = macro(text, i, offset, kind, parts);
        }
        flush(literal, parts);
        return new MacroString(parts, text);
    }

    /** Reads {@code %{...}} starting at {@code start} (the '%'); returns the index after the '}'. */
    private static int macro(String text, int start, int offset, Kind kind, List<MacroString.Part> parts) throws SyntaxError.Failure {
        int i = start + 2;
        if (i >= text.length()) throw new SyntaxError.Failure(offset + start, "unterminated macro in \"" + SpfHeaders.printable(text, 80) + "\"");
        char raw = text.charAt(i);
        char letter = Character.toLowerCase(raw);
        if (raw > 0x7e || kind.letters.indexOf(letter) < 0) {
            String where = kind == Kind.DOMAIN && "crt".indexOf(letter) >= 0 && raw <= 0x7e ? " (allowed only in explanation text)" : "";
            throw new SyntaxError.Failure(offset + i, "unknown macro letter " + describe(raw) + where);
        }
        i++;
        int keep = 0;
        boolean digits = false;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            keep = Math.min(MAX_KEEP, keep * 10 + (text.charAt(i) - '0'));
            digits = true;
            i++;
        }
        if (digits && keep == 0) throw new SyntaxError.Failure(offset + i - 1, "macro transformer 0 (must be nonzero)");
        boolean reverse = false;
        if (i < text.length() && (text.charAt(i) == 'r' || text.charAt(i) == 'R')) {
            reverse = true;
            i++;
        }
        StringBuilder delimiters = new StringBuilder();
        while (i < text.length() && DELIMITERS.indexOf(text.charAt(i)) >= 0) {
            delimiters.append(text.charAt(i));
            i++;
        }
        if (i >= text.length() || text.charAt(i) != '}') {
            throw new SyntaxError.Failure(offset + Math.min(i, text.length()), "malformed macro in \"" + SpfHeaders.printable(text, 80) + "\"");
        }
        String delims = delimiters.isEmpty() ? "." : delimiters.toString();
        parts.add(new MacroString.Macro(letter, keep, reverse, delims, Character.isUpperCase(raw)));
        return i + 1;
    }

    private static void flush(StringBuilder literal, List<MacroString.Part> parts) {
        if (!literal.isEmpty()) {
            parts.add(new MacroString.Literal(literal.toString(), false));
            literal.setLength(0);
        }
    }

    /** A character named so that a log line stays one printable line: 'a' or 0x0D. */
    static String describe(char c) {
        return c > 0x20 && c < 0x7f ? "'" + c + "'" : String.format("0x%02X", (int) c);
    }
}
