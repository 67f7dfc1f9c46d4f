// Format-Table and Format-List layout as an admin reads it: right-aligned numeric columns (header too, as in
// PowerShell), the 40 and 200 character caps, columns from the first object, the default view of mixed
// output, and how single values print inside cells.
package dev.gatehouse.cmdlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TextFormatterTest {
    record Row(String name, int size) {}

    record OtherRow(String name, int size) {}

    /** A map with the keys and values in the order given. */
    static Map<String, Object> row(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    static String table(boolean autoSize, Object... objects) {
        return TextFormatter.table(Arrays.asList(objects), null, autoSize);
    }

    @Test void numericColumnsAreRightAlignedHeaderAndDashesIncluded() {
        assertThat(table(false, row("Name", "contoso.com", "Size", 1234567), row("Name", "fab.com", "Size", 12))).isEqualTo("""
                Name           Size
                ----           ----
                contoso.com 1234567
                fab.com          12
                """);
    }

    @Test void aColumnWithEmptyCellsStaysNumericButAnyTextMakesItLeftAligned() {
        assertThat(table(false, row("Id", "a", "Count", 1000), row("Id", "b", "Count", null))).isEqualTo("""
                Id Count
                -- -----
                a   1000
                b
                """);
        assertThat(table(false, row("Id", "a", "Count", 1000), row("Id", "b", "Count", "n/a"))).isEqualTo("""
                Id Count
                -- -----
                a  1000
                b  n/a
                """);
    }

    @Test void headersLongerThanTheCapAreCutAndUnderlinedToTheCap() {
        String name = "P".repeat(45);
        String out = table(false, row(name, "x"), row(name, "y"));
        assertThat(out.split("\n")).containsExactly("P".repeat(37) + "...", "-".repeat(40), "x", "y");
        assertThat(table(true, row(name, "x"), row(name, "y")).split("\n")).containsExactly(name, "-".repeat(45), "x", "y");
    }

    @Test void autoSizeLetsColumnsGrowOnlyUpTo200Characters() {
        String value = "v".repeat(250);
        String out = table(true, row("Note", value), row("Note", "short"));
        assertThat(out.split("\n")[2]).isEqualTo("v".repeat(197) + "...");
        assertThat(table(false, row("Note", value), row("Note", "short")).split("\n")[2]).isEqualTo("v".repeat(37) + "...");
    }

    @Test void columnsComeFromTheFirstObjectAndLineBreaksBecomeSpaces() {
        assertThat(table(false, row("A", 1, "B", "two\r\nlines"), row("B", "3", "C", "dropped"))).isEqualTo("""
                A B
                - -
                1 two lines
                  3
                """);
    }

    @Test void propertyPatternsPickColumnsInTheOrderGiven() {
        List<Object> rows = List.of(row("Name", "a", "Size", 1, "Note", "n"), row("Name", "b", "Size", 22, "Note", "m"));
        assertThat(TextFormatter.table(rows, List.of("Size", "name"), false)).isEqualTo("""
                Size Name
                ---- ----
                   1 a
                  22 b
                """);
        assertThat(TextFormatter.list(rows.subList(0, 1), List.of("N*"))).isEqualTo("""
                Name : a
                Note : n
                """);
    }

    @Test void theDefaultViewPrintsTablesForRunsListsForSingletonsAndTextAsItIs() {
        List<Object> out = List.of(new Row("a", 1), new Row("b", 2), "text", new FormattedText("pre\n"), row("Key", "v"));
        assertThat(TextFormatter.defaultOutput(out)).isEqualTo("""
                Name Size
                ---- ----
                a       1
                b       2
                text
                pre

                Key : v
                """);
    }

    @Test void objectsOfTheSameShapeShareATable() {
        assertThat(TextFormatter.defaultOutput(List.of(row("Name", "a"), row("name", "b")))).isEqualTo("""
                Name
                ----
                a
                b
                """);
        // records of two classes are two runs even with the same property names
        assertThat(TextFormatter.defaultOutput(List.of(new Row("a", 1), new OtherRow("b", 2)))).isEqualTo("""
                Name : a
                Size : 1

                Name : b
                Size : 2
                """);
    }

    @Test void cellsShowNestedListsMapsAndDatesAsPowerShellDoes() {
        assertThat(Display.format(List.of("a", List.of("b", "c")))).isEqualTo("{a, {b, c}}");
        assertThat(Display.format(row("Add", List.of("x@contoso.com"), "Remove", null))).isEqualTo("{Add={x@contoso.com}, Remove=}");
        assertThat(Display.format(new Object[] {true, 3})).isEqualTo("{True, 3}");
        assertThat(Display.format(Optional.empty())).isEmpty();
        assertThat(Display.format(SampleOrg.DomainType.InternalRelay)).isEqualTo("InternalRelay");
        assertThat(Display.format(new java.math.BigDecimal("10"))).isEqualTo("10");
        assertThat(Display.format(List.of(OffsetDateTime.of(2025, 7, 1, 13, 5, 9, 0, ZoneOffset.UTC))))
                .isEqualTo("{7/1/2025 1:05:09 PM}");
        assertThat(Display.csv(List.of(true, SampleOrg.DomainType.Authoritative))).isEqualTo("True, Authoritative");
    }
}
