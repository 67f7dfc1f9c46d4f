// The Inbound messages report's two overview charts, drawn from its rows: message volume per connector, and messages by TLS.
package dev.gatehouse.web.pages.reports;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

import dev.gatehouse.trace.InboundMessagesReport;
import dev.gatehouse.trace.InboundMessagesReport.Row;
import dev.gatehouse.web.ChartJson;

/**
 * The admin centre's "Message volume" (one line for mail that came through no connector, one per connector) and
 * "Messages by TLS used" (one line per TLS version and one without TLS), over every period of the range, a period
 * without mail counting 0, so that a quiet day shows as a dip and not as a gap the line skips.
 */
public record InboundCharts(ChartJson volume, ChartJson tls) {
    private static final String PREFIX = "Inbound - ";
    static final String NO_CONNECTOR = PREFIX + InboundMessagesReport.NO_CONNECTOR;
    /** Low enough that on a laptop screen the details table starts above the fold. */
    private static final int HEIGHT = 210;
    /** 90 days of hours and a day to spare: more periods than a valid range has. */
    private static final int MAX_PERIODS = 91 * 24;

    /**
     * @param from   the first period's start (or null: the first row's)
     * @param until  the report's end, excluded (or null: after the last row); periods that start later than now are left out
     * @param every  the report is of every connector: the "No connector" line is drawn even at 0 throughout
     */
    static InboundCharts of(List<Row> rows, Instant from, Instant until, Duration period, Instant now, boolean every) {
        List<Instant> x = periods(rows, from, until, period, now);
        Map<Instant, Integer> at = new HashMap<>();
        for (int i = 0; i < x.size(); i++) at.put(x.get(i), i);

        Map<String, long[]> byConnector = new LinkedHashMap<>();
        if (every || rows.stream().anyMatch(r -> r.ConnectorDirectionAndName().equals(NO_CONNECTOR))) {
            byConnector.put(NO_CONNECTOR, new long[x.size()]);
        }
        rows.stream().map(Row::ConnectorDirectionAndName).filter(n -> !n.equals(NO_CONNECTOR)).sorted(String.CASE_INSENSITIVE_ORDER)
                .forEach(n -> byConnector.computeIfAbsent(n, k -> new long[x.size()]));
        for (Row r : rows) {
            Integer i = at.get(r.Date());
            if (i != null) byConnector.get(r.ConnectorDirectionAndName())[i] += r.Volume();
        }
        List<ChartJson.Series> volume = new ArrayList<>();
        byConnector.forEach((name, v) -> volume.add(new ChartJson.Series(name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name,
                list(v))));

        Map<String, ToLongFunction<Row>> versions = new LinkedHashMap<>();
        versions.put("No TLS", Row::NoTls);
        versions.put("TLS 1.0", Row::Tls10);
        versions.put("TLS 1.1", Row::Tls11);
        versions.put("TLS 1.2", Row::Tls12);
        versions.put("TLS 1.3", Row::Tls13);
        List<ChartJson.Series> tls = new ArrayList<>();
        versions.forEach((label, count) -> {
            long[] v = new long[x.size()];
            for (Row r : rows) {
                Integer i = at.get(r.Date());
                if (i != null) v[i] += count.applyAsLong(r);
            }
            tls.add(new ChartJson.Series(label, list(v)));
        });
        return new InboundCharts(new ChartJson("Message volume", x, volume, false, "Messages", HEIGHT),
                new ChartJson("Messages by TLS used", x, tls, false, "Messages", HEIGHT));
    }

    private static List<Instant> periods(List<Row> rows, Instant from, Instant until, Duration period, Instant now) {
        Instant first = from != null ? from : rows.isEmpty() ? now : rows.getFirst().Date();
        Instant end = until != null ? until : rows.isEmpty() ? now : rows.getLast().Date().plus(period);
        if (end.isAfter(now)) end = now;
        List<Instant> x = new ArrayList<>();
        for (Instant t = first; t.isBefore(end) && x.size() < MAX_PERIODS; t = t.plus(period)) x.add(t);
        if (x.isEmpty()) x.add(first);
        return x;
    }

    private static List<Long> list(long[] v) {
        List<Long> out = new ArrayList<>(v.length);
        for (long n : v) out.add(n);
        return out;
    }
}
