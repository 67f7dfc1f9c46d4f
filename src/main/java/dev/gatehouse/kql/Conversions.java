// Text to datetime and timespan, as todatetime() and totimespan() read it.
package dev.gatehouse.kql;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;

final class Conversions {
    private Conversions() {}

    private static final java.util.regex.Pattern SPAN =
            java.util.regex.Pattern.compile("(-)?(?:(\\d+)\\.)?(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,7}))?)?");

    /** ISO 8601 dates and date-times ({@code 2025-01-01}, {@code 2025-01-01 10:00:00}, {@code ...Z}, offsets), or null. */
    static Long parseDatetime(String s) {
        if (s == null) return null;
        String t = s.trim();
        if (t.isEmpty()) return null;
        try {
            if (t.length() == 10) return Ticks.of(LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC));
            String iso = t.replace(' ', 'T');
            if (iso.endsWith("Z") || iso.matches(".*[+-]\\d\\d:\\d\\d$")) return Ticks.of(OffsetDateTime.parse(iso).toInstant());
            return Ticks.of(LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }

    /** {@code [-][d.]hh:mm[:ss[.fffffff]]}, or null. */
    static Long parseTimespan(String s) {
        if (s == null) return null;
        Matcher m = SPAN.matcher(s.trim());
        if (!m.matches()) return null;
        long t = (m.group(2) == null ? 0 : Long.parseLong(m.group(2))) * Ticks.PER_DAY
                + Long.parseLong(m.group(3)) * Ticks.PER_HOUR + Long.parseLong(m.group(4)) * Ticks.PER_MINUTE
                + (m.group(5) == null ? 0 : Long.parseLong(m.group(5))) * Ticks.PER_SECOND;
        if (m.group(6) != null) t += Long.parseLong((m.group(6) + "000000").substring(0, 7));
        return m.group(1) != null ? -t : t;
    }
}
