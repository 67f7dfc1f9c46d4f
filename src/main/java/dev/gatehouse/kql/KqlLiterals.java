// Turns the text of KQL literals (timespans, datetimes, typed literals) into the values KqlType boxes.
package dev.gatehouse.kql;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every conversion reports bad text as a {@link KqlException} at the literal's position; none throws anything else.
 * Timespans are computed exactly (BigDecimal) and truncated to whole 100-ns ticks, so {@code 1.5h} is exactly
 * 54,000,000,000 ticks and {@code 1nanosecond} is 0.
 */
final class KqlLiterals {
    private KqlLiterals() {}

    /** A typed literal's type and boxed value. */
    record Value(KqlType type, Object value) {}

    /** The longest timespan unit spelling, {@code milliseconds}. */
    private static final int MAX_UNIT_LENGTH = 12;

    /** Ticks per unit for every spelling the grammar accepts after a number (KqlTokens.g4 TIMESPANLITERAL). */
    private static final Map<String, BigDecimal> UNIT_TICKS = new HashMap<>();

    static {
        unit(Ticks.PER_DAY, "d", "day", "days");
        unit(Ticks.PER_HOUR, "h", "hour", "hours", "hr", "hrs");
        unit(Ticks.PER_MINUTE, "m", "min", "minute", "minutes");
        unit(Ticks.PER_SECOND, "s", "sec", "second", "seconds");
        unit(Ticks.PER_MILLISECOND, "ms");
        unit(1, "tick", "ticks");
        subSecond(BigDecimal.valueOf(Ticks.PER_MILLISECOND), "milli");
        subSecond(BigDecimal.TEN, "micro");
        subSecond(new BigDecimal("0.01"), "nano");
    }

    private static void unit(long ticks, String... spellings) {
        for (String s : spellings) UNIT_TICKS.put(s, BigDecimal.valueOf(ticks));
    }

    /** {@code milli}, {@code millis}, {@code millisec}, {@code millisecond}, {@code milliseconds} and so on. */
    private static void subSecond(BigDecimal ticks, String prefix) {
        for (String suffix : new String[] {"", "s", "sec", "second", "seconds"}) UNIT_TICKS.put(prefix + suffix, ticks);
    }

    /** The length of the longest timespan unit that starts at {@code from} in {@code text}, or 0 if none does. */
    static int unitLength(String text, int from) {
        int letters = 0;
        while (from + letters < text.length() && letters < MAX_UNIT_LENGTH && isAsciiLetter(text.charAt(from + letters))) letters++;
        for (int n = letters; n > 0; n--) {
            if (UNIT_TICKS.containsKey(text.substring(from, from + n))) return n;
        }
        return 0;
    }

    private static boolean isAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

    /** {@code number} (digits, optional fraction) of {@code unit} (a key of the unit table), in ticks. */
    static long timespanTicks(String number, String unit, Pos pos) {
        BigDecimal perUnit = UNIT_TICKS.get(unit);
        if (perUnit == null) throw new KqlException("unknown timespan unit '" + unit + "'", pos);
        try {
            return new BigDecimal(number).multiply(perUnit).setScale(0, RoundingMode.DOWN).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new KqlException("timespan literal out of range '" + number + unit + "'", pos);
        }
    }

    // ---- typed literals: keyword(text) -------------------------------------------------------------------------

    /** True for the words that, followed by {@code (}, make a typed literal whose text runs to the next {@code )}. */
    static boolean isTypedLiteralKeyword(String word) {
        return switch (word) {
            case "datetime", "date", "time", "timespan", "int", "int32", "long", "int64", "real", "double", "decimal",
                 "bool", "boolean", "guid", "uuid", "uniqueid", "typeof" -> true;
            default -> false;
        };
    }

