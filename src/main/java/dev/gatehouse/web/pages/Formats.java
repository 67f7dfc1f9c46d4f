// How the admin centre's pages write times and sizes (times in UTC, as the cmdlets read and show them).
package dev.gatehouse.web.pages;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Static helpers the templates call. */
public final class Formats {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter INPUT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Formats() {}

    /** {@code 2026-11-28 09:15:02} (UTC), or "" for none. */
    public static String time(Instant t) { return t == null ? "" : TIME.format(t); }

    /** As a {@code datetime-local} field holds it ({@code 2026-11-28T09:15}, UTC), which the cmdlets read as UTC. */
    public static String inputTime(Instant t) { return t == null ? "" : INPUT.format(t.truncatedTo(ChronoUnit.MINUTES)); }

    /** A value for a URL's query string. */
    public static String query(String value) { return value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8); }

    /** {@code 812 bytes}, {@code 14.2 KB}, {@code 3.1 MB}. */
    public static String size(long bytes) {
        if (bytes < 1024) return bytes + (bytes == 1 ? " byte" : " bytes");
        if (bytes < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
}
