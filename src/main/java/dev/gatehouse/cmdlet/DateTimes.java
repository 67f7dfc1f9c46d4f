// Parses the date forms admins type (07/01/2025, 07/01/2025 10:00, ISO 8601) and prints dates like PowerShell.
package dev.gatehouse.cmdlet;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Package-private date handling. Input follows PowerShell's invariant culture (month first, as in Exchange's
 * documentation: {@code 07/01/2025} is July 1st) plus ISO 8601. Output is PowerShell's en-US display form
 * {@code 7/1/2025 10:00:00 AM}.
 */
final class DateTimes {
    private static final List<DateTimeFormatter> LOCAL = List.of(
            pattern("M/d/uuuu"), pattern("M/d/uuuu H:mm"), pattern("M/d/uuuu H:mm:ss"),
            pattern("M/d/uuuu h:mm a"), pattern("M/d/uuuu h:mm:ss a"),
            pattern("uuuu-MM-dd"), pattern("uuuu-MM-dd H:mm"), pattern("uuuu-MM-dd H:mm:ss"),
            DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    static final DateTimeFormatter DISPLAY = DateTimeFormatter.ofPattern("M/d/uuuu h:mm:ss a", Locale.US);

    private DateTimes() {}

    private static DateTimeFormatter pattern(String p) {
        return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(p)
                .toFormatter(Locale.US).withResolverStyle(ResolverStyle.STRICT);
    }

    static Optional<OffsetDateTime> parse(String text, ZoneId zone) {
        String s = text.strip();
        if (s.length() > 64) return Optional.empty();
        try {
            return Optional.of(OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        } catch (DateTimeParseException ignored) {
            // not an ISO date with offset; try the local forms
        }
        for (DateTimeFormatter f : LOCAL) {
            try {
                TemporalAccessor t = f.parse(s);
                LocalDateTime local = t.isSupported(java.time.temporal.ChronoField.HOUR_OF_DAY)
                        ? LocalDateTime.from(t) : LocalDate.from(t).atStartOfDay();
                return Optional.of(local.atZone(zone).toOffsetDateTime());
            } catch (java.time.DateTimeException ignored) {
                // try the next form
            }
        }
        return Optional.empty();
    }

    /** PowerShell's en-US display, or null when {@code value} is not a date type. */
    static String display(Object value) {
        return switch (value) {
            case OffsetDateTime o -> DISPLAY.format(o);
            case ZonedDateTime z -> DISPLAY.format(z);
            case LocalDateTime l -> DISPLAY.format(l);
            case LocalDate d -> DISPLAY.format(d.atStartOfDay());
            case Instant i -> DISPLAY.format(i.atOffset(java.time.ZoneOffset.UTC));
            default -> null;
        };
    }

    /** ISO 8601 for JSON, or null when {@code value} is not a date type. */
    static String iso(Object value) {
        return switch (value) {
            case OffsetDateTime o -> o.toString();
            case ZonedDateTime z -> z.toOffsetDateTime().toString();
            case LocalDateTime l -> l.toString();
            case LocalDate d -> d.toString();
            case Instant i -> i.toString();
            default -> null;
        };
    }
}
