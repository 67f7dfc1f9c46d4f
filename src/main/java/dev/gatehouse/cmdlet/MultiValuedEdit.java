// A change to an Exchange multi-valued property: replace the whole list, or @{Add=...; Remove=...}.
package dev.gatehouse.cmdlet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a MultiValuedProperty parameter binds to. {@code -EmailAddresses a,b} replaces the list;
 * {@code -EmailAddresses @{Add='a'; Remove='b'}} edits it. Handlers call {@link #apply} on the current values.
 * Comparisons in {@link #apply} ignore case, as Exchange does for addresses and domains.
 */
public record MultiValuedEdit(Optional<List<Object>> replace, List<Object> add, List<Object> remove) {
    public MultiValuedEdit {
        replace = replace.map(List::copyOf);
        add = List.copyOf(add);
        remove = List.copyOf(remove);
    }

    public static MultiValuedEdit replaceWith(List<?> values) {
        return new MultiValuedEdit(Optional.of(List.copyOf(values)), List.of(), List.of());
    }

    /** The new values: the replacement, or the current values minus {@code remove} plus {@code add}. */
    public <T> List<T> apply(List<T> current, java.util.function.Function<Object, T> convert) {
        if (replace.isPresent()) return replace.get().stream().map(convert).toList();
        List<T> result = new ArrayList<>(current);
        for (Object r : remove) result.removeIf(v -> same(v, r));
        for (Object a : add) {
            if (result.stream().noneMatch(v -> same(v, a))) result.add(convert.apply(a));
        }
        return List.copyOf(result);
    }

    /** {@link #apply} for string-valued properties. */
    public List<String> applyTo(List<String> current) { return apply(current, String::valueOf); }

    /** Every value named by this edit, for validation. */
    public List<Object> allValues() {
        List<Object> all = new ArrayList<>(replace.orElse(List.of()));
        all.addAll(add);
        all.addAll(remove);
        return all;
    }

    private static boolean same(Object a, Object b) { return String.valueOf(a).equalsIgnoreCase(String.valueOf(b)); }
}
