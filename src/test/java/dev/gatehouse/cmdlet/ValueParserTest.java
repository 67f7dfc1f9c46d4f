// Unit tests of ValueParser: numbers and multipliers, bare words, quoting rules, backtick escapes, comma lists,
// @( ) arrays and @{ } hashtables, each compared with what PowerShell's argument mode does.
package dev.gatehouse.cmdlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValueParserTest {

    /** The value of {@code -V} in {@code Set-Thing -V <text>}. */
    static Value value(String text) {
        ParseResult r = ScriptParser.parse("Set-Thing -V " + text);
        if (r instanceof ParseResult.Failed f) throw new AssertionError("unexpected " + f.error().formatted());
        ParsedCommand c = ((ParseResult.Parsed) r).script().pipelines().getFirst().commands().getFirst();
        assertThat(c.arguments()).as("arguments of %s", text).hasSize(1);
        return c.named("V").orElseThrow().value();
    }

    /** The syntax error for {@code Set-Thing -V <text>}; columns count from the start of that line. */
    static SyntaxError error(String text) {
        ParseResult r = ScriptParser.parse("Set-Thing -V " + text);
        assertThat(r).as("expected a syntax error for %s", text).isInstanceOf(ParseResult.Failed.class);
        return ((ParseResult.Failed) r).error();
    }

    static String text(Value v) {
        assertThat(v).isInstanceOf(Value.Text.class);
        return ((Value.Text) v).value();
    }

    static List<Value> items(Value v) {
        assertThat(v).isInstanceOf(Value.ListOf.class);
        return ((Value.ListOf) v).items();
    }

    static Map<String, Value> entries(Value v) {
        assertThat(v).isInstanceOf(Value.Table.class);
        return ((Value.Table) v).entries();
    }

    // --- numbers -------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "10, 10", "-3, -3", "+5, 5", ".5, 0.5", "1., 1", "00, 0", "1e3, 1000", "1E-2, 0.01",
        "0x1F, 31", "-0x1F, -31", "0X1f, 31", "10KB, 10240", "10kb, 10240", "10MB, 10485760", "10mB, 10485760",
        "1.5GB, 1610612736", "1TB, 1099511627776", "1PB, 1125899906842624", "0x10kb, 16384", "1e3kb, 1024000",
        "0xFFFFFFFFFFFFFFFF, 18446744073709551615",
    })
    void numbersAsPowerShellWritesThem(String word, String expected) {
        assertThat(ValueParser.number(word)).isEqualByComparingTo(expected);
    }

    @ParameterizedTest(name = "[{0}] is not a number")
    @ValueSource(strings = {"", "-", "+", ".", "MB", "1.5.6", "192.0.2.1", "1,0", "0x", "0xG", "12e", "1e", "1d", "10L",
        "5-3", "10 MB", "10M", "10MiB", "1e99999", "0x1FFFFFFFFFFFFFFFF", "\u0661\u0662", "1_000", "--1", "+-1"})
    void wordsThatAreNotNumbers(String word) {
        assertThat(ValueParser.number(word)).isNull();
    }

    @Test void aPlainNumericWordIsANumberThatKeepsItsSource() {
        Value.Number zip = (Value.Number) value("007");
        assertThat(zip.value()).isEqualByComparingTo("7");
        assertThat(zip.source()).isEqualTo("007");
        Value.Number size = (Value.Number) value("1.5GB");
        assertThat(size.value()).isEqualByComparingTo(BigDecimal.valueOf(1536L << 20));
        assertThat(size.source()).isEqualTo("1.5GB");
        assertThat(((Value.Number) value("-0x10")).value()).isEqualByComparingTo("-16");
    }

    @Test void quotedOrEscapedDigitsAndAddressesStayText() {
        assertThat(value("'7'")).isInstanceOf(Value.Text.class);
        assertThat(value("\"7\"")).isInstanceOf(Value.Text.class);
        assertThat(text(value("1`23"))).isEqualTo("123");
        assertThat(text(value("192.0.2.1"))).isEqualTo("192.0.2.1");
        assertThat(text(value("192.0.2.0/24"))).isEqualTo("192.0.2.0/24");
        assertThat(text(value("2001:db8::1"))).isEqualTo("2001:db8::1");
        assertThat(text(value("7a"))).isEqualTo("7a");
        assertThat(text(value("10MBs"))).isEqualTo("10MBs");
    }

    @Test void aThousandsSeparatorIsAComma_soItMakesAList() {
        // PowerShell reads 1,000 as the array 1, 0 too; the zeros keep their spelling in the source.
        List<Value> list = items(value("1,000"));
        assertThat(list).hasSize(2);
        assertThat(((Value.Number) list.get(1)).value()).isEqualByComparingTo("0");
        assertThat(list.get(1).source()).isEqualTo("000");
    }

    // --- quoting -------------------------------------------------------------------------------------

    @Test void quotingIsRecordedForWholeQuotedStringsOnly() {
        assertThat(((Value.Text) value("plain")).quoting()).isEqualTo(Value.Quoting.BARE);
        assertThat(((Value.Text) value("'single'")).quoting()).isEqualTo(Value.Quoting.SINGLE);
        assertThat(((Value.Text) value("\"double\"")).quoting()).isEqualTo(Value.Quoting.DOUBLE);
        assertThat(((Value.Text) value("\u201Ctypographic\u201D")).quoting()).isEqualTo(Value.Quoting.DOUBLE);
        assertThat(((Value.Text) value("\u2018typographic\u2019")).quoting()).isEqualTo(Value.Quoting.SINGLE);
        Value.Text mixed = (Value.Text) value("a'b c'");
        assertThat(mixed.value()).isEqualTo("ab c");
        assertThat(mixed.quoting()).isEqualTo(Value.Quoting.BARE);
        assertThat(mixed.source()).isEqualTo("a'b c'");
    }

    @Test void aBareWordMayContinueWithQuotedParts() {
        // PowerShell: a token that starts unquoted runs on through quoted parts: a"b $true"'c d' is one argument.
        assertThat(text(value("a\"b $true\"'c d'"))).isEqualTo("ab Truec d");
        assertThat(text(value("--name='x y'"))).isEqualTo("--name=x y");
    }

    @Test void singleQuotedStringsAreLiteral() {
        assertThat(text(value("'a`tb $x $(y) ${z}'"))).isEqualTo("a`tb $x $(y) ${z}");
        assertThat(text(value("'it''s'"))).isEqualTo("it's");
        assertThat(text(value("''''"))).isEqualTo("'");
        assertThat(text(value("'a \"quoted\" word'"))).isEqualTo("a \"quoted\" word");
        assertThat(text(value("'line1\nline2'"))).isEqualTo("line1\nline2");
        assertThat(text(value("'# not a comment'"))).isEqualTo("# not a comment");
        assertThat(text(value("'a;b|c,d'"))).isEqualTo("a;b|c,d");
    }

    @Test void anySingleQuoteCharacterOpensOrClosesASingleQuotedString() {
        assertThat(text(value("\u2018mixed'"))).isEqualTo("mixed");
        assertThat(text(value("'mixed\u2019"))).isEqualTo("mixed");
        assertThat(text(value("\u201Blow\u201A"))).isEqualTo("low");
        assertThat(text(value("\u201Emixed\""))).isEqualTo("mixed");
    }

    @Test void backtickEscapesInDoubleQuotedStrings() {
        Map<String, String> escapes = new java.util.LinkedHashMap<>();
        escapes.put("0", "\u0000");
        escapes.put("a", "\u0007");
        escapes.put("b", "\b");
        escapes.put("e", "\u001b");
        escapes.put("f", "\f");
        escapes.put("n", "\n");
        escapes.put("r", "\r");
        escapes.put("t", "\t");
        escapes.put("v", "\u000b");
        // Any other character stands for itself, as in PowerShell.
        for (String same : List.of("`", "$", "'", "\"", "x", "u", "#", "N", "T")) escapes.put(same, same);
        escapes.forEach((escape, expected) ->
                assertThat(text(value("\"<`" + escape + ">\""))).as("`%s", escape).isEqualTo("<" + expected + ">"));
    }

    @Test void doubleQuotedStringsKeepNewlinesAndDoubleTheQuoteToEscapeIt() {
        assertThat(text(value("\"a\"\"b\""))).isEqualTo("a\"b");
        assertThat(text(value("\"a`\"b\""))).isEqualTo("a\"b");
        assertThat(text(value("\"first\r\nsecond\""))).isEqualTo("first\r\nsecond");
        assertThat(text(value("\"'single' inside\""))).isEqualTo("'single' inside");
        assertThat(text(value("\"\""))).isEmpty();
        assertThat(text(value("\"a`\nb\""))).isEqualTo("a\nb");
    }

    @Test void unicodeEscapes() {
        assertThat(text(value("\"`u{41}`u{263a}\""))).isEqualTo("A\u263A");
        assertThat(text(value("\"`u{1F600}\""))).isEqualTo("\uD83D\uDE00");
        assertThat(text(value("\"`u{10FFFF}\""))).isEqualTo(Character.toString(0x10FFFF));
        assertThat(text(value("a`u{42}c"))).isEqualTo("aBc");
        assertThat(text(value("\"`u\""))).isEqualTo("u");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"`u{}\"", "\"`u{1234567}\"", "\"`u{zz}\"", "\"`u{41\"", "\"`u{ 41}\""})
    void malformedUnicodeEscapesAreErrorsAtTheBacktick(String text) {
        SyntaxError e = error(text);
        assertThat(e.message()).isEqualTo("The Unicode escape sequence is not valid. A valid sequence is `u{ followed by "
                + "1 to 6 hex digits and a closing '}'.");
        assertThat(e.column()).isEqualTo(15);
    }

    @Test void unicodeEscapeBeyondTheLastCodePoint() {
        assertThat(error("\"`u{110000}\"").message()).isEqualTo("The Unicode escape sequence `u{110000} is out of range.");
    }

    @Test void backtickEscapesInBareWords() {
        assertThat(text(value("a`tb"))).isEqualTo("a\tb");
        assertThat(text(value("a` b"))).isEqualTo("a b");
        assertThat(text(value("a`,b"))).isEqualTo("a,b");
        assertThat(text(value("a`;b"))).isEqualTo("a;b");
        assertThat(text(value("a`|b"))).isEqualTo("a|b");
        assertThat(text(value("`#not-a-comment"))).isEqualTo("#not-a-comment");
        assertThat(text(value("`$x"))).isEqualTo("$x");
        assertThat(text(value("`-Name"))).isEqualTo("-Name");
    }

    @Test void aBacktickAtTheEndOfTheTextIsIncomplete() {
        SyntaxError bare = error("a`");
        assertThat(bare.message()).isEqualTo("Missing character after the escape character '`'.");
        assertThat(bare.incomplete()).isTrue();
        SyntaxError quoted = error("\"a`");
        assertThat(quoted.message()).isEqualTo("The string is missing the terminator: \".");
        assertThat(quoted.incomplete()).isTrue();
    }

    @Test void wordsEndAtBlanksAndOperators() {
        assertThat(ScriptParser.parse("Set-Thing -V a;Get-Thing")).isInstanceOfSatisfying(ParseResult.Parsed.class,
                p -> assertThat(p.script().pipelines()).hasSize(2));
        assertThat(ScriptParser.parse("Set-Thing -V a|fl")).isInstanceOfSatisfying(ParseResult.Parsed.class,
                p -> assertThat(p.script().pipelines().getFirst().commands()).hasSize(2));
        assertThat(error("a)").message()).isEqualTo("Unexpected token ')' in expression or statement.");
        assertThat(error("a}").message()).isEqualTo("Unexpected token '}' in expression or statement.");
        assertThat(error("a&b").message()).isEqualTo("Unexpected token '&' in expression or statement.");
        assertThat(error("a>b").message()).startsWith("Redirection ('>') is not supported in Gatehouse");
        assertThat(text(value("a#b"))).isEqualTo("a#b");
        assertThat(text(value("a=b"))).isEqualTo("a=b");
        assertThat(text(value("a@b.com"))).isEqualTo("a@b.com");
        assertThat(text(value("@"))).isEqualTo("@");
        assertThat(text(value("a{b"))).isEqualTo("a{b");
    }

    // --- comma lists ---------------------------------------------------------------------------------

    @Test void commaListsKeepKindsAndSource() {
        Value list = value("1, 'two',$true,$null , three");
        assertThat(items(list)).hasSize(5);
        assertThat(items(list).get(0)).isInstanceOf(Value.Number.class);
        assertThat(text(items(list).get(1))).isEqualTo("two");
        assertThat(((Value.Bool) items(list).get(2)).value()).isTrue();
        assertThat(items(list).get(3)).isInstanceOf(Value.Null.class);
        assertThat(text(items(list).get(4))).isEqualTo("three");
        assertThat(list.source()).isEqualTo("1, 'two',$true,$null , three");
        assertThat(list.position().column()).isEqualTo(14);
        assertThat(items(list).get(4).position().column()).isEqualTo(37);
    }

    @Test void aListMayContinueOnTheNextLineAfterTheComma() {
        Value list = value("a,\n  b,\r\n  c");
        assertThat(items(list)).extracting(ValueParserTest::text).containsExactly("a", "b", "c");
        assertThat(items(list).get(2).position()).extracting(Position::line, Position::column).containsExactly(3, 3);
    }

    @Test void listErrors() {
        SyntaxError trailing = error("a,");
        assertThat(trailing.message()).isEqualTo("Missing expression after ','.");
        assertThat(trailing.column()).isEqualTo(15);
        assertThat(trailing.incomplete()).isTrue();
        SyntaxError doubled = error("a,,b");
        assertThat(doubled.message()).isEqualTo("Missing expression after ','.");
        assertThat(doubled.incomplete()).isFalse();
        assertThat(error("a, | fl").message()).isEqualTo("Missing expression after ','.");
        assertThat(error(",a").message()).isEqualTo("Missing expression before ','.");
    }

    // --- @( ) arrays ----------------------------------------------------------------------------------

    @Test void arraySeparatorsAreCommasNewlinesAndSemicolons() {
        assertThat(items(value("@()"))).isEmpty();
        assertThat(items(value("@(  )"))).isEmpty();
        assertThat(items(value("@(\n)"))).isEmpty();
        assertThat(items(value("@(1;;2)"))).hasSize(2);
        assertThat(items(value("@(\n 'a', # first\n 'b' <# second #>\n c\n)"))).extracting(ValueParserTest::text)
                .containsExactly("a", "b", "c");
        assertThat(items(value("@(contoso.com, fabrikam.com)"))).extracting(ValueParserTest::text)
                .containsExactly("contoso.com", "fabrikam.com");
    }

    @Test void arraysNestAndMixWithCommaLists() {
        List<Value> outer = items(value("@(1,2),3"));
        assertThat(outer).hasSize(2);
        assertThat(items(outer.get(0))).hasSize(2);
        List<Value> single = items(value("@(@('x'))"));
        assertThat(single).hasSize(1);
        assertThat(items(single.getFirst())).extracting(ValueParserTest::text).containsExactly("x");
        assertThat(items(value("@(@{a=1})")).getFirst()).isInstanceOf(Value.Table.class);
    }

    @Test void arrayErrors() {
        assertThat(error("@(1 2)").message()).isEqualTo("Unexpected token '2' in expression or statement.");
        assertThat(error("@(,1)").message()).isEqualTo("Missing expression before ','.");
        assertThat(error("@(1,,2)").message()).isEqualTo("Missing expression after ','.");
        assertThat(error("@(1,)").message()).isEqualTo("Missing expression after ','.");
        assertThat(error("@(a|b)").message()).isEqualTo("Unexpected token '|' in expression or statement.");
        assertThat(error("@(}").message()).isEqualTo("Unexpected token '}' in expression or statement.");
        SyntaxError open = error("@(1,\n2");
        assertThat(open.message()).isEqualTo("Missing closing ')' in the array expression '@('.");
        assertThat(open).extracting(SyntaxError::line, SyntaxError::column, SyntaxError::incomplete)
                .containsExactly(1, 14, true);
    }

    @Test void nestingUpToTheLimitParses() {
        Value v = value("@(".repeat(64) + ")".repeat(64));
        int depth = 0;
        while (v instanceof Value.ListOf l && !l.items().isEmpty()) {
            v = l.items().getFirst();
            depth++;
        }
        assertThat(depth).isEqualTo(63);
        assertThat(error("@(".repeat(65) + ")".repeat(65)).message()).isEqualTo("Arrays and hashtables are nested too deeply.");
        assertThat(error("@{a=".repeat(65) + "1" + "}".repeat(65)).message()).contains("nested too deeply");
    }

    // --- @{ } hashtables --------------------------------------------------------------------------------

    @Test void hashtableKeysInEveryForm() {
        Map<String, Value> t = entries(value("@{X-Header='v'; a.b=1; 1=2; 'Quoted Key'=3; \"dq\"=4; \u2018typo\u2019=5; _u=6}"));
        assertThat(t.keySet()).containsExactly("X-Header", "a.b", "1", "Quoted Key", "dq", "typo", "_u");
        assertThat(text(t.get("X-Header"))).isEqualTo("v");
    }

    @Test void hashtableValuesAreArguments() {
        Map<String, Value> t = entries(value("@{Add='a@contoso.com','b@contoso.com'; Remove=c@contoso.com; "
                + "Nested=@{x=@(1,2)}; Off=$false; None=$null; Size=10MB}"));
        assertThat(items(t.get("Add"))).extracting(ValueParserTest::text).containsExactly("a@contoso.com", "b@contoso.com");
        assertThat(text(t.get("Remove"))).isEqualTo("c@contoso.com");
        assertThat(items(entries(t.get("Nested")).get("x"))).hasSize(2);
        assertThat(((Value.Bool) t.get("Off")).value()).isFalse();
        assertThat(t.get("None")).isInstanceOf(Value.Null.class);
        assertThat(((Value.Number) t.get("Size")).value()).isEqualByComparingTo(BigDecimal.valueOf(10L << 20));
    }

    @Test void hashtableEntriesAreSeparatedBySemicolonsOrNewlines() {
        assertThat(entries(value("@{}"))).isEmpty();
        assertThat(entries(value("@{;}"))).isEmpty();
        assertThat(entries(value("@{ Add = 'a' ; }"))).containsOnlyKeys("Add");
        Map<String, Value> multi = entries(value("@{\n  Add = 'x' # why\n  <# and #> Remove = 'y'\r\n}"));
        assertThat(multi.keySet()).containsExactly("Add", "Remove");
        assertThat(text(multi.get("Remove"))).isEqualTo("y");
        Map<String, Value> continued = entries(value("@{Add=x,\n  y}"));
        assertThat(items(continued.get("Add"))).extracting(ValueParserTest::text).containsExactly("x", "y");
    }

    @Test void aCommaWhereTheSemicolonBelongsIsAnError() {
        // PowerShell refuses @{Add='x', Remove='y'}; read leniently it would add the address "Remove=y".
        SyntaxError e = error("@{Add='x', Remove='y'}");
        assertThat(e.message()).isEqualTo("Hash literal entries are separated by ';' or a new line, not ','. Write, "
                + "for example, @{Add='a@contoso.com'; Remove='b@contoso.com'}.");
        assertThat(e.column()).isEqualTo(25);
        assertThat(error("@{Add='x','Remove'='y'}").message()).startsWith("Hash literal entries are separated by ';'");
        assertThat(error("@{Add=a,b,Remove=c}").column()).isEqualTo(24);
        assertThat(error("@{Add='x',\n  Remove='y'}").line()).isEqualTo(2);
        // Values that merely contain '=' are still values.
        assertThat(items(entries(value("@{Filter='a=b','c=d'}")).get("Filter"))).extracting(ValueParserTest::text)
                .containsExactly("a=b", "c=d");
        assertThat(text(entries(value("@{Add=Remove=x}")).get("Add"))).isEqualTo("Remove=x");
    }

    @Test void hashtableErrors() {
        assertThat(error("@{a 1}").message()).isEqualTo("Missing '=' operator after key in hash literal.");
        assertThat(error("@{=1}").message()).isEqualTo("Missing key before '=' in hash literal.");
        assertThat(error("@{a=}").message()).isEqualTo("Missing statement after '=' in hash literal.");
        assertThat(error("@{a=;b=1}").message()).isEqualTo("Missing statement after '=' in hash literal.");
        assertThat(error("@{a=1 b=2}").message()).isEqualTo("Unexpected token 'b' in expression or statement.");
        assertThat(error("@{a=1}}").message()).isEqualTo("Unexpected token '}' in expression or statement.");
        assertThat(error("@{a=x|y}").message()).isEqualTo("Unexpected token '|' in expression or statement.");
        assertThat(error("@{a=(1)}").message()).startsWith("Parenthesized expressions");
        assertThat(error("@{a={x}}").message()).startsWith("Script blocks");
        SyntaxError dup = error("@{'a'=1; \"A\"=2}");
        assertThat(dup.message()).isEqualTo("Duplicate keys 'A' are not allowed in hash literals.");
        assertThat(dup.column()).isEqualTo(23);
        for (String partial : List.of("@{", "@{a=1;", "@{a=1\n", "@{a", "@{a=")) {
            assertThat(error(partial).incomplete()).as(partial).isTrue();
        }
    }

    @Test void hashtablesKeepWrittenOrderAndAreReadOnly() {
        Value.Table t = (Value.Table) value("@{z=1; a=2; m=3}");
        assertThat(t.entries().keySet()).containsExactly("z", "a", "m");
        assertThat(t.source()).isEqualTo("@{z=1; a=2; m=3}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.entries().put("b", t))
                .isInstanceOf(UnsupportedOperationException.class);
        Value.ListOf l = (Value.ListOf) value("a,b");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> l.items().add(l))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    // --- what values can't be ---------------------------------------------------------------------------

    @Test void unsupportedValueSyntaxSaysSo() {
        assertThat(error("{ $_ }").message()).isEqualTo(ValueParser.SCRIPT_BLOCK);
        assertThat(error("(Get-Date)").message()).isEqualTo("Parenthesized expressions such as '(...)' are not "
                + "supported in Gatehouse; write the value itself, for example 'a','b' or @('a','b').");
        assertThat(error("@'\nx\n'@").message()).startsWith("Here-strings");
        assertThat(error("@\"\nx\n\"@").message()).startsWith("Here-strings");
        assertThat(error("@params").message()).startsWith("Splatting ('@name') is not supported");
        assertThat(error("$(1+1)").message()).startsWith("Subexpressions such as '$(...)' are not supported");
    }

    @Test void placeholdersFromDocumentationAreBareWords() {
        Value.Text start = (Value.Text) value("<start>");
        assertThat(start.value()).isEqualTo("<start>");
        assertThat(start.quoting()).isEqualTo(Value.Quoting.BARE);
        assertThat(text(value("<two words>"))).isEqualTo("<two words>");
        assertThat(((Value.Text) value("'<quoted>'")).quoting()).isEqualTo(Value.Quoting.SINGLE);
        assertThat(error("<>").message()).isEqualTo("The '<' operator is reserved for future use.");
        assertThat(error("<open").message()).isEqualTo("The '<' operator is reserved for future use.");
        assertThat(error("<a\nb>").message()).isEqualTo("The '<' operator is reserved for future use.");
        assertThat(error("<a<b>").message()).isEqualTo("The '<' operator is reserved for future use.");
    }
}
