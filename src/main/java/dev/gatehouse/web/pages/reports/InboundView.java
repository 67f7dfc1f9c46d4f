// What the Inbound messages page shows for one request: the form as typed with its errors, the totals, charts and details.
package dev.gatehouse.web.pages.reports;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.gatehouse.trace.InboundMessagesReport;
import dev.gatehouse.trace.InboundMessagesReport.Row;

/**
 * The model of {@code reports/inbound.jte}. The report's rows are the cmdlet's; this only orders them, keeps those the
 * quick search matches, and cuts them into pages of {@link #PAGE_SIZE}. The quick search matches the date as shown,
 * the connector's direction and name, and its type (not case-sensitive); the charts and totals are of the whole
 * report, as in Exchange's admin centre, where the search narrows the details only.
 *
 * @param errors     the cmdlet's errors by form field ({@code StartDate}, {@code EndDate}, {@code Granularity},
 *                   {@code ConnectorName}); {@code ""} holds those that name none of them
 * @param connectors the connector list's choices: "No connector", then the organization's inbound connectors
 * @param totals     of the whole report: null when it couldn't run
 */
public record InboundView(InboundQuery query, Map<String, String> errors, String earliestDay, String today, List<String> connectors,
                          Totals totals, InboundCharts charts, List<Row> rows, int matched, int first, List<Header> headers,
                          List<Preset> presets, String previous, String next, String csv) {

    static final int PAGE_SIZE = 100;
    static final Set<String> FIELDS = Set.of("StartDate", "EndDate", "Granularity", "ConnectorName");
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** Messages in the report: all, those through no connector (Direct Send), and those without TLS. */
    public record Totals(long volume, long noConnector, long noTls) {
        public int percent(long part) { return volume == 0 ? 0 : (int) Math.round(100.0 * part / volume); }
    }

    /** A column heading: a link that sorts by it (the other way when it is the current order), and its aria-sort. */
    public record Header(String heading, boolean count, String href, String ariaSort) {}

    /** "Last 7 days" and the like: the range of the last {@code days} days, today included. */
    public record Preset(String label, String href, boolean current) {}

    /** The view of a report that ran ({@code rows}) or failed ({@code errors} not empty, {@code rows} empty). */
    static InboundView of(InboundQuery q, List<Row> rows, Map<String, String> fieldErrors, List<String> connectorNames, Instant now) {
        Map<String, String> errors = new LinkedHashMap<>();
        fieldErrors.forEach((field, message) -> errors.merge(FIELDS.contains(field) ? field : "", message, (a, b) -> a + " " + b));
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        String earliest = LocalDate.ofInstant(now.minus(InboundMessagesReport.LOOKBACK), ZoneOffset.UTC).plusDays(1).toString();

        List<String> connectors = new ArrayList<>();
        connectors.add(InboundMessagesReport.NO_CONNECTOR);
        connectors.addAll(connectorNames);
        if (!q.connector().isEmpty() && connectors.stream().noneMatch(c -> c.equalsIgnoreCase(q.connector()))) connectors.add(q.connector());

        List<Row> matching = details(q, rows);
        int pages = Math.max(1, (matching.size() + PAGE_SIZE - 1) / PAGE_SIZE);
        int page = Math.min(q.page(), pages);
        int first = (page - 1) * PAGE_SIZE;
        List<Row> shown = matching.subList(first, Math.min(matching.size(), first + PAGE_SIZE));

        Totals totals = errors.isEmpty() ? totals(rows) : null;
        InboundCharts charts = errors.isEmpty() ? InboundCharts.of(rows, day(q.startDate(), 0), day(q.endDate(), 1), period(q), now,
                q.connector().isEmpty()) : null;
        return new InboundView(q, errors, earliest, today.toString(), connectors, totals, charts, shown, matching.size(), first,
                headers(q, InboundColumn.named(q.sort())), presets(q, today), page > 1 ? q.onPage(page - 1).href("/reports/inbound") : null,
                page < pages ? q.onPage(page + 1).href("/reports/inbound") : null, q.onPage(1).href("/reports/inbound.csv"));
    }

    /** The rows the CSV export holds: exactly the details table's, every page of it, in its order. */
    static List<Row> details(InboundQuery q, List<Row> rows) {
        InboundColumn sort = InboundColumn.named(q.sort());
        return rows.stream().filter(r -> matches(r, q)).sorted(sort == null ? InboundColumn.Date.order(true) : sort.order(q.descending()))
                .toList();
    }

    public String error(String field) { return errors.get(field); }

    /** The date as the table shows it: the day, or the day and hour for an hourly report (UTC). */
    public String date(Row r) { return (query.hourly() ? HOUR : DAY).format(r.Date()); }

    public int last() { return first + rows.size(); }

    /** A count with thousands separators: 12,345. */
    public String count(long n) { return String.format(Locale.ROOT, "%,d", n); }

    private static boolean matches(Row r, InboundQuery q) {
        if (q.q().isEmpty()) return true;
        String needle = q.q().toLowerCase(Locale.ROOT);
        String date = (q.hourly() ? HOUR : DAY).format(r.Date());
        return date.contains(needle) || r.ConnectorDirectionAndName().toLowerCase(Locale.ROOT).contains(needle)
                || r.ConnectorType().toLowerCase(Locale.ROOT).contains(needle);
    }

    private static Totals totals(List<Row> rows) {
        long volume = 0, none = 0, noTls = 0;
        for (Row r : rows) {
            volume += r.Volume();
            noTls += r.NoTls();
            if (r.ConnectorDirectionAndName().equals(InboundCharts.NO_CONNECTOR)) none += r.Volume();
        }
        return new Totals(volume, none, noTls);
    }

    private static List<Header> headers(InboundQuery q, InboundColumn current) {
        InboundColumn shown = current == null ? InboundColumn.Date : current;
        boolean desc = current == null || q.descending();
        List<Header> out = new ArrayList<>();
        for (InboundColumn c : InboundColumn.values()) {
            boolean on = c == shown;
            boolean nextDesc = on ? !desc : c.descendingFirst();
            out.add(new Header(c.heading, c.count, q.sortedBy(c.name(), nextDesc).href("/reports/inbound"),
                    on ? (desc ? "descending" : "ascending") : null));
        }
        return out;
    }

    private static List<Preset> presets(InboundQuery q, LocalDate today) {
        List<Preset> out = new ArrayList<>();
        for (int days : new int[] {7, 30, 90}) {
            String start = today.minusDays(days - 1).toString();
            InboundQuery p = new InboundQuery(start, today.toString(), q.granularity(), q.connector(), "", "", true, 1);
            out.add(new Preset("Last " + days + " days", p.href("/reports/inbound"),
                    start.equals(q.startDate()) && today.toString().equals(q.endDate())));
        }
        return out;
    }

    /** The midnight {@code plusDays} after a day typed as {@code yyyy-MM-dd}, or null for anything else. */
    private static Instant day(String typed, int plusDays) {
        try {
            return LocalDate.parse(typed).plusDays(plusDays).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Duration period(InboundQuery q) { return q.hourly() ? Duration.ofHours(1) : Duration.ofDays(1); }
}
