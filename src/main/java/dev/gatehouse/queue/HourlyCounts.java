// The reports' counts of a tenant's window, from the hours kept so far and live counts of the rest (decision web-report-aggregates).
package dev.gatehouse.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import dev.gatehouse.store.Store;

/**
 * The same answers as {@link MessageTrace#outcomesPerDay}, {@link MessageTrace#inboundVolume} and
 * {@link MessageTrace#directSend}, without walking every message of a long window each time: the closed hours are
 * counted once and kept ({@link KeptHours}), and only the hours that are open or still changing are walked again.
 * {@code now} decides which hours are closed; the home page, the inbound messages report and the Direct Send report
 * pass their clock's.
 */
public final class HourlyCounts {
    private static final long DAY = Duration.ofDays(1).toMillis();

    private final Store store;
    private final KeptHours hours;

    public HourlyCounts(Store store) {
        this.store = store;
        this.hours = new KeptHours(store);
    }

    /** {@link MessageTrace#outcomesPerDay}: the tenant's copies per UTC day and outcome, oldest day first. */
    public List<MessageTrace.DailyOutcome> outcomesPerDay(long tenantId, Instant start, Instant end, Instant now) {
        record Key(long day, String outcome) {}
        Map<Key, Long> sums = new TreeMap<>(Comparator.comparingLong(Key::day).thenComparing(Key::outcome));
        for (HourlyOutcomes.Hour h : hours.rows(HourlyOutcomes.KIND, tenantId, start, end, now)) {
            sums.merge(new Key(Math.floorDiv(h.hour() * KeptHours.HOUR, DAY) * DAY, h.outcome()), h.copies(), Long::sum);
        }
        List<MessageTrace.DailyOutcome> out = new ArrayList<>();
        sums.forEach((k, n) -> out.add(new MessageTrace.DailyOutcome(Instant.ofEpochMilli(k.day()), CopyOutcome.valueOf(k.outcome()), n)));
        return out;
    }

    /**
     * {@link MessageTrace#inboundVolume}: the tenant's messages per period, connector and TLS protocol, oldest period first.
     * A period shorter than an hour is counted live.
     */
    public List<MessageTrace.InboundVolume> inboundVolume(long tenantId, Instant start, Instant end, Duration period, Instant now) {
        long millis = period.toMillis();
        if (millis <= 0 || millis % KeptHours.HOUR != 0 || (DAY % millis != 0 && millis % DAY != 0)) {
            return new MessageTrace(store).inboundVolume(tenantId, start, end, period);
        }
        record Key(long periodStart, String connector, String tls) {}
        Map<Key, Long> sums = new TreeMap<>(Comparator.comparingLong(Key::periodStart).thenComparing(Key::connector)
                .thenComparing(Key::tls, Comparator.nullsFirst(Comparator.naturalOrder())));
        for (HourlyInbound.Hour h : hours.rows(HourlyInbound.KIND, tenantId, start, end, now)) {
            long periodStart = Math.floorDiv(h.hour() * KeptHours.HOUR, millis) * millis;
            sums.merge(new Key(periodStart, Objects.requireNonNull(h.connector()), h.tlsProtocol()), h.messages(), Long::sum);
        }
        List<MessageTrace.InboundVolume> out = new ArrayList<>();
        sums.forEach((k, n) -> out.add(new MessageTrace.InboundVolume(Instant.ofEpochMilli(k.periodStart()), k.connector(), k.tls(), n)));
        return out;
    }

    /**
     * The tenant's Direct Send copies received in {@code [start, end)}, summed per hour, client IP and MAIL FROM, in no
     * particular order: {@link MessageTrace#directSend}'s copies, added up.
     */
    public List<DirectSendSender> directSend(long tenantId, Instant start, Instant end, Instant now) {
        return hours.rows(HourlyDirectSend.KIND, tenantId, start, end, now);
    }

    /** Every kind of kept count, for the trace purge's {@link KeptHours#forgetBefore}. */
    static final List<HourlyKind<?>> KINDS = List.of(HourlyOutcomes.KIND, HourlyInbound.KIND, HourlyDirectSend.KIND);
}
