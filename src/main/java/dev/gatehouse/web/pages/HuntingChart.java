// The chart of a hunting result: what its final render asks for, or a count over time when the result is one.
package dev.gatehouse.web.pages;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SequencedSet;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.kql.KqlType;
import dev.gatehouse.kql.QueryResult;
import dev.gatehouse.kql.Values;

/**
 * Reads a result as Defender's chart does. A final {@code render timechart} (or {@code linechart}, {@code areachart},
 * {@code stackedareachart}, {@code scatterchart}) draws lines: x is the first datetime column (or {@code with
 * (xcolumn=...)}), y every numeric column (or {@code ycolumns}). {@code columnchart}, {@code barchart} and {@code
 * piechart} draw bars (uPlot has no pie): x is the first column that isn't a number, each of its values a bar. A
 * string column besides x and y splits y into one series per value ({@code summarize count() by bin(Timestamp, 1h),
 * EmailDirection}). With no render, a result with a datetime column and a numeric one is drawn as a timechart.
 * Rows with the same x add up. At most {@value #MAX_SERIES} series and {@value #MAX_CATEGORIES} bars are drawn; the
 * caption says when more were left out. The spec is app.js's: {@code {title, x, series: [{label, values}], bars, yLabel,
 * time, categories}}. Series labels and category names come from mail (subjects, addresses): the page writes the spec
 * into an attribute, never as markup or script, and uPlot writes labels as text.
 */
public final class HuntingChart {
    static final Set<String> LINES = Set.of("timechart", "linechart", "areachart", "stackedareachart", "scatterchart");
    static final Set<String> BARS = Set.of("columnchart", "barchart", "piechart");
    static final int MAX_SERIES = 10;
    static final int MAX_CATEGORIES = 50;

    /**
     * What the page shows: the chart's spec as JSON text (null when there is none) and a sentence about it (null when
     * none is needed). The page puts the spec in the figure's {@code data-chart} attribute, escaped as any attribute.
     */
    public record Drawing(String spec, String caption) {
        static final Drawing NONE = new Drawing(null, null);
    }

    private HuntingChart() {}

    static Drawing of(QueryResult r) {
        String viz = r.visualization() == null ? null : r.visualization().toLowerCase(Locale.ROOT);
        if (viz != null && !LINES.contains(viz) && !BARS.contains(viz)) {
            return new Drawing(null, "render " + viz + " isn't drawn here: this page draws timechart, linechart, areachart, "
                    + "scatterchart, columnchart, barchart and piechart (as bars). The rows are below.");
        }
        if (r.rows().isEmpty()) return viz == null ? Drawing.NONE : new Drawing(null, "render " + viz + ": no rows to draw.");
        boolean bars = viz != null && BARS.contains(viz);
        Map<String, String> with = r.renderProperties() == null ? Map.of() : r.renderProperties();
        int x = column(r, with.get("xcolumn"));
        if (x < 0) x = bars ? firstNotNumeric(r) : first(r, KqlType.DATETIME);
        List<Integer> ys = ys(r, x, with.get("ycolumns"));
        if (x < 0 || ys.isEmpty()) {
            return viz == null ? Drawing.NONE : new Drawing(null, "render " + viz + " has nothing to draw: it needs "
                    + (bars ? "a column to label the bars" : "a datetime column") + " and a numeric column.");
        }
        return draw(r, x, ys, splitColumn(r, x, ys), bars, viz, with);
    }

