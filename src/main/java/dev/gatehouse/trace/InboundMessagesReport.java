// Get-InboundMessagesReport: the EAC "Inbound messages" report (spec §10), per period and connector, with TLS counts.
package dev.gatehouse.trace;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.gatehouse.connector.InboundConnector;
import dev.gatehouse.connector.InboundConnectorService;
import dev.gatehouse.directory.Names;
import dev.gatehouse.kernel.ValidationException;
import dev.gatehouse.queue.HourlyCounts;
import dev.gatehouse.queue.MessageTrace.InboundVolume;
import dev.gatehouse.store.Store;

/**
 * The report Exchange's admin centre shows under Reports › Mail flow › Inbound messages: one row per period
 * (a UTC day or hour) and connector the tenant's mail came in through, with the messages counted per TLS
 * version and in total. Mail that came through no connector (Direct Send, anonymous mail from the internet)
 * has its own row, "Inbound - No connector", so an admin sees how much of it there still is before turning
 * {@code RejectDirectSend} on.
 *
 * <p>The counting is done by the queue, which owns the message tables ({@link HourlyCounts#inboundVolume}: closed
 * hours counted once and kept, the rest walked live, decision web-report-aggregates): a
 * message counts once per tenant however many of the tenant's recipients it had, and a tenant counts only its
 * own recipients' messages, so a message to two organizations is one message in each one's report. The
 * connector is the one recorded when the message arrived; its type and {@code RequireTls} ("Forced TLS") are
 * read from the connector as it is now, so a connector deleted or renamed since shows type "-" and "No".
 *
 * <p>Columns are the admin centre's, plus TLS 1.3, which the spec infers newer tenants see (the server speaks
 * only TLS 1.2 and 1.3, so TLS 1.0 and 1.1 stay 0 unless an older record carries them). A protocol the
 * columns don't name is counted in Volume only. The limits are the admin centre's: the last 7 days by
 * default, at most 90 days back, {@code EndDate} (excluded) after {@code StartDate}; each refusal names the
 * parameter and its value.
 */
public final class InboundMessagesReport {

    /** How long each row's period is; periods start at UTC midnight or on the UTC hour. */
    public enum Granularity {
        Day(Duration.ofDays(1)), Hour(Duration.ofHours(1));

        final Duration period;

        Granularity(Duration period) { this.period = period; }
    }

    public static final Duration DEFAULT_SPAN = Duration.ofDays(7);
    public static final Duration LOOKBACK = Duration.ofDays(90);
    /** What the report calls mail that came through no connector; also accepted by {@code -ConnectorName}. */
    public static final String NO_CONNECTOR = "No connector";

    /**
     * One row, with the admin centre's columns as PowerShell property names. Counts are messages.
     *
     * @param Date                     the start of the period, UTC
     * @param ConnectorDirectionAndName "Inbound - " and the connector's name, or "Inbound - No connector"
     * @param ConnectorType            Partner or OnPremises; "-" for no connector, or one that no longer exists
     * @param ForcedTls                "Yes" when the connector has {@code RequireTls $true}, else "No"
     */
    public record Row(Instant Date, String ConnectorDirectionAndName, String ConnectorType, String ForcedTls, long NoTls, long Tls10,
                      long Tls11, long Tls12, long Tls13, long Volume) {}

    private final HourlyCounts counts;
    private final InboundConnectorService connectors;
    private final Clock clock;

    public InboundMessagesReport(Store store) { this(store, Clock.systemUTC()); }

    public InboundMessagesReport(Store store, Clock clock) {
        this.counts = new HourlyCounts(store);
        this.connectors = new InboundConnectorService(store);
        this.clock = clock;
    }

