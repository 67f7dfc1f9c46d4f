// Exchange's word matching for the *ContainsWords conditions: case-insensitive, whole words only.
package dev.gatehouse.rules;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Spec §5.2: a word (or a phrase with spaces) matches when it is surrounded by spaces, punctuation or the
 * ends of the value; "contoso" matches " Contoso" and "Contoso-SCANNER" but not "Acontoso" or "Contosoa".
 * {@code *} is literal: there is no wildcard. Matching ignores case. Immutable and thread-safe.
 */
public final class Words {
    private final String[] words;

    private Words(List<String> words) {
        this.words = words.stream().map(w -> w.toLowerCase(Locale.ROOT)).toArray(String[]::new);
    }

    public static Words of(List<String> words) { return new Words(words); }

    /** Why a word can't be saved, or empty: no leading or trailing spaces, not empty, at most 128 characters. */
    public static Optional<String> problem(Object value) {
        String w = String.valueOf(value);
        if (w.isEmpty()) return Optional.of("a word can't be empty");
        if (!w.equals(w.strip())) return Optional.of("a word can't start or end with spaces");
        if (w.length() > 128) return Optional.of("a word can be at most 128 characters long");
        return Optional.empty();
    }

    /** True when any word occurs as a whole word in {@code text} (null never matches). */
    public boolean in(String text) {
        if (text == null || text.isEmpty()) return false;
        String t = text.toLowerCase(Locale.ROOT);
        for (String w : words) if (occurs(t, w)) return true;
        return false;
    }

    /** As {@link #in}, for text already in lower case (see {@link MessageFacts#lower}). */
    public boolean inLower(String lower) {
        if (lower == null || lower.isEmpty()) return false;
        for (String w : words) if (occurs(lower, w)) return true;
        return false;
    }

    static boolean occurs(String text, String word) {
        for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
            int end = at + word.length();
            if ((at == 0 || boundary(text.charAt(at - 1))) && (end == text.length() || boundary(text.charAt(end)))) return true;
        }
        return false;
    }

    private static boolean boundary(char c) { return !Character.isLetterOrDigit(c); }

    @Override public String toString() { return String.join(",", words); }
}
