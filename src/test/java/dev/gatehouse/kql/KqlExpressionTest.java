// Tests of KQL scalar expressions: precedence, list and range operators, postfix access and literal values.
package dev.gatehouse.kql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.kql.Ast.*;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KqlExpressionTest {
    /** The predicate of {@code T | where <text>}; the text starts at column 11. */
    private static Expr where(String text) {
        Pipeline p = (Pipeline) KqlParser.parse("T | where " + text).body();
        return ((Where) p.ops().getFirst()).predicate();
    }

    /** The expression, written back fully parenthesised, so tests can state the tree's shape compactly. */
    private static String shape(Expr e) {
        return switch (e) {
            case Name n -> n.name();
            case Literal l -> l.value() instanceof String s ? "'" + s + "'" : String.valueOf(l.value());
            case Star s -> "*";
            case Binary b -> "(" + shape(b.left()) + " " + b.op() + " " + shape(b.right()) + ")";
            case Unary u -> "(" + u.op() + shape(u.operand()) + ")";
            case Member m -> shape(m.target()) + "." + m.member();
            case Index i -> shape(i.target()) + "[" + shape(i.index()) + "]";
            case Call c -> c.name() + "(" + String.join(", ", c.args().stream().map(KqlExpressionTest::shape).toList()) + ")";
            case In in -> "(" + shape(in.left()) + " " + in.op() + " "
                    + (in.tabular() != null ? "<tabular>" : "[" + String.join(", ", in.items().stream().map(KqlExpressionTest::shape).toList()) + "]") + ")";
            case Between b -> "(" + shape(b.value()) + (b.negated() ? " !between " : " between ") + shape(b.low()) + ".." + shape(b.high()) + ")";
            case ToScalar t -> "toscalar(<tabular>)";
        };
    }

    private static void assertError(String text, String message) {
        assertThatThrownBy(() -> KqlParser.parse(text)).isInstanceOf(KqlException.class).hasMessage(message);
    }

    // ---- precedence --------------------------------------------------------------------------------------------

    @Test
    void logicalOperatorsBindLoosest() {
        assertThat(shape(where("a or b and c"))).isEqualTo("(a or (b and c))");
        assertThat(shape(where("a and b or c and d"))).isEqualTo("((a and b) or (c and d))");
        assertThat(shape(where("a == 1 and b != 'x' or c"))).isEqualTo("(((a == 1) and (b != 'x')) or c)");
    }

    @Test
    void arithmeticBindsTighterThanComparison() {
        assertThat(shape(where("x > 1 + 2 * 3"))).isEqualTo("(x > (1 + (2 * 3)))");
        assertThat(shape(where("a - b - c == d / e % f"))).isEqualTo("(((a - b) - c) == ((d / e) % f))");
        assertThat(shape(where("a < b == c"))).isEqualTo("((a < b) == c)");
        assertThat(shape(where("Timestamp > ago(1d) - 2h"))).isEqualTo("(Timestamp > (ago(1d) - 2h))".replace("1d", "864000000000").replace("2h", "72000000000"));
    }

    @Test
    void stringOperatorsBindTighterThanArithmeticAsInMicrosoftsGrammar() {
        assertThat(shape(where("Subject has 'x' and Sender =~ 'y'"))).isEqualTo("((Subject has 'x') and (Sender =~ 'y'))");
        assertThat(shape(where("a * b has c"))).isEqualTo("(a * (b has c))");
        assertThat(shape(where("a has b == true"))).isEqualTo("((a has b) == true)");
        assertThat(shape(where("Url matches regex @'^https?://' or x"))).isEqualTo("((Url matches regex '^https?://') or x)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"has", "!has", "has_cs", "!has_cs", "hasprefix", "!hasprefix", "hasprefix_cs", "!hasprefix_cs",
        "hassuffix", "!hassuffix", "hassuffix_cs", "!hassuffix_cs", "contains", "!contains", "contains_cs", "!contains_cs",
        "startswith", "!startswith", "startswith_cs", "!startswith_cs", "endswith", "!endswith", "endswith_cs", "!endswith_cs",
        "=~", "!~", "==", "!=", "<", "<=", ">", ">="})
    void everyBinaryOperatorKeepsItsSpelling(String op) {
        Binary b = (Binary) where("Subject " + op + " 'x'");
        assertThat(b.op()).isEqualTo(op);
        assertThat(b.left()).isEqualTo(new Name("Subject", new Pos(1, 11)));
        assertThat(b.pos()).isEqualTo(new Pos(1, 11));
    }

    @Test
    void legacySpellingsBecomeTheModernOnes() {
        assertThat(((Binary) where("a <> b")).op()).isEqualTo("!=");
        assertThat(((Binary) where("a notcontains b")).op()).isEqualTo("!contains");
        assertThat(((Binary) where("a containscs b")).op()).isEqualTo("contains_cs");
    }

    @Test
    void nonChainableOperatorsNeedParentheses() {
        assertError("T | where a == b == c", "operator '==' cannot follow '==' without parentheses at 1:18");
        assertError("T | where a < b > c", "operator '>' cannot follow '<' without parentheses at 1:17");
        assertError("T | where a has b contains c", "operator 'contains' cannot follow 'has' without parentheses at 1:19");
        assertThat(shape(where("(a == b) == c"))).isEqualTo("((a == b) == c)");
        assertError("T | where a like 'x'", "unsupported: like at 1:13");
    }

    @Test
    void unaryAndNot() {
        assertThat(shape(where("-x.y > +1"))).isEqualTo("((-x.y) > (+1))");
        assertThat(where("-1")).isEqualTo(new Unary("-", new Literal(KqlType.LONG, 1L, new Pos(1, 12)), new Pos(1, 11)));
        assertThat(shape(where("not(isempty(x)) and not (y)"))).isEqualTo("(not(isempty(x)) and not(y))");
        assertError("T | where --x", "expected an expression but found '-' at 1:12");
    }

    // ---- in, has_any, between ----------------------------------------------------------------------------------

    @Test
    void listOperatorsTakeLiteralsLetNamesAndDynamics() {
        assertThat(shape(where("x in ('a', 'b', 'c')"))).isEqualTo("(x in ['a', 'b', 'c'])");
        assertThat(shape(where("x !in (L)"))).isEqualTo("(x !in [L])");
        assertThat(shape(where("x in~ ('A') and y !in~ ('b')"))).isEqualTo("((x in~ ['A']) and (y !in~ ['b']))");
        assertThat(shape(where("Subject has_any (Keywords)"))).isEqualTo("(Subject has_any [Keywords])");
        assertThat(shape(where("Subject has_all ('a', 'b')"))).isEqualTo("(Subject has_all ['a', 'b'])");
        In dyn = (In) where("x in (dynamic(['a', 'b']))");
        assertThat(dyn.items()).singleElement().extracting(e -> ((Literal) e).type()).isEqualTo(KqlType.DYNAMIC);
        assertThat(dyn.tabular()).isNull();
        assertThat(dyn.pos()).isEqualTo(new Pos(1, 11));
    }

    @Test
    void listOperatorsTakeTabularExpressionsInSingleOrDoubleParentheses() {
        for (String text : new String[] {"x in (EmailUrlInfo | project Url)", "x in ((EmailUrlInfo | project Url))",
                "x !in ((EmailUrlInfo | where a | project Url))"}) {
            In in = (In) where(text);
            assertThat(in.items()).isEmpty();
            Pipeline t = (Pipeline) in.tabular();
            assertThat(t.source()).extracting(s -> ((TableRef) s).name()).isEqualTo("EmailUrlInfo");
            assertThat(t.ops().getLast()).isInstanceOf(Project.class);
        }
        In union = (In) where("x in (union A, B)");
        assertThat(((Pipeline) union.tabular()).source()).isInstanceOf(UnionSource.class);
        assertThat(shape(where("x in ((1 + 2), 3)"))).isEqualTo("(x in [(1 + 2), 3])");
    }

    @Test
    void betweenTakesARange() {
        Between b = (Between) where("(T2 - T1) between (0min .. 30min)");
        assertThat(shape(b.value())).isEqualTo("(T2 - T1)");
        assertThat(b.low()).isEqualTo(new Literal(KqlType.TIMESPAN, 0L, new Pos(1, 30)));
        assertThat(b.high()).isEqualTo(new Literal(KqlType.TIMESPAN, 30 * Ticks.PER_MINUTE, new Pos(1, 38)));
        assertThat(b.negated()).isFalse();
        assertThat(shape(where("Timestamp !between (ago(1h) .. now())"))).isEqualTo("(Timestamp !between ago(36000000000)..now())");
        assertThat(shape(where("n between (1..5)"))).isEqualTo("(n between 1..5)");
        assertError("T | where n between (1, 5)", "expected '..' but found ',' at 1:23");
    }

    // ---- postfix -----------------------------------------------------------------------------------------------

    @Test
    void memberIndexAndCallChains() {
        assertThat(shape(where("parse_json(AuthenticationDetails).DMARC == 'fail'"))).isEqualTo("(parse_json(AuthenticationDetails).DMARC == 'fail')");
        assertThat(shape(where("split(SenderFromAddress, '@')[1] == d"))).isEqualTo("(split(SenderFromAddress, '@')[1] == d)");
        assertThat(shape(where("Auth['DMARC'] == Auth.['SPF']"))).isEqualTo("(Auth['DMARC'] == Auth['SPF'])");
        assertThat(shape(where("a.b.c[0].d"))).isEqualTo("a.b.c[0].d");
        Member m = (Member) where("GeoInfo.latitude");
        assertThat(m).isEqualTo(new Member(new Name("GeoInfo", new Pos(1, 11)), "latitude", new Pos(1, 11)));
        assertThat(shape(where("iff(x, 1, 2) > case(a, 'b', 'c')"))).isEqualTo("(iff(x, 1, 2) > case(a, 'b', 'c'))");
    }

    @Test
    void starIsAnArgument() {
        Call c = (Call) where("arg_max(Timestamp, *)");
        assertThat(c.args()).containsExactly(new Name("Timestamp", new Pos(1, 19)), new Star(new Pos(1, 30)));
        assertThat(shape(where("* has 'phish'"))).isEqualTo("(* has 'phish')");
        assertError("T | where * + 1", "'*' can only be a function argument here at 1:11");
    }

    @Test
    void bracketNamesAreNames() {
        assertThat(where("['Malware Emails'] > 0")).isEqualTo(new Binary(">", new Name("Malware Emails", new Pos(1, 11)),
                new Literal(KqlType.LONG, 0L, new Pos(1, 32)), new Pos(1, 11)));
        assertThat(where("[\"a b\"]")).isEqualTo(new Name("a b", new Pos(1, 11)));
    }

    @Test
    void toscalarHoldsATabularExpression() {
        ToScalar t = (ToScalar) ((Binary) where("x > toscalar(EmailEvents | summarize max(Timestamp))")).right();
        assertThat(t.pos()).isEqualTo(new Pos(1, 15));
        assertThat(((Pipeline) t.tabular()).ops()).singleElement().isInstanceOf(Summarize.class);
    }

    // ---- literals ----------------------------------------------------------------------------------------------

    @Test
    void literalTypesAndValues() {
        assertThat(where("true")).isEqualTo(new Literal(KqlType.BOOL, true, new Pos(1, 11)));
        assertThat(where("False")).isEqualTo(new Literal(KqlType.BOOL, false, new Pos(1, 11)));
        assertThat(where("0x1F")).isEqualTo(new Literal(KqlType.LONG, 31L, new Pos(1, 11)));
        assertThat(where("1.5e1")).isEqualTo(new Literal(KqlType.REAL, 15.0, new Pos(1, 11)));
        assertThat(where("1.5h")).isEqualTo(new Literal(KqlType.TIMESPAN, 54_000_000_000L, new Pos(1, 11)));
        assertThat(where("h@'secret\\x'")).isEqualTo(new Literal(KqlType.STRING, "secret\\x", new Pos(1, 11)));
        assertThat(where("long(null)")).isEqualTo(new Literal(KqlType.LONG, null, new Pos(1, 11)));
        assertThat(where("datetime(2025-01-01)")).isEqualTo(new Literal(KqlType.DATETIME, 20_089L * Ticks.PER_DAY, new Pos(1, 11)));
    }

    @Test
    void dynamicLiteralsBecomeJacksonTrees() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Literal l = (Literal) where("dynamic([1, 'a', {\"k\": true, 'n': null}, -2.5, [], 5000000000])");
        assertThat(l.type()).isEqualTo(KqlType.DYNAMIC);
        assertThat((JsonNode) l.value()).isEqualTo(json.readTree("[1, \"a\", {\"k\": true, \"n\": null}, -2.5, [], 5000000000]"));
        assertThat((JsonNode) ((Literal) where("dynamic({})")).value()).isEqualTo(json.readTree("{}"));
        assertThat((JsonNode) ((Literal) where("dynamic(5)")).value()).isEqualTo(json.readTree("5"));
        assertThat((JsonNode) ((Literal) where("dynamic('x')")).value()).isEqualTo(json.readTree("\"x\""));
        Literal nul = (Literal) where("dynamic(null)");
        assertThat(nul.type()).isEqualTo(KqlType.DYNAMIC);
        assertThat(nul.value()).isNull();
        assertThat((JsonNode) ((Literal) where("dynamic([null])")).value()).isEqualTo(json.readTree("[null]"));
    }

    @Test
    void datetimesAndTimespansInsideDynamicBecomeTheirStrings() throws Exception {
        JsonNode v = (JsonNode) ((Literal) where("dynamic({'when': datetime(2025-01-01 10:00), 'span': 1d, 'short': 90s, 'neg': -1h})")).value();
        assertThat(v).isEqualTo(new ObjectMapper().readTree(
                "{\"when\": \"2025-01-01T10:00:00Z\", \"span\": \"1.00:00:00\", \"short\": \"00:01:30\", \"neg\": \"-01:00:00\"}"));
    }

    @Test
    void invalidDynamicLiteralsArePositioned() {
        assertError("T | where x in (dynamic(['a', ]))", "expected a value in the dynamic literal but found ']' at 1:31");
        assertError("T | where x == dynamic({a: 1})", "expected a quoted property name in the dynamic literal but found 'a' at 1:25");
        assertError("T | where x == dynamic([1 2])", "expected ']' but found '2' at 1:27");
        assertError("T | where x == dynamic([1]", "expected ')' but found end of query at 1:27");
    }
}
