// Unit tests of the output helpers: ObjectView, Display, tables, lists, JSON depth, CSV, sizes and dates.
package dev.gatehouse.cmdlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutputFormattingTest {
    record Inner(String name, int level) {}

    record Outer(String identity, Inner inner, Optional<String> note, ByteQuantifiedSize maxSize) {}

    private record Hidden(String secretName) {}

    @Test void recordPropertiesAreCapitalizedAndFoundIgnoringCase() {
        Outer o = new Outer("x", new Inner("n", 1), Optional.empty(), new ByteQuantifiedSize(1024));
        assertThat(ObjectView.propertyNames(o)).containsExactly("Identity", "Inner", "Note", "MaxSize");
        assertThat(ObjectView.property(o, "IDENTITY")).contains(new ObjectView.Property("Identity", "x"));
        assertThat(ObjectView.property(o, "note")).contains(new ObjectView.Property("Note", null));
        assertThat(ObjectView.property(o, "missing")).isEmpty();
        assertThat(ObjectView.propertyNames(new Hidden("s"))).containsExactly("SecretName");
        assertThat(ObjectView.property(new Hidden("s"), "secretname").orElseThrow().value()).isEqualTo("s");
    }

    @Test void mapsKeepTheirKeysAndOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", 1);
        m.put("a", 2);
        assertThat(ObjectView.propertyNames(m)).containsExactly("b", "a");
        assertThat(ObjectView.property(m, "B")).contains(new ObjectView.Property("b", 1));
    }

    @Test void valueTypesAreScalars() {
        assertThat(ObjectView.hasProperties(new ByteQuantifiedSize(1))).isFalse();
        assertThat(ObjectView.hasProperties(new FormattedText("x"))).isFalse();
        assertThat(ObjectView.hasProperties("text")).isFalse();
        assertThat(ObjectView.hasProperties(new Inner("a", 1))).isTrue();
    }

    @Test void displayFollowsPowerShell() {
        assertThat(Display.format(null)).isEmpty();
        assertThat(Display.format(true)).isEqualTo("True");
        assertThat(Display.format(List.of("a", "b"))).isEqualTo("{a, b}");
        assertThat(Display.format(List.of())).isEqualTo("{}");
        assertThat(Display.format(OffsetDateTime.of(2025, 7, 1, 0, 0, 0, 0, ZoneOffset.UTC))).isEqualTo("7/1/2025 12:00:00 AM");
        assertThat(Display.format(Instant.parse("2025-07-01T23:59:58Z"))).isEqualTo("7/1/2025 11:59:58 PM");
        assertThat(Display.format(LocalDate.of(2025, 12, 24))).isEqualTo("12/24/2025 12:00:00 AM");
        assertThat(Display.format(new java.math.BigDecimal("1.50"))).isEqualTo("1.5");
        assertThat(Display.format(Optional.of(3))).isEqualTo("3");
        assertThat(Display.csv(List.of("a", "b"))).isEqualTo("a, b");
    }

    @Test void byteQuantifiedSizePrintsLikeExchange() {
        assertThat(new ByteQuantifiedSize(0)).hasToString("0 B (0 bytes)");
        assertThat(new ByteQuantifiedSize(1023)).hasToString("1023 B (1,023 bytes)");
        assertThat(new ByteQuantifiedSize(1536)).hasToString("1.5 KB (1,536 bytes)");
        assertThat(new ByteQuantifiedSize(35L << 20)).hasToString("35 MB (36,700,160 bytes)");
        assertThat(ByteQuantifiedSize.parse("35 MB (36,700,160 bytes)")).contains(new ByteQuantifiedSize(35L << 20));
        assertThat(ByteQuantifiedSize.parse("99999999999PB")).isEmpty();
        assertThat(ByteQuantifiedSize.parse("-1")).isEmpty();
    }

    @Test void tablesOfDifferentShapesAreSeparate() {
        Map<String, Object> a = Map.of("A", 1);
        Map<String, Object> b = Map.of("B", 2);
        String out = TextFormatter.defaultOutput(List.of(a, a, b));
        assertThat(out).isEqualTo("A\n-\n1\n1\n\nB : 2\n");
    }

    @Test void listIndentsMultiLineValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", "x");
        m.put("Description", "line one\nline two");
        assertThat(TextFormatter.list(List.of(m), null)).isEqualTo("""
                Name        : x
                Description : line one
                              line two
                """);
    }

    @Test void tableReplacesNewlinesAndTruncatesNarrowColumns() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("N", "a\nb");
        assertThat(TextFormatter.table(List.of(m, m), null, false)).isEqualTo("N\n-\na b\na b\n");
    }

    @Test void jsonDepthTurnsDeepObjectsIntoStrings() {
        Outer o = new Outer("x", new Inner("n", 1), Optional.of("note"), new ByteQuantifiedSize(10L << 20));
        assertThat(JsonOutput.render(List.of(o), 2, true, false)).isEqualTo(
                "{\"Identity\":\"x\",\"Inner\":{\"Name\":\"n\",\"Level\":1},\"Note\":\"note\",\"MaxSize\":\"10 MB (10,485,760 bytes)\"}");
        assertThat(JsonOutput.render(List.of(o), 0, true, false)).contains("\"Inner\":\"Inner[name=n, level=1]\"");
        assertThat(JsonOutput.render(List.of(o), 2, true, true)).startsWith("[{");
        assertThat(JsonOutput.render(List.of(), 2, false, true)).isEqualTo("[]");
        assertThat(JsonOutput.render(List.of(Map.of("L", List.of())), 2, false, false)).isEqualTo("{\n  \"L\": []\n}");
    }

    @Test void csvOfScalarsHasAValueColumn() {
        String nl = System.lineSeparator();
        assertThat(CsvOutput.render(List.of("a", "b\"c"))).isEqualTo("\"Value\"" + nl + "\"a\"" + nl + "\"b\"\"c\"" + nl);
        assertThat(CsvOutput.render(List.of())).isEmpty();
    }

    @Test void wildcardsMatchPropertyNames() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("SenderAddress", 1);
        m.put("RecipientAddress", 2);
        m.put("Subject", 3);
        assertThat(TextFormatter.select(m, List.of("*address"))).containsExactly("SenderAddress", "RecipientAddress");
        assertThat(TextFormatter.select(m, List.of("subj?ct", "Nope"))).containsExactly("Subject", "Nope");
        assertThat(TextFormatter.select(m, List.of("*"))).containsExactly("SenderAddress", "RecipientAddress", "Subject");
    }
}
