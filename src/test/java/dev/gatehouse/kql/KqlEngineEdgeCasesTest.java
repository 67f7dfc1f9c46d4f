// The engine fixes the robustness and fuzz tests led to, each pinned to the value Kusto gives (or to a clean error).
package dev.gatehouse.kql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each case once threw a Java exception out of {@link KqlEngine#run} or gave a value Kusto's documentation contradicts. */
class KqlEngineEdgeCasesTest {
    private final Tables db = HuntingSeed.catalog();

    private List<String> print(String exprs) { return Tables.text(db.run("print " + exprs)).getFirst(); }

    @Test
    void substringCountsANegativeStartFromTheEndAndClampsHugeLengths() {
        // Kusto's documented example: substring("123456", -2, 2) is "56"; a length past the end no longer overflows
        assertThat(print("substring('123456', -2, 2), substring('abc', 2, 9223372036854775807), substring('abc', 1, -1), substring('', -5, -1), substring('abc', -9)"))
                .containsExactly("56", "c", "", "", "abc");
    }

    @Test
    void notOfADynamicThatHoldsNoBoolIsNull() {
        QueryResult r = db.run("print a = not(dynamic(1)), b = not(parse_json('true')), c = not(dynamic(null))");
        assertThat(r.rows().getFirst()).containsExactly(null, false, null);
    }

    @Test
    void anInvalidRegexInCountofIsAnErrorAtItsPlace() {
        assertThatThrownBy(() -> db.run("print countof('aaa', '(', 'regex')")).isInstanceOf(KqlException.class)
                .hasMessageStartingWith("invalid regular expression '('").hasMessageEndingWith(" at 1:22");
        assertThat(print("countof('a.a.a', '.', 'regex'), countof('a.a.a', '.')")).containsExactly("5", "2");
    }

    @Test
    void replaceRegexRewritesAsRe2Does() {
        // \1 is a group, a missing group is empty, $ is literal text; an empty match right after a match is skipped
        assertThat(print("replace_regex('abc', '(b)', @'[\\1]'), replace_regex('abc', '(b)', @'\\9'), replace_regex('abc', 'b', '$1$'), "
                + "replace_regex('abc', 'b', @'\\'), replace_regex('baaa', 'a*', 'x'), replace_regex('abc', '', '-')"))
                .containsExactly("a[b]c", "ac", "a$1$c", "a\\c", "xbx", "-a-b-c-");
    }

    @Test
    void dateArithmeticThatLeavesTheDatetimeRangeIsNull() {
        QueryResult r = db.run("print a = datetime_add('year', 9223372036854775807, now()), b = datetime_add('day', -9223372036854775807, now()), "
                + "c = startofday(now(), 9223372036854775807), d = datetime_diff('nanosecond', datetime(9999-12-31), datetime(0001-01-01)), "
                + "e = datetime_add('microsecond', 9223372036854775807, now()), f = datetime_add('day', 1, datetime(2026-12-01))");
        assertThat(r.rows().getFirst()).containsExactly(null, null, null, null, null, Ticks.of(java.time.Instant.parse("2026-12-02T00:00:00Z")));
    }

    @Test
    void aFormatDatetimeThatJavaCannotReadIsAnErrorAtTheFormat() {
        assertThatThrownBy(() -> db.run("print format_datetime(now(), \"'\")")).isInstanceOf(KqlException.class)
                .hasMessageStartingWith("format_datetime can't use the format ''").hasMessageEndingWith(" at 1:30");
        assertThat(print("format_datetime(datetime(2026-12-01 13:05), 'yyyy-MM-dd HH:mm')")).containsExactly("2026-12-01 13:05");
    }

    @Test
    void aDatatableStringInADynamicColumnIsReadAsJson() {
        QueryResult r = db.run("datatable(b:dynamic)['{\"a\":1}', 'not json'] | extend a = b.a");
        assertThat(Tables.text(r)).containsExactly(List.of("{\"a\":1}", "1"), List.of("not json", ""));
    }

    @Test
    void aRegexOrFormatArgumentThatIsNoStringIsAnErrorAtItsPlace() {
        // found by the fuzzer: the pattern was cast to a string unchecked
        assertThatThrownBy(() -> db.run("print replace_regex('', 9223372036854775807, now())")).isInstanceOf(KqlException.class)
                .hasMessage("replace_regex needs a constant regular expression at 1:25");
        assertThatThrownBy(() -> db.run("print extract(1, 1, 'a')")).isInstanceOf(KqlException.class)
                .hasMessage("extract needs a constant regular expression at 1:15");
        assertThatThrownBy(() -> db.run("print format_datetime(now(), 5)")).isInstanceOf(KqlException.class)
                .hasMessage("format_datetime needs a constant format at 1:30");
    }

    @Test
    void aNumberOrDatetimeArgumentOfAnotherTypeIsAnErrorAtTheArgument() {
        // found by the fuzzer: substring('123456', @'\0x') cast the string to a number at run time
        assertThatThrownBy(() -> db.run("print substring('123456', @'x')")).isInstanceOf(KqlException.class)
                .hasMessage("'substring' needs a number here, but this is string at 1:27");
        for (String q : List.of("print dayofweek('x')", "print abs('x')", "print round('x', 1)", "print bin(5, 'x')", "print pow(2, 'x')",
                "print datetime_diff('day', now(), 1)", "print datetime_add('day', 'x', now())", "print split('a', 'b', 'c')",
                "print indexof('a', 'b', true)", "print extract('a', 'b', 'c')", "print startofday(now(), 'x')", "print hourofday(5)")) {
            assertThatThrownBy(() -> db.run(q)).as(q).isInstanceOf(KqlException.class).hasMessageContaining("needs a");
        }
        // a dynamic is read as the number or datetime it holds
        assertThat(print("substring('abcdef', parse_json('2'), dynamic(3)), round(dynamic(2.567), 2), abs(dynamic(-3)), "
                + "hourofday(todynamic('2026-12-01T13:00:00Z'))")).containsExactly("cde", "2.57", "3", "13");
        // huge digits and occurrences are clamped, not cast into small or negative ints
        assertThat(print("round(2.5, 2147483647), indexof('abcabc', 'c', 0, -1, 9223372036854775807), indexof('abcabc', 'c', 0, -1, 2)"))
                .containsExactly("2.5", "-1", "5");
    }
}
