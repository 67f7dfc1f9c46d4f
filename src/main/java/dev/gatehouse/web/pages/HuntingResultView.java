// One page (100 rows) of a kept hunting result as the hunting page shows it: the schema, the cells as text, where it is.
package dev.gatehouse.web.pages;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.gatehouse.kql.ColumnarTable.Column;
import dev.gatehouse.kql.QueryResult;
import dev.gatehouse.kql.Values;

/**
 * The template's model ({@code hunting/result.jte}, {@code hunting/table.jte}). Cells are KQL's text of each value
 * ({@code tostring}: datetimes in ISO 8601 UTC, dynamics as JSON), the same text the CSV export writes; the template
 * escapes them. The chart is drawn from the whole result, not the page.
 *
 * @param runId   the kept result this page is of: the pager's and the export's links name it
 * @param page    1-based; {@code pages} is at least 1 (a result with no rows has one, empty)
 * @param summary "256 rows in 12 ms"
 * @param range   "Rows 101–200 of 256", or "No rows"
 */
public record HuntingResultView(String runId, List<Header> headers, List<List<Cell>> rows, int page, int pages, String summary,
                                String range, boolean truncated, String rowCap, HuntingChart.Drawing chart) {
    public static final int PAGE_ROWS = 100;

    /** A column of the result: its name and KQL type; numbers are right-aligned. */
    public record Header(String name, String type, boolean numeric) {
        static Header of(Column c) { return new Header(c.name(), c.type().kqlName(), c.type().isNumeric()); }
    }

    public record Cell(String text, boolean numeric) {}

    static HuntingResultView of(KeptHuntingResult kept, int page) {
        QueryResult r = kept.result();
        int total = r.rows().size();
        int pages = Math.max(1, (total + PAGE_ROWS - 1) / PAGE_ROWS);
        int p = Math.clamp(page, 1, pages);
        int from = (p - 1) * PAGE_ROWS;
        int to = Math.min(total, from + PAGE_ROWS);
        List<List<Cell>> rows = new ArrayList<>(to - from);
        for (Object[] row : r.rows().subList(from, to)) rows.add(cells(r.columns(), row));
        return new HuntingResultView(kept.id(), r.columns().stream().map(Header::of).toList(), rows, p, pages,
                rows(total) + " in " + took(kept.seconds()),
                total == 0 ? "No rows" : "Rows " + count(from + 1) + "\u2013" + count(to) + " of " + count(total),
                r.truncated(), count(r.rowCap()), HuntingChart.of(r));
    }

    /** A row as text, as the page and the CSV show it. */
    static List<Cell> cells(List<Column> columns, Object[] row) {
        List<Cell> out = new ArrayList<>(row.length);
        for (int i = 0; i < row.length; i++) {
            Column c = columns.get(i);
            out.add(new Cell(Values.toText(c.type(), row[i]), c.type().isNumeric()));
        }
        return out;
    }

    public boolean hasPrevious() { return page > 1; }

    public boolean hasNext() { return page < pages; }

    public boolean paged() { return pages > 1; }

    /** The address of page {@code n} of this result. */
    public String link(int n) { return "/hunting/result?run=" + runId + "&page=" + n; }

    private static String rows(int n) { return n == 1 ? "1 row" : count(n) + " rows"; }

    private static String count(int n) { return String.format(Locale.ROOT, "%,d", n); }

    /** "12 ms" under a second, "1.24 s" from there. */
    static String took(double seconds) {
        if (seconds < 1) return Math.max(1, Math.round(seconds * 1000)) + " ms";
        return String.format(Locale.ROOT, "%.2f s", seconds);
    }
}
