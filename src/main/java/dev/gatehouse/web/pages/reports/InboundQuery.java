// What one request of Reports › Inbound messages asks for: the range, granularity, connector, quick search, order and page.
package dev.gatehouse.web.pages.reports;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.javalin.http.Context;

/**
 * The page's query string, as typed: fields are named after Get-InboundMessagesReport's parameters ({@code StartDate},
 * {@code EndDate}, {@code Granularity}, {@code ConnectorName}) so that the cmdlet's errors land on them, plus the
 * details table's quick search {@code q}, its order ({@code sort}, {@code dir}) and {@code page}. Nothing here is
 * checked: the cmdlet checks the report's parameters, and the table's own ones fall back to their defaults.
 *
 * <p>One difference from the cmdlet, the admin centre's: {@code EndDate} is a day <em>included</em> in the report (a
 * range picker's "to"), so the cmdlet gets the midnight after it.
 *
 * @param startDate   the first day, {@code yyyy-MM-dd} (UTC)
 * @param endDate     the last day, included
 * @param granularity Day or Hour
 * @param connector   one connector's name, "No connector", or "" for all
 */
public record InboundQuery(String startDate, String endDate, String granularity, String connector, String q, String sort,
                           boolean descending, int page) {

    /** The request's parameters; with no range, the last 7 days (today and the 6 before it, UTC). */
    static InboundQuery from(Context ctx, LocalDate today) {
        String start = param(ctx, "StartDate");
        String end = param(ctx, "EndDate");
        if (start.isEmpty() && end.isEmpty()) {
            start = today.minusDays(6).toString();
            end = today.toString();
        }
        String granularity = param(ctx, "Granularity");
        int page;
        try {
            page = Math.max(1, Integer.parseInt(param(ctx, "page")));
        } catch (NumberFormatException e) {
            page = 1;
        }
        return new InboundQuery(start, end, granularity.isEmpty() ? "Day" : granularity, param(ctx, "ConnectorName"), param(ctx, "q"),
                param(ctx, "sort"), !"asc".equals(param(ctx, "dir")), page);
    }

    private static String param(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null ? "" : v.strip();
    }

    public boolean hourly() { return "hour".equalsIgnoreCase(granularity); }

    /** Get-InboundMessagesReport's parameters: the days as typed, except a well-formed last day, which becomes the midnight after it. */
    Map<String, Object> cmdletParameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        if (!startDate.isEmpty()) p.put("StartDate", startDate);
        if (!endDate.isEmpty()) p.put("EndDate", dayAfter(endDate));
        p.put("Granularity", granularity);
        if (!connector.isEmpty()) p.put("ConnectorName", connector);
        return p;
    }

    private static String dayAfter(String day) {
        try {
            return LocalDate.parse(day).plusDays(1).toString();
        } catch (DateTimeParseException e) {
            return day; // not a day: the cmdlet says what is wrong with it
        }
    }

    InboundQuery sortedBy(String column, boolean desc) {
        return new InboundQuery(startDate, endDate, granularity, connector, q, column, desc, 1);
    }

    InboundQuery onPage(int n) { return new InboundQuery(startDate, endDate, granularity, connector, q, sort, descending, n); }

    /** {@code path} with this query: the fields that differ from an empty form, in a fixed order. */
    String href(String path) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("StartDate", startDate);
        p.put("EndDate", endDate);
        p.put("Granularity", granularity);
        p.put("ConnectorName", connector);
        p.put("q", q);
        p.put("sort", sort);
        if (!sort.isEmpty()) p.put("dir", descending ? "desc" : "asc");
        if (page > 1) p.put("page", String.valueOf(page));
        StringBuilder sb = new StringBuilder(path);
        char sep = '?';
        for (var e : p.entrySet()) {
            if (e.getValue().isEmpty()) continue;
            sb.append(sep).append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return sb.toString();
    }
}
