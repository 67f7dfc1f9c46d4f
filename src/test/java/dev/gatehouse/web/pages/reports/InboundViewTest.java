// InboundViewTest: the details table's pages, quick search and order over many report rows (too many for a browser test).
package dev.gatehouse.web.pages.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gatehouse.trace.InboundMessagesReport.Row;

class InboundViewTest {
    static final Instant NOW = Instant.parse("2026-05-20T12:34:56Z");
    static final Instant DAY0 = Instant.parse("2026-05-01T00:00:00Z");

    /** 250 hourly rows, alternately through no connector and CP-IP, volume = the hour's number. */
    static List<Row> rows() {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            boolean none = i % 2 == 0;
            out.add(new Row(DAY0.plus(Duration.ofHours(i)), none ? "Inbound - No connector" : "Inbound - CP-IP", none ? "-" : "Partner",
                    "No", i, 0, 0, 0, 0, i));
        }
        return out;
    }

    static InboundQuery query(String q, String sort, boolean desc, int page) {
        return new InboundQuery("2026-05-01", "2026-05-20", "Hour", "", q, sort, desc, page);
    }

    @Test void theDetailsComeInPagesOfAHundredWithLinksBothWaysAndAPageBeyondTheLastShowsTheLast() {
        InboundView first = InboundView.of(query("", "", true, 1), rows(), Map.of(), List.of("CP-IP"), NOW);
        assertThat(first.rows()).hasSize(100);
        assertThat(first.matched()).isEqualTo(250);
        assertThat(first.rows().getFirst().Volume()).as("newest first").isEqualTo(249);
        assertThat(first.previous()).isNull();
        assertThat(first.next()).endsWith("&page=2");

        InboundView beyond = InboundView.of(query("", "", true, 9), rows(), Map.of(), List.of("CP-IP"), NOW);
        assertThat(beyond.rows()).hasSize(50);
        assertThat(beyond.first() + 1).isEqualTo(201);
        assertThat(beyond.last()).isEqualTo(250);
        assertThat(beyond.next()).isNull();
        assertThat(beyond.previous()).endsWith("&page=2");
        assertThat(beyond.csv()).as("the export is every page").doesNotContain("page=");
    }

    @Test void quickSearchMatchesTheDateAsShownTheConnectorAndItsTypeAndTheExportHoldsTheSame() {
        List<Row> rows = rows();
        assertThat(InboundView.details(query("2026-05-02 03:00", "", true, 1), rows)).extracting(Row::Volume).containsExactly(27L);
        assertThat(InboundView.details(query("cp-ip", "", true, 1), rows)).hasSize(125).allMatch(r -> r.ConnectorType().equals("Partner"));
        assertThat(InboundView.details(query("PARTNER", "", true, 1), rows)).hasSize(125);
        InboundView v = InboundView.of(query("no conn", "Volume", false, 1), rows, Map.of(), List.of(), NOW);
        assertThat(v.matched()).isEqualTo(125);
        assertThat(v.rows()).extracting(Row::Volume).startsWith(0L, 2L, 4L);
        assertThat(v.csv()).contains("q=no+conn", "sort=Volume", "dir=asc");
    }

    @Test void aColumnHeadingSortsByItAndTheCurrentOrderIsMarkedAndReversible() {
        InboundView byDate = InboundView.of(query("", "", true, 1), rows(), Map.of(), List.of(), NOW);
        assertThat(byDate.headers().getFirst().ariaSort()).isEqualTo("descending");
        assertThat(byDate.headers().getFirst().href()).contains("sort=Date", "dir=asc");
        assertThat(byDate.headers().get(1).href()).as("names sort A to Z first").contains("sort=ConnectorDirectionAndName", "dir=asc");
        assertThat(byDate.headers().getLast().href()).as("counts sort largest first").contains("sort=Volume", "dir=desc");

        InboundView byName = InboundView.of(query("", "ConnectorDirectionAndName", false, 1), rows(), Map.of(), List.of(), NOW);
        assertThat(byName.rows().getFirst().ConnectorDirectionAndName()).isEqualTo("Inbound - CP-IP");
        assertThat(byName.rows().getFirst().Date()).as("equal names keep date order").isEqualTo(DAY0.plus(Duration.ofHours(1)));
        assertThat(byName.headers().get(1).ariaSort()).isEqualTo("ascending");
    }

    @Test void anErrorForAParameterTheFormHasNoFieldForIsShownAtTheTopAndThereAreNoTotalsOrCharts() {
        InboundView v = InboundView.of(query("", "", true, 1), List.of(), Map.of("StartDate", "too far back", "Identity", "odd"), List.of(), NOW);
        assertThat(v.error("StartDate")).isEqualTo("too far back");
        assertThat(v.error("")).isEqualTo("odd");
        assertThat(v.totals()).isNull();
        assertThat(v.charts()).isNull();
    }
}
