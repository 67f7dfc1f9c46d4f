// KQL's string operators with Kusto's exact rules: case folding, and `has` as a term match, not a substring match.
package dev.gatehouse.kql;

import java.util.Locale;

/**
 * A term is a maximal run of letters and digits. {@code has} is true when the right side occurs in the left at term
 * boundaries: the character before the match is not alphanumeric (or it is the start) when the right side starts with
 * an alphanumeric, and the character after is not alphanumeric (or it is the end) when the right side ends with one.
 * So {@code "North America" has "america"} is true and {@code has "amer"} is false, and a right side with punctuation
 * ({@code has "spf=fail"}) matches as a phrase. Case-insensitive operators fold ordinally (Locale.ROOT).
 */
final class KqlStrings {
    private KqlStrings() {}

    static boolean alnum(char c) { return Character.isLetterOrDigit(c); }

    static String fold(String s) { return s.toLowerCase(Locale.ROOT); }

    /** @param needleFolded the right side, already folded when {@code cs} is false */
    static boolean has(String hay, String needleFolded, boolean cs) { return termMatch(hay, needleFolded, cs, true, true); }

    static boolean hasPrefix(String hay, String needleFolded, boolean cs) { return termMatch(hay, needleFolded, cs, true, false); }

    static boolean hasSuffix(String hay, String needleFolded, boolean cs) { return termMatch(hay, needleFolded, cs, false, true); }

    private static boolean termMatch(String hay, String needle, boolean cs, boolean boundStart, boolean boundEnd) {
        int m = needle.length();
        if (m == 0) return true;
        String h = cs ? hay : fold(hay);
        boolean checkStart = boundStart && alnum(needle.charAt(0));
        boolean checkEnd = boundEnd && alnum(needle.charAt(m - 1));
        int from = 0;
        while (true) {
            int i = h.indexOf(needle, from);
            if (i < 0) return false;
            int end = i + m;
            boolean ok = (!checkStart || i == 0 || !alnum(h.charAt(i - 1)))
                    && (!checkEnd || end == h.length() || !alnum(h.charAt(end)));
            if (ok) return true;
            from = i + 1;
        }
    }

    static boolean contains(String hay, String needleFolded, boolean cs) {
        return (cs ? hay : fold(hay)).contains(needleFolded);
    }

    static boolean startsWith(String hay, String needleFolded, boolean cs) {
        return (cs ? hay : fold(hay)).startsWith(needleFolded);
    }

    static boolean endsWith(String hay, String needleFolded, boolean cs) {
        return (cs ? hay : fold(hay)).endsWith(needleFolded);
    }

    static boolean equalsIgnoreCase(String a, String b) { return a.equals(b) || fold(a).equals(fold(b)); }

    /** The operator's test of one left value against an already folded right value. */
    static boolean test(String op, String hay, String needle) {
        boolean cs = op.endsWith("_cs");
        String base = op.startsWith("!") ? op.substring(1) : op;
        if (cs) base = base.substring(0, base.length() - 3);
        return switch (base) {
            case "has" -> has(hay, needle, cs);
            case "hasprefix" -> hasPrefix(hay, needle, cs);
            case "hassuffix" -> hasSuffix(hay, needle, cs);
            case "contains" -> contains(hay, needle, cs);
            case "startswith" -> startsWith(hay, needle, cs);
            case "endswith" -> endsWith(hay, needle, cs);
            default -> throw new IllegalArgumentException(op);
        };
    }

    static boolean isStringOperator(String op) {
        String base = op.startsWith("!") ? op.substring(1) : op;
        if (base.endsWith("_cs")) base = base.substring(0, base.length() - 3);
        return switch (base) {
            case "has", "hasprefix", "hassuffix", "contains", "startswith", "endswith" -> true;
            default -> false;
        };
    }
}
