// How gatehouse hunt prints the hunting API's answer: an aligned table with a row count, or CSV.
package dev.gatehouse.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.cmdlet.CsvValues;

/**
 * The table: the query's columns in order under a header and a rule, values left-aligned (numbers right-aligned),
 * each column as wide as its widest value up to {@value #COLUMN_CAP} characters; when that is wider than the
 * terminal, the widest columns give way (down to {@value #MIN_WIDTH}). A value cut short ends in {@code …}. The
 * footer says how many rows, and that they were truncated when the server cut them.
 */
final class HuntOutput {
    static final int COLUMN_CAP = 40;
    static final int MIN_WIDTH = 8;

    private HuntOutput() {}

    static String table(JsonNode answer, int terminalWidth) {
        List<String> names = new ArrayList<>();
        List<Boolean> numeric = new ArrayList<>();
        for (JsonNode c : answer.path("Schema")) {
            names.add(c.path("Name").asText());
            numeric.add(List.of("Int32", "Int64", "Double").contains(c.path("Type").asText()));
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode r : answer.path("Results")) {
            List<String> row = new ArrayList<>();
            for (String n : names) row.add(cell(r.get(n)));
            rows.add(row);
        }
        int[] width = widths(names, rows, terminalWidth);
        StringBuilder sb = new StringBuilder();
        line(sb, names, width, numeric);
        line(sb, names.stream().map(n -> "-".repeat(n.length())).toList(), width, numeric);
        for (List<String> row : rows) line(sb, row, width, numeric);
        sb.append('\n').append(rows(rows.size()));
        if (answer.path("Truncated").asBoolean()) sb.append(" (truncated to ").append(rows(answer.path("RowLimit").asInt())).append(')');
        return sb.append('\n').toString();
    }

    private static String rows(int n) { return String.format(Locale.US, "%,d", n) + (n == 1 ? " row" : " rows"); }

    /** The rows as CSV with a header row (Export-Csv's quoting), columns in the query's order. */
    static String csv(JsonNode answer) {
        List<Object> rows = new ArrayList<>();
        for (JsonNode r : answer.path("Results")) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (JsonNode c : answer.path("Schema")) row.put(c.path("Name").asText(), cell(r.get(c.path("Name").asText())));
            rows.add(row);
        }
        if (rows.isEmpty()) { // still a header, so a script reading the file sees the columns
            Map<String, Object> header = new LinkedHashMap<>();
            for (JsonNode c : answer.path("Schema")) header.put(c.path("Name").asText(), "");
            String csv = CsvValues.render(List.of(header));
            return csv.substring(0, csv.indexOf(System.lineSeparator()) + System.lineSeparator().length());
        }
        return CsvValues.render(rows);
    }

    /** A value as text on one line: strings as they are, JSON values (dynamics) compact, null empty. */
    private static String cell(JsonNode v) {
        String s = v == null || v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toString();
        return s.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    }

    private static int[] widths(List<String> names, List<List<String>> rows, int terminalWidth) {
        int[] w = new int[names.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = names.get(i).length();
            for (List<String> r : rows) w[i] = Math.max(w[i], r.get(i).length());
            w[i] = Math.min(w[i], COLUMN_CAP);
        }
        if (terminalWidth <= 0) return w;
        int total = w.length == 0 ? 0 : w.length - 1;
        for (int x : w) total += x;
        while (total > terminalWidth) {
            int widest = 0;
            for (int i = 1; i < w.length; i++) if (w[i] > w[widest]) widest = i;
            if (w.length == 0 || w[widest] <= MIN_WIDTH) break; // as narrow as it sensibly gets: the line wraps
            w[widest]--;
            total--;
        }
        return w;
    }

    private static void line(StringBuilder sb, List<String> cells, int[] width, List<Boolean> right) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) l.append(' ');
            String c = fit(cells.get(i), width[i]);
            String pad = " ".repeat(width[i] - c.length());
            l.append(right.get(i) ? pad + c : c + pad);
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }

    private static String fit(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }

    /** The terminal's width when the output goes to one ($COLUMNS, else asked of the terminal); 0 when it doesn't. */
    static int terminalWidth() {
        if (System.console() == null || !System.console().isTerminal()) return 0;
        try {
            int cols = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "").strip());
            if (cols > 0) return cols;
        } catch (NumberFormatException ignored) {
            // not set: ask the terminal
        }
        try (org.jline.terminal.Terminal t = org.jline.terminal.TerminalBuilder.builder().system(true).build()) {
            return Math.max(0, t.getWidth());
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }
}