    private static Drawing draw(QueryResult r, int x, List<Integer> ys, int split, boolean bars, String viz, Map<String, String> with) {
        KqlType xType = r.columns().get(x).type();
        boolean categories = !xType.isNumeric() && xType != KqlType.DATETIME;
        SequencedSet<Object> keys = categories ? new LinkedHashSet<>() : new TreeSet<>();
        Set<Object> allKeys = new HashSet<>();
        for (Object[] row : r.rows()) {
            Object k = key(xType, row[x]);
            if (k != null && allKeys.add(k) && (!categories || keys.size() < MAX_CATEGORIES)) keys.add(k);
        }
        Map<Object, Integer> position = new LinkedHashMap<>();
        for (Object k : keys) position.put(k, position.size());
        Map<String, Double[]> series = new LinkedHashMap<>();
        Set<String> allSeries = new LinkedHashSet<>();
        for (Object[] row : r.rows()) {
            Integer at = position.get(key(xType, row[x]));
            for (int y : ys) {
                String label = label(r, row, y, ys.size(), split);
                allSeries.add(label);
                Double[] values = series.get(label);
                if (values == null) {
                    if (series.size() >= MAX_SERIES) continue;
                    series.put(label, values = new Double[keys.size()]);
                }
                if (at != null && row[y] != null) values[at] = (values[at] == null ? 0 : values[at]) + ((Number) row[y]).doubleValue();
            }
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (with.get("title") != null) out.put("title", with.get("title"));
        ArrayNode xs = out.putArray("x");
        ArrayNode names = categories ? out.putArray("categories") : null;
        for (Object k : keys) {
            if (categories) {
                xs.add(names.size());
                names.add((String) k);
            } else {
                xs.add(xType == KqlType.DATETIME ? ((Long) k) / 1e7 : (Double) k); // datetimes as epoch seconds
            }
        }
        ArrayNode list = out.putArray("series");
        series.forEach((label, values) -> {
            ArrayNode v = list.addObject().put("label", label).putArray("values");
            for (Double d : values) v.add(d);
        });
        out.put("bars", bars);
        out.put("time", xType == KqlType.DATETIME);
        out.put("yLabel", with.getOrDefault("ytitle", ys.size() == 1 ? r.columns().get(ys.getFirst()).name() : ""));
        return new Drawing(out.toString(), caption(r, x, ys, split, viz, allSeries.size(), allKeys.size()));
    }

    /** The x value to group by: ticks for a datetime, a number, or the text of anything else (null is no point). */
    private static Object key(KqlType type, Object v) {
        if (v == null) return null;
        if (type == KqlType.DATETIME) return v;
        if (type.isNumeric()) return ((Number) v).doubleValue();
        String text = Values.toText(type, v);
        return text.isEmpty() ? "(empty)" : text;
    }

    private static String label(QueryResult r, Object[] row, int y, int yCount, int split) {
        String name = r.columns().get(y).name();
        if (split < 0) return name;
        String value = Values.toText(r.columns().get(split).type(), row[split]);
        if (value.isEmpty()) value = "(empty)";
        return yCount == 1 ? value : value + " " + name;
    }

    private static String caption(QueryResult r, int x, List<Integer> ys, int split, String viz, int seriesSeen, int categoriesSeen) {
        List<String> names = new ArrayList<>();
        for (int y : ys) names.add(r.columns().get(y).name());
        String s = String.join(", ", names) + " by " + r.columns().get(x).name() + (split >= 0 ? " and " + r.columns().get(split).name() : "")
                + (viz == null ? " (drawn because the result has a datetime and a numeric column)" : " (render " + viz + ")");
        if (seriesSeen > MAX_SERIES) s += "; the first " + MAX_SERIES + " series of " + seriesSeen + " are drawn";
        if (categoriesSeen > MAX_CATEGORIES) s += "; the first " + MAX_CATEGORIES + " bars of " + categoriesSeen + " are drawn";
        return s + ".";
    }

    private static int column(QueryResult r, String name) {
        if (name == null) return -1;
        for (int i = 0; i < r.columns().size(); i++) if (r.columns().get(i).name().equals(name.strip())) return i;
        return -1;
    }

    private static int first(QueryResult r, KqlType type) {
        for (int i = 0; i < r.columns().size(); i++) if (r.columns().get(i).type() == type) return i;
        return -1;
    }

    private static int firstNotNumeric(QueryResult r) {
        for (int i = 0; i < r.columns().size(); i++) if (!r.columns().get(i).type().isNumeric()) return i;
        return -1;
    }

    /** The y columns: those named by {@code ycolumns}, or every numeric column but x. */
    private static List<Integer> ys(QueryResult r, int x, String named) {
        List<Integer> out = new ArrayList<>();
        if (named != null) {
            for (String n : named.split(",")) {
                int i = column(r, n);
                if (i >= 0 && i != x && r.columns().get(i).type().isNumeric()) out.add(i);
            }
            if (!out.isEmpty()) return out;
        }
        for (int i = 0; i < r.columns().size(); i++) if (i != x && r.columns().get(i).type().isNumeric()) out.add(i);
        return out;
    }

    /** The first string column that is neither x nor a y: its values name the series. */
    private static int splitColumn(QueryResult r, int x, List<Integer> ys) {
        for (int i = 0; i < r.columns().size(); i++) {
            if (i != x && !ys.contains(i) && r.columns().get(i).type() == KqlType.STRING) return i;
        }
        return -1;
    }
}
