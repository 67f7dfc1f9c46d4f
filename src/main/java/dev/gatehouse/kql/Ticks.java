// KQL's time unit: 100-nanosecond ticks; datetimes count them from the Unix epoch, in UTC.
package dev.gatehouse.kql;

import java.time.Duration;
import java.time.Instant;

public final class Ticks {
    private Ticks() {}

    public static final long PER_MILLISECOND = 10_000L;
    public static final long PER_SECOND = 10_000_000L;
    public static final long PER_MINUTE = 60 * PER_SECOND;
    public static final long PER_HOUR = 60 * PER_MINUTE;
    public static final long PER_DAY = 24 * PER_HOUR;

    public static long of(Instant t) { return Math.addExact(Math.multiplyExact(t.getEpochSecond(), PER_SECOND), t.getNano() / 100); }

    public static long of(Duration d) { return Math.addExact(Math.multiplyExact(d.getSeconds(), PER_SECOND), d.getNano() / 100); }

    public static long ofMillis(long epochMillis) { return epochMillis * PER_MILLISECOND; }

    public static Instant toInstant(long ticks) {
        return Instant.ofEpochSecond(Math.floorDiv(ticks, PER_SECOND), Math.floorMod(ticks, PER_SECOND) * 100);
    }

    public static Duration toDuration(long ticks) {
        return Duration.ofSeconds(Math.floorDiv(ticks, PER_SECOND), Math.floorMod(ticks, PER_SECOND) * 100);
    }
}