    /** The value of {@code keyword(content)}; {@code pos} is the keyword's. */
    static Value typed(String keyword, String content, Pos pos) {
        String t = content.strip();
        boolean isNull = t.equals("null");
        return switch (keyword) {
            case "datetime", "date" -> new Value(KqlType.DATETIME, isNull ? null : datetime(t, pos));
            case "time", "timespan" -> new Value(KqlType.TIMESPAN, isNull ? null : timespan(t, pos));
            case "int", "int32" -> new Value(KqlType.INT, isNull ? null : intValue(t, pos));
            case "long", "int64" -> new Value(KqlType.LONG, isNull ? null : longValue(t, keyword, pos));
            case "real", "double", "decimal" -> new Value(KqlType.REAL, isNull ? null : realValue(t, keyword, pos));
            case "bool", "boolean" -> new Value(KqlType.BOOL, isNull ? null : boolValue(t, pos));
            case "guid", "uuid", "uniqueid" -> new Value(KqlType.STRING, isNull ? "" : guid(t, pos));
            case "typeof" -> throw KqlException.unsupported("typeof", pos);
            default -> throw new KqlException("unknown literal type '" + keyword + "'", pos);
        };
    }

    private static final Pattern INTEGER = Pattern.compile("[+-]?(?:[0-9]{1,19}|0[xX][0-9a-fA-F]{1,16})");
    private static final Pattern REAL = Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private static long longValue(String t, String keyword, Pos pos) {
        if (!INTEGER.matcher(t).matches()) throw new KqlException("invalid " + keyword + " literal '" + t + "'", pos);
        boolean negative = t.charAt(0) == '-';
        String body = negative || t.charAt(0) == '+' ? t.substring(1) : t;
        try {
            if (body.length() > 2 && (body.charAt(1) == 'x' || body.charAt(1) == 'X')) {
                long v = Long.parseUnsignedLong(body.substring(2), 16);
                return negative ? -v : v;
            }
            return Long.parseLong(negative ? "-" + body : body);
        } catch (NumberFormatException e) {
            throw new KqlException(keyword + " literal out of range '" + t + "'", pos);
        }
    }

    private static long intValue(String t, Pos pos) {
        long v = longValue(t, "int", pos);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw new KqlException("int literal out of range '" + t + "'", pos);
        return v;
    }

    private static double realValue(String t, String keyword, Pos pos) {
        switch (t) {
            case "nan", "NaN": return Double.NaN;
            case "inf", "+inf": return Double.POSITIVE_INFINITY;
            case "-inf": return Double.NEGATIVE_INFINITY;
            default:
        }
        if (!REAL.matcher(t).matches()) throw new KqlException("invalid " + keyword + " literal '" + t + "'", pos);
        return Double.parseDouble(t);
    }

    private static boolean boolValue(String t, Pos pos) {
        if (t.equalsIgnoreCase("true") || t.equals("1")) return true;
        if (t.equalsIgnoreCase("false") || t.equals("0")) return false;
        throw new KqlException("invalid bool literal '" + t + "'", pos);
    }

    private static String guid(String t, Pos pos) {
        if (!GUID.matcher(t).matches()) throw new KqlException("invalid guid literal '" + t + "'", pos);
        return t.toLowerCase(Locale.ROOT);
    }

    // ---- timespan(...) -----------------------------------------------------------------------------------------

    private static final Pattern SPAN_NUMBER = Pattern.compile("([0-9]{1,18}(?:\\.[0-9]{1,18})?)\\s*([A-Za-z]*)");
    /** {@code [d.]hh:mm[:ss[.fffffff]]}. */
    private static final Pattern SPAN_CLOCK =
            Pattern.compile("(?:([0-9]{1,8})\\.)?([0-9]{1,2}):([0-9]{1,2})(?::([0-9]{1,2})(?:\\.([0-9]{1,9}))?)?");

