// Reads the properties of output objects (records and maps) by name, case-insensitively, in declared order.
package dev.gatehouse.cmdlet;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The property model of cmdlet output, PowerShell-style. A record's properties are its components in
 * declared order, named with the first letter upper-cased ({@code domainName} shows as {@code DomainName},
 * Exchange's spelling); a map's properties are its keys in iteration order. Anything else (strings,
 * numbers, dates, enums) is a scalar with no properties.
 */
public final class ObjectView {
    /** One property: its display name and value. */
    public record Property(String name, Object value) {}

    private static final ClassValue<List<Accessor>> ACCESSORS = new ClassValue<>() {
        @Override protected List<Accessor> computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            if (components == null) return List.of();
            return java.util.Arrays.stream(components).map(c -> {
                Method m = c.getAccessor();
                m.trySetAccessible();
                return new Accessor(capitalize(c.getName()), m);
            }).toList();
        }
    };

    private record Accessor(String name, Method method) {}

    private ObjectView() {}

    static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** True for objects that have properties: maps, and records other than value types. */
    public static boolean hasProperties(Object o) {
        return o instanceof Map<?, ?> || (o != null && o.getClass().isRecord() && !isScalar(o));
    }

    /** True for values a pipeline can bind directly (strings, numbers, booleans, enums, dates). */
    public static boolean isScalar(Object o) {
        return o instanceof CharSequence || o instanceof Number || o instanceof Boolean || o instanceof Enum<?>
                || o instanceof TemporalAccessor || o instanceof Character || o instanceof java.util.UUID
                || o instanceof FormattedText || o instanceof ByteQuantifiedSize;
    }

    /** All properties in order; empty for scalars and null. */
    public static LinkedHashMap<String, Object> properties(Object o) {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(String.valueOf(k), v));
        } else if (hasProperties(o)) {
            for (Accessor a : ACCESSORS.get(o.getClass())) out.put(a.name(), read(a, o));
        }
        return out;
    }

    /** The property names in order. */
    public static List<String> propertyNames(Object o) { return List.copyOf(properties(o).keySet()); }

    /** The property named {@code name} ignoring case, with its canonical name. */
    public static Optional<Property> property(Object o, String name) {
        if (o instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (String.valueOf(e.getKey()).equalsIgnoreCase(name)) {
                    return Optional.of(new Property(String.valueOf(e.getKey()), e.getValue()));
                }
            }
        } else if (hasProperties(o)) {
            for (Accessor a : ACCESSORS.get(o.getClass())) {
                if (a.name().equalsIgnoreCase(name)) return Optional.of(new Property(a.name(), read(a, o)));
            }
        }
        return Optional.empty();
    }

    /** Flattens a value that is a list or array into its elements; a scalar becomes a list of one. */
    static List<Object> elements(Object value) {
        if (value instanceof Collection<?> c) return c.stream().map(x -> (Object) x).toList();
        if (value instanceof Object[] a) return List.of(a);
        if (value instanceof Optional<?> opt) return opt.map(x -> List.<Object>of(x)).orElse(List.of());
        return java.util.Collections.singletonList(value);
    }

    private static Object read(Accessor a, Object o) {
        try {
            Object v = a.method().invoke(o);
            return v instanceof Optional<?> opt ? opt.orElse(null) : v;
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read property " + a.name() + " of " + o.getClass().getName(), e);
        }
    }
}
