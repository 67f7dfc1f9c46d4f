// How KQL values convert, compare and print: tostring, datetime and timespan text, dynamic values, sort order.
package dev.gatehouse.kql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;

/** Static helpers over boxed values (see {@link KqlType} for how each type is boxed). */
public final class Values {
    private Values() {}

    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** KQL's {@code tostring}: null gives {@code ""}; a dynamic string is unquoted, other dynamics are compact JSON. */
    public static String toText(KqlType type, Object v) {
        if (v == null) return "";
        return switch (type) {
            case STRING -> (String) v;
            case BOOL -> ((Boolean) v) ? "true" : "false";
            case INT, LONG -> Long.toString(((Number) v).longValue());
            case REAL -> real((Double) v);
            case DATETIME -> datetime((Long) v);
            case TIMESPAN -> timespan((Long) v);
            case DYNAMIC -> dynamicText((JsonNode) v);
        };
    }

    static String dynamicText(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return "";
        if (n.isTextual()) return n.textValue();
        return n.toString();
    }

    static String real(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    /** ISO 8601 in UTC with up to seven fraction digits, trailing zeros dropped: {@code 2025-01-01T10:00:00.5Z}. */
    public static String datetime(long ticks) {
        long sec = Math.floorDiv(ticks, Ticks.PER_SECOND);
        long frac = Math.floorMod(ticks, Ticks.PER_SECOND);
        LocalDateTime t = LocalDateTime.ofEpochSecond(sec, 0, ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(28);
        int year = t.getYear();
        if (year < 0 || year > 9999) b.append(year);
        else b.append(String.format("%04d", year));
        b.append('-').append(two(t.getMonthValue())).append('-').append(two(t.getDayOfMonth()))
                .append('T').append(two(t.getHour())).append(':').append(two(t.getMinute())).append(':').append(two(t.getSecond()));
        fraction(b, frac);
        return b.append('Z').toString();
    }

    /** {@code [-][d.]hh:mm:ss[.fffffff]}, as Kusto prints a timespan. */
    public static String timespan(long ticks) {
        StringBuilder b = new StringBuilder();
        if (ticks < 0) {
            b.append('-');
            if (ticks == Long.MIN_VALUE) ticks = Long.MAX_VALUE;
            else ticks = -ticks;
        }
        long days = ticks / Ticks.PER_DAY;
        long rest = ticks % Ticks.PER_DAY;
        if (days > 0) b.append(days).append('.');
        b.append(two(rest / Ticks.PER_HOUR)).append(':').append(two(rest % Ticks.PER_HOUR / Ticks.PER_MINUTE)).append(':')
                .append(two(rest % Ticks.PER_MINUTE / Ticks.PER_SECOND));
        fraction(b, rest % Ticks.PER_SECOND);
        return b.toString();
    }

    private static void fraction(StringBuilder b, long frac) {
        if (frac == 0) return;
        String f = String.format("%07d", frac);
        int end = f.length();
        while (f.charAt(end - 1) == '0') end--;
        b.append('.').append(f, 0, end);
    }

    private static String two(long v) { return v < 10 ? "0" + v : Long.toString(v); }

    /** The value as JSON for the REST API: datetimes and timespans as their text, dynamics as JSON. */
    public static Object toJson(KqlType type, Object v) {
        if (v == null) return type == KqlType.STRING ? "" : null;
        return switch (type) {
            case DATETIME -> datetime((Long) v);
            case TIMESPAN -> timespan((Long) v);
            case INT -> ((Number) v).intValue();
            default -> v;
        };
    }

    // ---- dynamic -------------------------------------------------------------------------------------------------

    /** A value of any type as a dynamic: datetimes and timespans become their text. */
    static JsonNode toDynamic(KqlType type, Object v) {
        if (v == null) return null;
        return switch (type) {
            case DYNAMIC -> (JsonNode) v;
            case STRING -> NODES.textNode((String) v);
            case BOOL -> NODES.booleanNode((Boolean) v);
            case INT, LONG -> NODES.numberNode((Long) v);
            case REAL -> NODES.numberNode((Double) v);
            case DATETIME -> NODES.textNode(datetime((Long) v));
            case TIMESPAN -> NODES.textNode(timespan((Long) v));
        };
    }

    /** {@code parse_json}: JSON text to dynamic; text that isn't JSON stays a dynamic string; "" is null. */
    static JsonNode parseJson(String s) {
        if (s == null || s.isEmpty()) return null;
        try {
            JsonNode n = JSON.readTree(s);
            return n == null || n.isMissingNode() ? NODES.textNode(s) : n.isNull() ? null : n;
        } catch (Exception e) {
            return NODES.textNode(s);
        }
    }

    static boolean isEmptyValue(KqlType type, Object v) {
        if (v == null) return true;
        if (type == KqlType.STRING) return ((String) v).isEmpty();
        if (type == KqlType.DYNAMIC) {
            JsonNode n = (JsonNode) v;
            return n.isNull() || n.isMissingNode() || (n.isTextual() && n.textValue().isEmpty());
        }
        return false;
    }

    /**
     * A dynamic value read as {@code target} for a comparison or an argument: a dynamic string compares as its text, a
     * number as a number; anything else (or a mismatch) is null.
     */
    static Object fromDynamic(JsonNode n, KqlType target) {
        if (n == null || n.isNull() || n.isMissingNode()) return target == KqlType.STRING ? null : null;
        return switch (target) {
            case STRING -> n.isTextual() ? n.textValue() : n.isValueNode() ? n.asText() : n.toString();
            case BOOL -> n.isBoolean() ? (Object) n.booleanValue() : n.isTextual() && (n.textValue().equalsIgnoreCase("true") || n.textValue().equalsIgnoreCase("false")) ? (Object) Boolean.parseBoolean(n.textValue()) : null;
            case INT, LONG -> n.isIntegralNumber() ? (Object) n.longValue() : n.isNumber() ? (Object) (long) n.doubleValue() : parseLong(n);
            case REAL -> n.isNumber() ? (Object) n.doubleValue() : parseDouble(n);
            case DATETIME -> n.isTextual() ? KqlLiterals.datetimeOrNull(n.textValue()) : null;
            case TIMESPAN -> n.isTextual() ? KqlLiterals.timespanOrNull(n.textValue()) : null;
            case DYNAMIC -> n;
        };
    }

    private static Object parseLong(JsonNode n) {
        if (!n.isTextual()) return null;
        try { return Long.parseLong(n.textValue().trim()); } catch (NumberFormatException e) { return null; }
    }

    private static Object parseDouble(JsonNode n) {
        if (!n.isTextual()) return null;
        try { return Double.parseDouble(n.textValue().trim()); } catch (NumberFormatException e) { return null; }
    }

    // ---- order -----------------------------------------------------------------------------------------------------

    /** Ascending order of two non-null values of one type (strings ordinal, dynamics by their text). */
    @SuppressWarnings("unchecked")
    static int compare(KqlType type, Object a, Object b) {
        return switch (type) {
            case STRING -> ((String) a).compareTo((String) b);
            case REAL -> Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
            case BOOL -> Boolean.compare((Boolean) a, (Boolean) b);
            case DYNAMIC -> compareDynamic((JsonNode) a, (JsonNode) b);
            default -> Long.compare(((Number) a).longValue(), ((Number) b).longValue());
        };
    }

    private static int compareDynamic(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) return Double.compare(a.doubleValue(), b.doubleValue());
        return dynamicText(a).compareTo(dynamicText(b));
    }

    /** Order for {@code sort}: {@code ascending}, with nulls first or last. */
    static Comparator<Object> order(KqlType type, boolean ascending, boolean nullsFirst) {
        return (a, b) -> {
            boolean an = a == null || (type == KqlType.DYNAMIC && ((JsonNode) a).isNull());
            boolean bn = b == null || (type == KqlType.DYNAMIC && ((JsonNode) b).isNull());
            if (an || bn) return an == bn ? 0 : an == nullsFirst ? -1 : 1;
            int c = compare(type, a, b);
            return ascending ? c : -c;
        };
    }

    static Instant instant(long ticks) { return Ticks.toInstant(ticks); }
}