    /**
     * @param startDate      inclusive; null = 7 days before the end
     * @param endDate        excluded; null = now
     * @param connectorNames only these connectors (names not case-sensitive; "No connector" for the mail that
     *                       came through none); null or empty = every connector
     * @param granularity    null = {@link Granularity#Day}
     */
    public List<Row> run(long tenantId, Instant startDate, Instant endDate, List<String> connectorNames, Granularity granularity) {
        Instant[] window = window(startDate, endDate);
        Filter filter = Filter.of(connectorNames);
        Duration period = (granularity == null ? Granularity.Day : granularity).period;
        Map<String, InboundConnector> current = new HashMap<>();
        for (InboundConnector c : connectors.list(tenantId)) current.put(Names.nameKey(c.Name()), c);

        Map<String, Row> rows = new LinkedHashMap<>();
        for (InboundVolume v : counts.inboundVolume(tenantId, window[0], window[1], period, clock.instant())) {
            String connector = v.connector();
            if (!filter.accepts(connector)) continue;
            String key = v.periodStart().toEpochMilli() + "\0" + connector;
            Row before = rows.get(key);
            rows.put(key, add(before != null ? before : empty(v.periodStart(), connector, current), v.tlsProtocol(), v.messages()));
        }
        List<Row> out = new ArrayList<>(rows.values());
        out.sort(Comparator.comparing(Row::Date).thenComparing(Row::ConnectorDirectionAndName, String.CASE_INSENSITIVE_ORDER)
                .thenComparing(Row::ConnectorDirectionAndName));
        return out;
    }

    /** [start, end): defaults, the 90-day window and the order, each refusal naming the parameter and value. */
    Instant[] window(Instant startDate, Instant endDate) {
        Instant now = clock.instant();
        Instant earliest = now.minus(LOOKBACK);
        if (startDate != null && startDate.isBefore(earliest)) {
            throw new ValidationException("-StartDate '" + startDate + "' is too far back: the report covers the last 90 days, so the "
                    + "earliest start is " + shown(earliest) + ".");
        }
        if (endDate != null && !endDate.isAfter(earliest)) {
            throw new ValidationException("-EndDate '" + endDate + "' is too far back: the report covers the last 90 days, so the "
                    + "end must be later than " + shown(earliest) + ".");
        }
        if (startDate != null && endDate == null && !startDate.isBefore(now)) {
            throw new ValidationException("-StartDate '" + startDate + "' is in the future: without -EndDate the report ends now.");
        }
        Instant end = endDate != null ? endDate : now;
        Instant start = startDate != null ? startDate : end.minus(DEFAULT_SPAN);
        if (!end.isAfter(start)) {
            throw new ValidationException("-EndDate '" + end + "' must be later than -StartDate '" + start + "'.");
        }
        return new Instant[] {start.isBefore(earliest) ? earliest : start, end};
    }

    /** A limit as an admin would type it back: whole seconds, rounded up so that it is inside the window. */
    private static Instant shown(Instant limit) {
        Instant s = limit.truncatedTo(ChronoUnit.SECONDS);
        return s.equals(limit) ? s : s.plusSeconds(1);
    }

    private static Row empty(Instant date, String connector, Map<String, InboundConnector> current) {
        if (connector.isEmpty()) return new Row(date, "Inbound - " + NO_CONNECTOR, "-", "No", 0, 0, 0, 0, 0, 0);
        InboundConnector c = current.get(Names.nameKey(connector));
        return new Row(date, "Inbound - " + connector, c == null ? "-" : c.ConnectorType().name(),
                c != null && c.RequireTls() ? "Yes" : "No", 0, 0, 0, 0, 0, 0);
    }

    private static Row add(Row r, String tlsProtocol, long n) {
        String p = tlsProtocol == null ? "" : tlsProtocol;
        return new Row(r.Date(), r.ConnectorDirectionAndName(), r.ConnectorType(), r.ForcedTls(),
                r.NoTls() + (p.isEmpty() ? n : 0), r.Tls10() + (p.equals("TLSv1") ? n : 0), r.Tls11() + (p.equals("TLSv1.1") ? n : 0),
                r.Tls12() + (p.equals("TLSv1.2") ? n : 0), r.Tls13() + (p.equals("TLSv1.3") ? n : 0), r.Volume() + n);
    }

    /** {@code -ConnectorName}: connector names compared ignoring case; "No connector" (or NoConnector) for none. */
    private record Filter(Set<String> names, boolean noConnector) {
        static Filter of(List<String> values) {
            Set<String> names = new TreeSet<>();
            boolean none = false;
            if (values != null) {
                for (String v : values) {
                    if (v == null || v.isBlank()) continue;
                    String key = Names.nameKey(v.trim());
                    if (key.equals("no connector") || key.equals("noconnector")) none = true;
                    names.add(key);
                }
            }
            return new Filter(names, none);
        }

        boolean accepts(String connector) {
            if (names.isEmpty() && !noConnector) return true;
            return connector.isEmpty() ? noConnector : names.contains(Names.nameKey(connector));
        }
    }
}
