// A chart's data for app.js: the JSON a page puts in <figure class="chart" data-chart="...">.
package dev.gatehouse.web;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The model of one chart (see app.js): a title, the periods (x, sent as epoch seconds), a series of values per
 * label, and the plot's height in pixels (0: app.js's default). A template writes it as
 * {@code <figure class="chart" data-chart="${chart.json()}">}.
 *
 * <p>Why an attribute and not {@code <script type="application/json">}: htmx (with {@code allowScriptTags} off, as
 * the layout sets it) drops every {@code <script>} from the content it swaps in, so a chart there would be lost on
 * the first partial update; and inside {@code <script>} JTE escapes for a JavaScript string literal ({@code "} becomes
 * {@code \"}, {@code -} becomes {@code \-}), which {@code JSON.parse} refuses. In an attribute JTE's escaping is
 * HTML's, which the browser undoes exactly: a label such as {@code </script><script>alert(1)</script>} can neither
 * end the attribute nor come out changed.
 */
public record ChartJson(String title, List<Instant> x, List<Series> series, boolean bars, String yLabel, int height) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One line (or set of bars): its legend label and one value per period. */
    public record Series(String label, List<Long> values) {}

    public ChartJson {
        x = List.copyOf(x);
        series = List.copyOf(series);
    }

    /** The JSON text, as app.js reads it. */
    public String json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", title);
        m.put("x", x.stream().map(Instant::getEpochSecond).toList());
        m.put("series", series);
        m.put("bars", bars);
        m.put("yLabel", yLabel);
        if (height > 0) m.put("height", height);
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a chart of strings and numbers always serializes", e);
        }
    }
}
