// Test helper: every position in a syntax tree, found by walking its records.
package dev.gatehouse.kql;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

final class AstPositions {
    private AstPositions() {}

    /** The {@link Pos} of every record reachable from {@code node} (lists included; dynamic values skipped). */
    static List<Pos> all(Object node) {
        List<Pos> out = new ArrayList<>();
        walk(node, out);
        return out;
    }

    private static void walk(Object node, List<Pos> out) {
        if (node instanceof Pos p) {
            out.add(p);
        } else if (node instanceof List<?> list) {
            for (Object o : list) walk(o, out);
        } else if (node instanceof Record r) {
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    walk(c.getAccessor().invoke(r), out);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** Lines of {@code text} as the lexer counts them ({@code \n}, {@code \r\n} or a lone {@code \r}). */
    static List<String> lines(String text) {
        return List.of(text.split("\r\n|\r|\n", -1));
    }

    /** True if {@code p} is a place in {@code text}: an existing line, and a column at most one past its end. */
    static boolean isWithin(Pos p, String text) { return within(text).test(p); }

    /** The test of {@link #isWithin} for one text, with its lines measured once. */
    static Predicate<Pos> within(String text) {
        int[] lengths = lines(text).stream().mapToInt(String::length).toArray();
        return p -> p.line() >= 1 && p.line() <= lengths.length && p.col() >= 1 && p.col() <= lengths[p.line() - 1] + 1;
    }
}
