// One SPF record (RFC 7208 §4.5, §4.6): its mechanisms in order and its modifiers, read from a TXT string.
package dev.gatehouse.spf;

import java.util.List;

/**
 * A record that passed the whole grammar of RFC 7208 §12 (ABNF), so evaluation never meets a syntax error halfway:
 * a bad term anywhere, even after {@code -all}, makes the record a permerror (§4.6). Parsing is pure and linear in
 * the length of the text, and is fuzzed ({@code SpfFuzzTest}).
 *
 * @param mechanisms       in the order they are evaluated
 * @param redirect         the {@code redirect=} target, or null
 * @param explanation      the {@code exp=} target, or null
 * @param unknownModifiers names of other modifiers, which are checked for syntax and otherwise ignored (§6)
 */
record SpfRecord(List<Mechanism> mechanisms, MacroString redirect, MacroString explanation, List<String> unknownModifiers)
        implements Parsed {

    SpfRecord {
        mechanisms = List.copyOf(mechanisms);
        unknownModifiers = List.copyOf(unknownModifiers);
    }

    /**
     * Whether a TXT string is an SPF record at all (§4.5): it starts with {@code v=spf1} in any case, followed by a
     * space or the end. Anything else ({@code v=spf10}, {@code v=spf1mx}, other TXT records) is not SPF's business.
     */
    static boolean isSpf(String txt) {
        return txt.regionMatches(true, 0, "v=spf1", 0, 6) && (txt.length() == 6 || txt.charAt(6) == ' ');
    }

    /** Reads a record that {@link #isSpf} accepted; anything else is a {@link SyntaxError} too. */
    static Parsed parse(String text) {
        if (!isSpf(text)) return new SyntaxError(text, 0, "not an SPF record (does not start with \"v=spf1\")");
        try {
            return RecordParser.parse(text);
        } catch (SyntaxError.Failure f) {
            return new SyntaxError(text, f.position, f.getMessage());
        }
    }
}
