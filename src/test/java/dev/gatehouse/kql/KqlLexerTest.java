// Tests of the KQL lexer: every lexical rule of spec §2.1 and the traps real hunting queries fall into.
package dev.gatehouse.kql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.kql.KqlToken.Kind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KqlLexerTest {
    /** The tokens of {@code text} without the final EOF. */
    private static List<KqlToken> tokens(String text) {
        List<KqlToken> all = KqlLexer.tokenize(text);
        assertThat(all.getLast().kind()).isEqualTo(Kind.EOF);
        return all.subList(0, all.size() - 1);
    }

    private static KqlToken only(String text) {
        List<KqlToken> t = tokens(text);
        assertThat(t).as("tokens of %s", text).hasSize(1);
        return t.getFirst();
    }

    private static void assertLexError(String text, String message) {
        assertThatThrownBy(() -> KqlLexer.tokenize(text)).isInstanceOf(KqlException.class).hasMessage(message);
    }

    // ---- timespans ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} = {1} ticks")
    @CsvSource({
        "30d, 25920000000000", "1day, 864000000000", "2days, 1728000000000",
        "1h, 36000000000", "1hour, 36000000000", "2hours, 72000000000", "4hr, 144000000000", "24hrs, 864000000000",
        "1m, 600000000", "0min, 0", "30min, 18000000000", "1minute, 600000000", "5minutes, 3000000000",
        "1s, 10000000", "10sec, 100000000", "1second, 10000000", "2seconds, 20000000",
        "10ms, 100000", "1milli, 10000", "2millis, 20000", "3millisec, 30000", "1millisecond, 10000", "5milliseconds, 50000",
        "1micro, 10", "1microsec, 10", "3microseconds, 30", "100nano, 1", "250nanoseconds, 2",
        "1tick, 1", "5ticks, 5",
        "1.5h, 54000000000", "0.5d, 432000000000", "2.5min, 1500000000",
    })
    void timespanLiteralsAreTicksForEverySuffixOfTheGrammar(String text, long ticks) {
        KqlToken t = only(text);
        assertThat(t.kind()).isEqualTo(Kind.LITERAL);
        assertThat(t.type()).isEqualTo(KqlType.TIMESPAN);
        assertThat(t.value()).isEqualTo(ticks);
    }

    @Test
    void aTimespanSuffixThatRunsOnIntoAnIdentifierMakesAnIdentifier() {
        assertThat(only("30dx").kind()).isEqualTo(Kind.IDENT);
        assertThat(only("10minutesx").kind()).isEqualTo(Kind.IDENT);
        assertThat(only("1d_").kind()).isEqualTo(Kind.IDENT);
    }

    // ---- identifiers and numbers -------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"5_Min_Count", "EmailEvents", "_x", "$left", "count_", "Timestamp1", "3rdParty"})
    void identifiersIncludeThoseStartingWithDigits(String text) {
        KqlToken t = only(text);
        assertThat(t.kind()).isEqualTo(Kind.IDENT);
        assertThat(t.text()).isEqualTo(text);
    }

    @Test
    void numbersAreLongsOrReals() {
        assertThat(only("42").value()).isEqualTo(42L);
        assertThat(only("0x1F").value()).isEqualTo(31L);
        assertThat(only("0X1f").type()).isEqualTo(KqlType.LONG);
        assertThat(only("1.5").value()).isEqualTo(1.5);
        assertThat(only("1e3").value()).isEqualTo(1000.0);
        assertThat(only("2.5E-2").value()).isEqualTo(0.025);
        assertThat(only("1e3").type()).isEqualTo(KqlType.REAL);
    }

    @Test
    void aRangeBetweenNumbersIsNotReadAsAFraction() {
        assertThat(tokens("1..5")).extracting(KqlToken::text).containsExactly("1", "..", "5");
        assertThat(tokens("0min.. 30min")).extracting(KqlToken::text).containsExactly("0min", "..", "30min");
    }

    @Test
    void outOfRangeIntegersAreErrors() {
        assertLexError("x == 99999999999999999999", "integer literal out of range at 1:6");
    }

    @Test
    void booleansInTheirSixSpellingsAndNoOthers() {
        for (String t : new String[] {"true", "TRUE", "True"}) assertThat(only(t).value()).isEqualTo(true);
        for (String t : new String[] {"false", "FALSE", "False"}) assertThat(only(t).value()).isEqualTo(false);
        assertThat(only("tRUE").kind()).isEqualTo(Kind.IDENT);
    }

    // ---- strings -----------------------------------------------------------------------------------------------

    @Test
    void quotedStringsDecodeBackslashEscapes() {
        assertThat(only("\"a\\\"b\\\\c\\n\\t\"").value()).isEqualTo("a\"b\\c\n\t");
        assertThat(only("'it\\'s'").value()).isEqualTo("it's");
        assertThat(only("'\\a\\b\\f\\r\\v'").value()).isEqualTo("\u0007\b\f\r\u000b");
        assertThat(only("\"\\u0041\\x42\\U0001F600\"").value()).isEqualTo("AB\uD83D\uDE00");
        assertThat(only("'\\101\\60\\7'").value()).isEqualTo("A0\u0007");
        assertThat(only("''").value()).isEqualTo("");
    }

    @Test
    void verbatimStringsKeepBackslashesAndDoubleTheirQuote() {
        assertThat(only("@\"C:\\temp\\\"\"x\"").value()).isEqualTo("C:\\temp\\\"x");
        assertThat(only("@'it''s'").value()).isEqualTo("it's");
        assertThat(only("@\"^[a-z]+\\d{2}$\"").value()).isEqualTo("^[a-z]+\\d{2}$");
    }

    @Test
    void obfuscatedStringsHaveTheSameValue() {
        KqlToken t = only("h\"secret\"");
        assertThat(t.value()).isEqualTo("secret");
        assertThat(t.text()).isEqualTo("h\"secret\"");
        assertThat(only("H@'a\\b'").value()).isEqualTo("a\\b");
        assertThat(only("h'x'").value()).isEqualTo("x");
        assertThat(tokens("h = 'x'")).extracting(KqlToken::kind).containsExactly(Kind.IDENT, Kind.PUNCT, Kind.STRING);
    }

    @Test
    void fencedStringsSpanLinesWithoutEscapes() {
        assertThat(only("```line1\nline \\n 2```").value()).isEqualTo("line1\nline \\n 2");
        assertThat(only("~~~a'b\"c~~~").value()).isEqualTo("a'b\"c");
        List<KqlToken> t = tokens("```a\nb``` x");
        assertThat(t.get(1).pos()).isEqualTo(new Pos(2, 6));
    }

    @Test
    void adjacentStringsStayTwoTokens() {
        assertThat(tokens("'a' 'b'")).extracting(KqlToken::value).containsExactly("a", "b");
    }

    @Test
    void badStringsArePositionedErrors() {
        assertLexError("EmailEvents | where Subject == \"abc", "unterminated string literal at 1:32");
        assertLexError("x == 'a\nb'", "unterminated string literal at 1:6");
        assertLexError("x == @\"abc", "unterminated string literal at 1:6");
        assertLexError("x == ```abc", "unterminated string literal at 1:6");
        assertLexError("x == \"a\\qb\"", "invalid escape sequence '\\q' at 1:8");
        assertLexError("x == \"\\u12\"", "invalid escape sequence '\\u' at 1:7");
    }

    // ---- operators ---------------------------------------------------------------------------------------------

    @Test
    void negatedAndCaseInsensitiveOperatorsAreOneToken() {
        assertThat(tokens("a !has b !in~ c in~ d !between e !contains_cs f !in g =~ h !~ i != j <> k .. l"))
                .filteredOn(t -> t.kind() == Kind.PUNCT)
                .extracting(KqlToken::text)
                .containsExactly("!has", "!in~", "in~", "!between", "!contains_cs", "!in", "=~", "!~", "!=", "<>", "..");
    }

    @Test
    void aBangBeforeAnOrdinaryWordIsALoneBang() {
        assertThat(tokens("!foo")).extracting(KqlToken::text).containsExactly("!", "foo");
    }

    // ---- typed literals ----------------------------------------------------------------------------------------

    @Test
    void datetimeLiteralsAreTicksSinceTheUnixEpoch() {
        assertThat(only("datetime(2025-01-01)").value()).isEqualTo(Ticks.of(Instant.parse("2025-01-01T00:00:00Z")));
        assertThat(only("datetime(2025-01-01 10:00:00)").value()).isEqualTo(Ticks.of(Instant.parse("2025-01-01T10:00:00Z")));
        assertThat(only("datetime(2025-01-01T10:00:00.1234567Z)").value())
                .isEqualTo(Ticks.of(Instant.parse("2025-01-01T10:00:00Z")) + 1_234_567);
        assertThat(only("datetime(2025-01-01T12:00:00+02:00)").value()).isEqualTo(Ticks.of(Instant.parse("2025-01-01T10:00:00Z")));
        assertThat(only("datetime(1970-01-01)").value()).isEqualTo(0L);
        KqlToken nul = only("datetime(null)");
        assertThat(nul.type()).isEqualTo(KqlType.DATETIME);
        assertThat(nul.value()).isNull();
    }

    @Test
    void timespanFunctionLiterals() {
        assertThat(only("time(2)").value()).isEqualTo(2 * Ticks.PER_DAY);
        assertThat(only("timespan(1.02:03:04.5)").value())
                .isEqualTo(Ticks.PER_DAY + 2 * Ticks.PER_HOUR + 3 * Ticks.PER_MINUTE + 45 * Ticks.PER_SECOND / 10);
        assertThat(only("time(00:30:00)").value()).isEqualTo(30 * Ticks.PER_MINUTE);
        assertThat(only("time(1.5h)").value()).isEqualTo(54_000_000_000L);
        assertThat(only("time(-1d)").value()).isEqualTo(-Ticks.PER_DAY);
        assertThat(only("time(null)").value()).isNull();
        assertThat(only("time(null)").type()).isEqualTo(KqlType.TIMESPAN);
    }

    @Test
    void typedNumberAndBoolLiterals() {
        assertThat(only("int(5)")).extracting(KqlToken::type, KqlToken::value).containsExactly(KqlType.INT, 5L);
        assertThat(only("long(-3)")).extracting(KqlToken::type, KqlToken::value).containsExactly(KqlType.LONG, -3L);
        assertThat(only("long(0x10)").value()).isEqualTo(16L);
        assertThat(only("real(1.5)")).extracting(KqlToken::type, KqlToken::value).containsExactly(KqlType.REAL, 1.5);
        assertThat(only("double(null)")).extracting(KqlToken::type, KqlToken::value).containsExactly(KqlType.REAL, null);
        assertThat(only("decimal(2.5)")).extracting(KqlToken::type, KqlToken::value).containsExactly(KqlType.REAL, 2.5);
        assertThat(only("bool(true)")).extracting(KqlToken::type, KqlToken::value).containsExactly(KqlType.BOOL, true);
        assertThat(only("int(null)").value()).isNull();
        assertThat(only("guid(74BE27DE-1E4E-49D9-B579-FE0B331D3642)"))
                .extracting(KqlToken::type, KqlToken::value)
                .containsExactly(KqlType.STRING, "74be27de-1e4e-49d9-b579-fe0b331d3642");
    }

    @Test
    void aTypeNameNotFollowedByAParenthesisIsAWord() {
        assertThat(tokens("A:long, B:datetime)")).extracting(KqlToken::kind)
                .containsExactly(Kind.IDENT, Kind.PUNCT, Kind.IDENT, Kind.PUNCT, Kind.IDENT, Kind.PUNCT, Kind.IDENT, Kind.PUNCT);
    }

    @Test
    void badTypedLiteralsArePositionedErrors() {
        assertLexError("x > datetime(2025-13-01)", "invalid datetime literal '2025-13-01' at 1:5");
        assertLexError("x > datetime(2025-01-01", "unterminated datetime literal: no ')' at 1:5");
        assertLexError("print int(3000000000)", "int literal out of range '3000000000' at 1:7");
        assertLexError("print real(1.5x)", "invalid real literal '1.5x' at 1:7");
        assertLexError("print time(25:00:00)", "invalid timespan literal '25:00:00' at 1:7");
        assertLexError("print typeof(string)", "unsupported: typeof at 1:7");
    }

    // ---- whitespace, comments, positions -----------------------------------------------------------------------

    @Test
    void unicodeSpacesSeparateTokens() {
        assertThat(tokens("a\u00a0|\u2003b\u3000c\ufeffd\u200be")).extracting(KqlToken::text).containsExactly("a", "|", "b", "c", "d", "e");
    }

    @Test
    void commentsRunToTheEndOfTheLine() {
        assertThat(tokens("a // b | c\nd //\n// e")).extracting(KqlToken::text).containsExactly("a", "d");
        assertThat(tokens("a / b")).extracting(KqlToken::text).containsExactly("a", "/", "b");
    }

    @Test
    void positionsAreOneBasedLinesAndColumnsForEveryLineEnding() {
        List<KqlToken> t = tokens("EmailEvents\r\n| where x\n\t| take 1\rT");
        assertThat(t).extracting(KqlToken::pos).containsExactly(
                new Pos(1, 1), new Pos(2, 1), new Pos(2, 3), new Pos(2, 9), new Pos(3, 2), new Pos(3, 4), new Pos(3, 9), new Pos(4, 1));
    }

    @Test
    void theEndOfTheTextHasAPositionToo() {
        List<KqlToken> all = KqlLexer.tokenize("a\nbc");
        assertThat(all.getLast().pos()).isEqualTo(new Pos(2, 3));
    }

    @Test
    void unexpectedCharactersArePositioned() {
        assertLexError("EmailEvents\n| w# x", "unexpected character '#' at 2:4");
        assertLexError("a ~ b", "unexpected character '~' at 1:3");
        assertLexError("a \u0001", "unexpected character U+0001 at 1:3");
        assertLexError("a @b", "unexpected character '@' at 1:3");
    }
}
