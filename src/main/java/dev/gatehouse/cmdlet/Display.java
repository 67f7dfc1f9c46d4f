// How single values print in tables, lists and CSV: True/False, empty for null, {a, b} for lists, en-US dates.
package dev.gatehouse.cmdlet;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/** Package-private value rendering shared by the formatters. */
final class Display {
    private Display() {}

    /** A value as PowerShell shows it in Format-Table / Format-List. */
    static String format(Object value) {
        return switch (value) {
            case null -> "";
            case Boolean b -> b ? "True" : "False";
            case Optional<?> o -> format(o.orElse(null));
            case Collection<?> c -> braces(c);
            case Object[] a -> braces(java.util.Arrays.asList(a));
            case Map<?, ?> m -> {
                StringJoiner j = new StringJoiner(", ", "{", "}");
                m.forEach((k, v) -> j.add(k + "=" + format(v)));
                yield j.toString();
            }
            case Enum<?> e -> e.name();
            case BigDecimal d -> d.scale() > 0 ? d.stripTrailingZeros().toPlainString() : d.toString();
            default -> {
                String date = DateTimes.display(value);
                yield date != null ? date : String.valueOf(value);
            }
        };
    }

    /** A value for a CSV cell: like {@link #format} but lists are joined with ", " without braces. */
    static String csv(Object value) {
        if (value instanceof Collection<?> c) {
            StringJoiner j = new StringJoiner(", ");
            c.forEach(x -> j.add(format(x)));
            return j.toString();
        }
        return format(value);
    }

    private static String braces(Collection<?> c) {
        StringJoiner j = new StringJoiner(", ", "{", "}");
        c.forEach(x -> j.add(format(x)));
        return j.toString();
    }
}
