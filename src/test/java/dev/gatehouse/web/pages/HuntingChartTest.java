// HuntingChartTest: which hunting results the page draws, and how (lines or bars, x, series, categories), from real KQL results.
package dev.gatehouse.web.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatehouse.hunting.HuntingTables;
import dev.gatehouse.kql.KqlEngine;
import dev.gatehouse.kql.QueryResult;

class HuntingChartTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Three hourly bins, the middle one twice (two directions), given out of order. */
    static final String HOURLY = "datatable(Timestamp:datetime, EmailDirection:string, Messages:long)["
            + "datetime(2026-01-01T11:00:00Z), 'Inbound', 5, datetime(2026-01-01T10:00:00Z), 'Inbound', 2, "
            + "datetime(2026-01-01T11:00:00Z), 'Outbound', 1, datetime(2026-01-01T12:00:00Z), 'Inbound', 7]";

    static QueryResult run(String query) {
        return KqlEngine.run(query, new HuntingTables(Instant.now(), 1000).catalog(1), KqlEngine.Options.defaults(Instant.now()), () -> false);
    }

    static JsonNode spec(String query) throws Exception {
        HuntingChart.Drawing d = HuntingChart.of(run(query));
        assertThat(d.spec()).as("a chart for %s", query).isNotNull();
        return JSON.readTree(d.spec());
    }

    static List<String> labels(JsonNode spec) {
        List<String> out = new ArrayList<>();
        spec.path("series").forEach(s -> out.add(s.path("label").asText()));
        return out;
    }

    @Test void aCountOverTimeIsDrawnAsLinesWithoutARender() throws Exception {
        JsonNode spec = spec(HOURLY + " | summarize Messages = sum(Messages) by Timestamp");
        assertThat(spec.path("bars").asBoolean()).isFalse();
        assertThat(spec.path("time").asBoolean()).isTrue();
        List<Long> x = new ArrayList<>();
        spec.path("x").forEach(n -> x.add(n.asLong()));
        assertThat(x).as("epoch seconds, in order").containsExactly(Instant.parse("2026-01-01T10:00:00Z").getEpochSecond(),
                Instant.parse("2026-01-01T11:00:00Z").getEpochSecond(), Instant.parse("2026-01-01T12:00:00Z").getEpochSecond());
        assertThat(labels(spec)).containsExactly("Messages");
        assertThat(spec.path("series").get(0).path("values").toString()).isEqualTo("[2.0,6.0,7.0]");
        assertThat(HuntingChart.of(run(HOURLY + " | summarize Messages = sum(Messages) by Timestamp")).caption())
                .isEqualTo("Messages by Timestamp (drawn because the result has a datetime and a numeric column).");
    }

    @Test void aStringColumnSplitsTheSeriesAndAMissingPointIsAGap() throws Exception {
        JsonNode spec = spec(HOURLY + " | render timechart");
        assertThat(labels(spec)).containsExactly("Inbound", "Outbound");
        assertThat(spec.path("series").get(0).path("values").toString()).isEqualTo("[2.0,5.0,7.0]");
        assertThat(spec.path("series").get(1).path("values").toString()).isEqualTo("[null,1.0,null]");
    }

    @Test void aColumnchartOfTextDrawsNamedBarsAndKeepsTheTitle() throws Exception {
        JsonNode spec = spec(HOURLY + " | summarize Messages = sum(Messages) by EmailDirection | render columnchart with (title='By direction')");
        assertThat(spec.path("bars").asBoolean()).isTrue();
        assertThat(spec.path("time").asBoolean()).isFalse();
        assertThat(spec.path("categories").toString()).isEqualTo("[\"Inbound\",\"Outbound\"]");
        assertThat(spec.path("x").toString()).isEqualTo("[0,1]");
        assertThat(spec.path("series").get(0).path("values").toString()).isEqualTo("[14.0,1.0]");
        assertThat(spec.path("title").asText()).isEqualTo("By direction");
        assertThat(spec(HOURLY + " | summarize n = count() by EmailDirection | render piechart").path("bars").asBoolean())
                .as("a pie is drawn as bars").isTrue();
    }

    @Test void aResultWithNothingToDrawHasNoChartAndARenderSaysWhy() {
        assertThat(HuntingChart.of(run(HOURLY + " | project EmailDirection, Messages"))).isEqualTo(HuntingChart.Drawing.NONE);
        assertThat(HuntingChart.of(run(HOURLY + " | project EmailDirection | render timechart")).caption())
                .isEqualTo("render timechart has nothing to draw: it needs a datetime column and a numeric column.");
        assertThat(HuntingChart.of(run(HOURLY + " | render table")).caption()).startsWith("render table isn't drawn here");
        assertThat(HuntingChart.of(run(HOURLY + " | where Messages > 100 | render timechart")).caption())
                .isEqualTo("render timechart: no rows to draw.");
    }

    @Test void atMostTenSeriesAreDrawnAndTheCaptionSaysSo() throws Exception {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 12; i++) rows.append(i == 0 ? "" : ", ").append("datetime(2026-01-01), 'sender").append(i).append("', ").append(i);
        String query = "datatable(Timestamp:datetime, Sender:string, n:long)[" + rows + "] | render timechart";
        assertThat(labels(spec(query))).hasSize(HuntingChart.MAX_SERIES);
        assertThat(HuntingChart.of(run(query)).caption()).endsWith("; the first 10 series of 12 are drawn.");
    }
}