    /**
     * {@code time(2)} (days), {@code time(1.5h)}, {@code time(1.02:03:04.5)} ({@code d.hh:mm:ss.fffffff}),
     * {@code time(02:03)}, each with an optional sign.
     */
    static long timespan(String t, Pos pos) {
        boolean negative = t.startsWith("-");
        String body = (negative || t.startsWith("+") ? t.substring(1) : t).strip();
        var clock = SPAN_CLOCK.matcher(body);
        long ticks;
        if (clock.matches()) {
            long days = clock.group(1) == null ? 0 : Long.parseLong(clock.group(1));
            int h = Integer.parseInt(clock.group(2)), m = Integer.parseInt(clock.group(3));
            int s = clock.group(4) == null ? 0 : Integer.parseInt(clock.group(4));
            if (h > 23 || m > 59 || s > 59) throw new KqlException("invalid timespan literal '" + t + "'", pos);
            ticks = days * Ticks.PER_DAY + h * Ticks.PER_HOUR + m * Ticks.PER_MINUTE + s * Ticks.PER_SECOND
                    + fractionTicks(clock.group(5));
        } else {
            var number = SPAN_NUMBER.matcher(body);
            if (!number.matches()) throw new KqlException("invalid timespan literal '" + t + "'", pos);
            String unit = number.group(2).isEmpty() ? "d" : number.group(2);
            if (!UNIT_TICKS.containsKey(unit)) throw new KqlException("invalid timespan literal '" + t + "'", pos);
            ticks = timespanTicks(number.group(1), unit, pos);
        }
        return negative ? -ticks : ticks;
    }

    /** Up to 9 fraction-of-second digits, truncated to ticks (7 digits). */
    private static long fractionTicks(String digits) {
        if (digits == null) return 0;
        String seven = (digits + "0000000").substring(0, 7);
        return Long.parseLong(seven);
    }

    // ---- datetime(...) -----------------------------------------------------------------------------------------

    /** {@code yyyy-MM-dd[(T| )HH:mm[:ss[.fffffff]]][Z|UTC|GMT|±hh:mm]}; {@code /} may separate the date too. */
    private static final Pattern ISO = Pattern.compile(
            "([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})"
            + "(?:(?:T|\\s+)([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\\.([0-9]{1,9}))?)?)?"
            + "\\s*(Z|UTC|GMT|[+-][0-9]{2}:?[0-9]{2})?");

    /** Ticks since the Unix epoch of {@code t}: the ISO-8601 forms above, or RFC 1123 ({@code Sat, 8 Nov 2014 15:05:02 GMT}). */
    static long datetime(String t, Pos pos) {
        try {
            var m = ISO.matcher(t);
            if (m.matches()) {
                LocalDateTime local = LocalDateTime.of(
                        Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                        m.group(4) == null ? 0 : Integer.parseInt(m.group(4)),
                        m.group(5) == null ? 0 : Integer.parseInt(m.group(5)),
                        m.group(6) == null ? 0 : Integer.parseInt(m.group(6)));
                ZoneOffset offset = offset(m.group(8));
                return Ticks.of(local.toInstant(offset)) + fractionTicks(m.group(7));
            }
            return Ticks.of(ZonedDateTime.parse(t, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeException | ArithmeticException e) {
            throw new KqlException("invalid datetime literal '" + t + "'", pos);
        }
    }

    private static ZoneOffset offset(String zone) {
        if (zone == null || zone.equals("Z") || zone.equals("UTC") || zone.equals("GMT")) return ZoneOffset.UTC;
        String digits = zone.replace(":", "");
        int hours = Integer.parseInt(digits.substring(1, 3)), minutes = Integer.parseInt(digits.substring(3, 5));
        int sign = digits.charAt(0) == '-' ? -1 : 1;
        return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
    }

    // ---- the same readings at run time (todatetime, totimespan, dynamic values) -------------------------------

    /** {@link #datetime} of text a query computed, or null when it isn't one (run time: no error). */
    static Long datetimeOrNull(String t) {
        if (t == null || t.isBlank()) return null;
        try {
            return datetime(t.strip(), Pos.NONE);
        } catch (KqlException e) {
            return null;
        }
    }

    /** {@link #timespan} of text a query computed, or null when it isn't one. */
    static Long timespanOrNull(String t) {
        if (t == null || t.isBlank()) return null;
        try {
            return timespan(t.strip(), Pos.NONE);
        } catch (KqlException | ArithmeticException | NumberFormatException e) {
            return null;
        }
    }
}
