// "Did you mean ...?": the names closest to a mistyped one, by Damerau-Levenshtein distance ignoring case.
package dev.gatehouse.cmdlet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Package-private spelling help for mistyped cmdlet and parameter names. The distance is the unrestricted
 * Damerau-Levenshtein distance (insertions, deletions, substitutions and transpositions of adjacent
 * characters, each costing one), computed on lower-case text. A name is suggested when its distance is at
 * most {@link #threshold} of the typed length (one edit per four characters, at least one, at most three);
 * only the closest names are kept (ties included, at most {@link #MAX}), so {@code Get-Mailbx} suggests
 * {@code Get-Mailbox} and not also {@code Set-Mailbox}.
 */
final class Suggestions {
    /** At most this many names are suggested. */
    static final int MAX = 3;

    private Suggestions() {}

    /** How many edits a typed name of this length may be away from a suggestion: length / 4, between 1 and 3. */
    static int threshold(int typedLength) {
        return Math.max(1, Math.min(3, typedLength / 4));
    }

    /** The closest candidates to {@code typed} within the threshold, ties in alphabetical order; empty when none is close. */
    static List<String> closest(String typed, Collection<String> candidates) {
        String t = normalise(typed);
        int limit = threshold(t.length());
        int best = Integer.MAX_VALUE;
        List<String> at = new ArrayList<>();
        for (String c : candidates) {
            String n = normalise(c);
            if (Math.abs(n.length() - t.length()) > limit || n.equals(t)) continue; // the distance is at least the length difference
            int d = distance(t, n);
            if (d > limit || d > best) continue;
            if (d < best) {
                best = d;
                at.clear();
            }
            at.add(c);
        }
        Set<String> unique = new LinkedHashSet<>();
        at.stream().sorted(Comparator.comparing((String s) -> s.toLowerCase(Locale.ROOT))).forEach(unique::add);
        return unique.stream().limit(MAX).toList();
    }

    /** {@code " Did you mean A?"}, {@code " Did you mean A or B?"}, {@code " Did you mean A, B or C?"}; "" for none. */
    static String sentence(List<String> names, String prefix) {
        if (names.isEmpty()) return "";
        List<String> shown = names.stream().map(n -> prefix + n).toList();
        String list = shown.size() == 1 ? shown.getFirst()
                : String.join(", ", shown.subList(0, shown.size() - 1)) + " or " + shown.getLast();
        return " Did you mean " + list + "?";
    }

    /** Lower case, with typographic dashes as '-' (articles print {@code Get\u2013Mailbox}). */
    static String normalise(String s) {
        return s.replace('\u2013', '-').replace('\u2014', '-').replace('\u2015', '-').toLowerCase(Locale.ROOT);
    }

    /** The unrestricted Damerau-Levenshtein distance (Lowrance-Wagner), case-sensitive: callers normalise. */
    static int distance(String a, String b) {
        int n = a.length();
        int m = b.length();
        int inf = n + m;
        int[][] d = new int[n + 2][m + 2];
        d[0][0] = inf;
        for (int i = 0; i <= n; i++) {
            d[i + 1][0] = inf;
            d[i + 1][1] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j + 1] = inf;
            d[1][j + 1] = j;
        }
        Map<Character, Integer> lastRow = new HashMap<>();
        for (int i = 1; i <= n; i++) {
            int lastMatchColumn = 0;
            for (int j = 1; j <= m; j++) {
                int i1 = lastRow.getOrDefault(b.charAt(j - 1), 0);
                int j1 = lastMatchColumn;
                int cost = 1;
                if (a.charAt(i - 1) == b.charAt(j - 1)) {
                    cost = 0;
                    lastMatchColumn = j;
                }
                int substitute = d[i][j] + cost;
                int insert = d[i + 1][j] + 1;
                int delete = d[i][j + 1] + 1;
                int transpose = d[i1][j1] + (i - i1 - 1) + 1 + (j - j1 - 1);
                d[i + 1][j + 1] = Math.min(Math.min(substitute, insert), Math.min(delete, transpose));
            }
            lastRow.put(a.charAt(i - 1), i);
        }
        return d[n + 1][m + 1];
    }
}
