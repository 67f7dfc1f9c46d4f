// Tests of the KQL parser's statements, sources and tabular operators, and of its errors.
package dev.gatehouse.kql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.kql.Ast.*;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KqlParserTest {
    static final String ARTICLE_QUERY = """
            EmailEvents
            | where Timestamp > ago(30d)
            | where EmailDirection == 'Inbound' and Connectors == '' and isnotempty(SenderIPv4)
            | project Timestamp, RecipientEmailAddress, SenderFromAddress, Subject, NetworkMessageId, EmailDirection, Connectors, SenderIPv4, SenderIPv6
            """;

    static Pipeline body(String text) {
        return (Pipeline) KqlParser.parse(text).body();
    }

    static Op onlyOp(String text) {
        List<Op> ops = body(text).ops();
        assertThat(ops).hasSize(1);
        return ops.getFirst();
    }

    static void assertError(String text, String message) {
        assertThatThrownBy(() -> KqlParser.parse(text)).isInstanceOf(KqlException.class).hasMessage(message);
    }

    /** Compares names and shapes while ignoring positions, which have their own tests. */
    static List<String> columnNames(List<NamedExpr> list) {
        return list.stream().map(ne -> ne.name() != null ? ne.name() + "=" : ((Name) ne.expr()).name()).toList();
    }

    // ---- the article's query and one-liners --------------------------------------------------------------------

    @Test
    void theDirectSendArticleQueryParsesToItsPipeline() {
        Pipeline p = body(ARTICLE_QUERY);
        assertThat(p.source()).isEqualTo(new TableRef("EmailEvents", new Pos(1, 1)));
        assertThat(p.ops()).hasSize(3);

        Where first = (Where) p.ops().get(0);
        assertThat(first.pos()).isEqualTo(new Pos(2, 3));
        Binary gt = (Binary) first.predicate();
        assertThat(gt.op()).isEqualTo(">");
        assertThat(gt.left()).isEqualTo(new Name("Timestamp", new Pos(2, 9)));
        assertThat(gt.right()).isEqualTo(new Call("ago", List.of(new Literal(KqlType.TIMESPAN, 30 * Ticks.PER_DAY, new Pos(2, 25))), new Pos(2, 21)));

        Binary and = (Binary) ((Where) p.ops().get(1)).predicate();
        assertThat(and.op()).isEqualTo("and");
        assertThat(and.right()).isEqualTo(new Call("isnotempty", List.of(new Name("SenderIPv4", new Pos(3, 73))), new Pos(3, 62)));
        Binary inner = (Binary) and.left();
        assertThat(inner.op()).isEqualTo("and");
        assertThat(inner.right()).isEqualTo(new Binary("==", new Name("Connectors", new Pos(3, 41)),
                new Literal(KqlType.STRING, "", new Pos(3, 55)), new Pos(3, 41)));

        Project project = (Project) p.ops().get(2);
        assertThat(columnNames(project.columns())).containsExactly("Timestamp", "RecipientEmailAddress", "SenderFromAddress",
                "Subject", "NetworkMessageId", "EmailDirection", "Connectors", "SenderIPv4", "SenderIPv6");
    }

    @Test
    void aWholeQueryOnOneLine() {
        Pipeline p = body("EmailEvents | where Timestamp > ago(30d) | project A, B | order by Timestamp");
        assertThat(p.ops()).extracting(op -> op.getClass().getSimpleName()).containsExactly("Where", "Project", "Sort");
        Sort sort = (Sort) p.ops().get(2);
        assertThat(sort.keys()).containsExactly(new SortKey(new Name("Timestamp", new Pos(1, 68)), false, null, new Pos(1, 68)));
        assertThat(sort.pos()).isEqualTo(new Pos(1, 59));
    }

    @Test
    void aFunctionNameMayHaveASpaceBeforeItsParenthesis() {
        Where w = (Where) onlyOp("EmailEvents | where Timestamp > ago (30d)");
        assertThat(((Binary) w.predicate()).right()).isInstanceOf(Call.class)
                .extracting(e -> ((Call) e).name()).isEqualTo("ago");
    }

    @Test
    void nonBreakingSpacesAndCommentsAreWhitespace() {
        Pipeline p = body("EmailEvents\u00a0// all mail\n|\u00a0where\u00a0x == 1 // keep\n// done\n| take 5");
        assertThat(p.ops()).hasSize(2);
        assertThat(p.ops().get(1).pos()).isEqualTo(new Pos(4, 3));
    }

    // ---- statements --------------------------------------------------------------------------------------------

    @Test
    void letStatementsAndATrailingSemicolon() {
        Query q = KqlParser.parse("""
                let lookback = 30d;
                let Senders = dynamic(['a@x.com', 'b@y.com']);
                let Inbound = EmailEvents | where EmailDirection == "Inbound";
                Inbound | where Timestamp > ago(lookback);
                """);
        assertThat(q.lets()).extracting(Let::name).containsExactly("lookback", "Senders", "Inbound");
        assertThat(q.lets().get(0).value()).isEqualTo(new Literal(KqlType.TIMESPAN, 30 * Ticks.PER_DAY, new Pos(1, 16)));
        assertThat(q.lets().get(1).value()).isInstanceOf(Literal.class).extracting(v -> ((Literal) v).type()).isEqualTo(KqlType.DYNAMIC);
        assertThat(q.lets().get(2).value()).isInstanceOf(Pipeline.class);
        assertThat(q.lets().get(2).pos()).isEqualTo(new Pos(3, 1));
        assertThat(((Pipeline) q.body()).source()).isEqualTo(new TableRef("Inbound", new Pos(4, 1)));
        assertThat(q.pos()).isEqualTo(new Pos(1, 1));
    }

    @Test
    void letValuesAreTabularOnlyWhenPlainlyTabular() {
        Query q = KqlParser.parse("""
                let T = EmailEvents;
                let P = (EmailEvents | where x);
                let U = union EmailEvents, EmailUrlInfo;
                let N = toscalar(EmailEvents | count);
                let S = (1 + 2) * 3;
                let D = datatable(A:string)['x'];
                T""");
        List<Let> lets = q.lets();
        assertThat(lets.get(0).value()).isEqualTo(new Name("EmailEvents", new Pos(1, 9)));
        assertThat(lets.get(1).value()).isInstanceOf(Pipeline.class);
        assertThat(((Pipeline) lets.get(1).value()).source()).isEqualTo(new TableRef("EmailEvents", new Pos(2, 10)));
        assertThat(((Pipeline) lets.get(2).value()).source()).isInstanceOf(UnionSource.class);
        assertThat(lets.get(3).value()).isInstanceOf(ToScalar.class);
        assertThat(lets.get(4).value()).isInstanceOf(Binary.class);
        assertThat(((Pipeline) lets.get(5).value()).source()).isInstanceOf(Datatable.class);
    }

    @Test
    void functionLetsSetAndDeclareAreUnsupported() {
        assertError("let f = (x:string) { EmailEvents | where Subject has x };\nf('a')", "unsupported: let function at 1:1");
        assertError("let T = 1;\nlet g = () { EmailEvents };\ng()", "unsupported: let function at 2:1");
        assertError("let v = view () { EmailEvents };\nv", "unsupported: let view at 1:1");
        assertError("set querytrace;\nEmailEvents", "unsupported: set at 1:1");
        assertError("set truncationmaxrecords=10;\nEmailEvents", "unsupported: set at 1:1");
        assertError("declare query_parameters(x:string);\nEmailEvents", "unsupported: declare at 1:1");
    }

    @Test
    void statementErrors() {
        assertError("", "empty query at 1:1");
        assertError("  // only a comment\n", "empty query at 2:1");
        assertError("let x = 1;", "the query has no tabular expression after its let statements at 1:11");
        assertError("let x = 1 EmailEvents", "expected ';' after the let statement but found 'EmailEvents' at 1:11");
        assertError("EmailEvents;\nlet x = 1", "let statements must come before the query's tabular expression at 2:1");
        assertError("EmailEvents; EmailUrlInfo", "unsupported: several tabular statements at 1:14");
        assertError("EmailEvents )", "expected '|', ';' or end of query but found ')' at 1:13");
        assertError("print x = 'a' 'b'", "expected '|', ';' or end of query but found ''b'' at 1:15");
        assertError("let = 1; T", "expected a name after 'let' but found '=' at 1:5");
    }

    // ---- sources -----------------------------------------------------------------------------------------------

    @Test
    void sourcesOfEveryKind() {
        assertThat(body("['Email Events'] | take 1").source()).isEqualTo(new TableRef("Email Events", new Pos(1, 1)));
        Pipeline nested = body("(EmailEvents | where x) | count");
        assertThat(nested.source()).isInstanceOf(Nested.class);
        assertThat(((Pipeline) ((Nested) nested.source()).inner()).source()).isEqualTo(new TableRef("EmailEvents", new Pos(1, 2)));

        Print print = (Print) body("print a = 1, 'x'").source();
        assertThat(print.columns()).containsExactly(
                new NamedExpr("a", new Literal(KqlType.LONG, 1L, new Pos(1, 11)), new Pos(1, 7)),
                new NamedExpr(null, new Literal(KqlType.STRING, "x", new Pos(1, 14)), new Pos(1, 14)));

        UnionSource union = (UnionSource) body("union kind=outer withsource=Table isfuzzy=true EmailEvents, (EmailUrlInfo | take 1)").source();
        assertThat(union.kind()).isEqualTo("outer");
        assertThat(union.withSource()).isEqualTo("Table");
        assertThat(union.isFuzzy()).isTrue();
        assertThat(union.tables()).hasSize(2);
        assertThat(((Pipeline) union.tables().get(1)).ops()).hasSize(1);
    }

    @Test
    void datatableColumnsAndLiteralValues() {
        Datatable d = (Datatable) body("datatable (Name:string, Count:long, When:datetime)\n['a', -1, datetime(2025-01-01), 'b', 2, datetime(null),]").source();
        assertThat(d.columns()).containsExactly(new ColumnDef("Name", KqlType.STRING, new Pos(1, 12)),
                new ColumnDef("Count", KqlType.LONG, new Pos(1, 25)), new ColumnDef("When", KqlType.DATETIME, new Pos(1, 37)));
        assertThat(d.values()).hasSize(6);
        assertThat(d.values().get(1)).isEqualTo(new Literal(KqlType.LONG, -1L, new Pos(2, 7)));
        assertThat(((Literal) d.values().get(5)).value()).isNull();
    }

    @Test
    void datatableErrors() {
        assertError("datatable(A:string, B:long)['x']", "datatable has 1 values, not a whole number of rows of 2 columns at 1:28");
        assertError("datatable(A:string)[strcat('a', 'b')]", "datatable values must be literals at 1:21");
        assertError("datatable(A:text)['x']", "expected a column type but found 'text' at 1:13");
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
        "range x from 1 to 10 step 1 => unsupported: range at 1:1",
        "externaldata(x:string)[@'https://example.com/a.csv'] => unsupported: externaldata at 1:1",
        "find where x == 1 => unsupported: find at 1:1",
        "search \"phish\" => unsupported: search at 1:1",
        "evaluate bag_unpack(x) => unsupported: evaluate at 1:1",
        "let T = materialize(EmailEvents | take 1); T => unsupported: materialize at 1:9",
        "cluster('c').database('d').EmailEvents => unsupported: cluster at 1:1",
        "MyFunction(1) | take 1 => unsupported: calling 'MyFunction' as a tabular function at 1:1",
        "union Email* => unsupported: wildcard table names at 1:7",
    })
    void unsupportedSourcesNameTheFeature(String query, String message) {
        assertError(query.strip(), message);
    }

    // ---- operators ---------------------------------------------------------------------------------------------

    @Test
    void whereAndFilter() {
        assertThat(onlyOp("T | filter x")).isEqualTo(new Where(new Name("x", new Pos(1, 12)), new Pos(1, 5)));
    }

    @Test
    void projectAndExtendNameTheirColumns() {
        Project p = (Project) onlyOp("T | project A, B = x + 1, ['Malware Emails'] = count_, by");
        assertThat(columnNames(p.columns())).containsExactly("A", "B=", "Malware Emails=", "by");
        assertThat(p.columns().get(2).pos()).isEqualTo(new Pos(1, 27));
        Extend e = (Extend) onlyOp("T | extend Domain = tostring(split(SenderFromAddress, '@')[1]), strlen(Subject)");
        assertThat(e.columns().get(0).name()).isEqualTo("Domain");
        assertThat(e.columns().get(1).name()).isNull();
        assertError("T | extend (A, B) = f(x)", "unsupported: assigning to several columns at once at 1:12");
    }

    @Test
    void projectFamiliesTakeNamesAndWildcards() {
        assertThat(onlyOp("T | project-away Timestamp1, Network*Id, *1, ['Odd Name']"))
                .isEqualTo(new ProjectAway(List.of("Timestamp1", "Network*Id", "*1", "Odd Name"), new Pos(1, 5)));
        assertThat(onlyOp("T | project-keep Sender*, Subject")).isEqualTo(new ProjectKeep(List.of("Sender*", "Subject"), new Pos(1, 5)));
        assertThat(onlyOp("T | project-reorder packed asc, Sender* desc, Subject granny-asc, Z"))
                .isEqualTo(new ProjectReorder(List.of("packed", "Sender*", "Subject", "Z"), new Pos(1, 5)));
        assertThat(onlyOp("T | project-rename Sender = SenderFromAddress, ['To'] = RecipientEmailAddress"))
                .isEqualTo(new ProjectRename(List.of(new Rename("Sender", "SenderFromAddress", new Pos(1, 20)),
                        new Rename("To", "RecipientEmailAddress", new Pos(1, 48))), new Pos(1, 5)));
    }

    @Test
    void summarizeWithNamesHintsAndBinnedKeys() {
        Summarize s = (Summarize) onlyOp(
                "T | summarize hint.strategy=shuffle ['Malware Emails'] = countif(x), dcount(y), arg_max(Timestamp, *) by Time = bin(Timestamp, 1h), Sender");
        assertThat(s.aggregates()).extracting(NamedExpr::name).containsExactly("Malware Emails", null, null);
        assertThat(((Call) s.aggregates().get(2).expr()).args().get(1)).isEqualTo(new Star(new Pos(1, 100)));
        assertThat(s.by()).extracting(NamedExpr::name).containsExactly("Time", null);
        Call bin = (Call) s.by().get(0).expr();
        assertThat(bin.name()).isEqualTo("bin");
        assertThat(bin.args().get(1)).isEqualTo(new Literal(KqlType.TIMESPAN, Ticks.PER_HOUR, new Pos(1, 128)));

        Summarize byOnly = (Summarize) onlyOp("T | summarize by SenderFromDomain");
        assertThat(byOnly.aggregates()).isEmpty();
        assertThat(columnNames(byOnly.by())).containsExactly("SenderFromDomain");

        Summarize noBy = (Summarize) onlyOp("T | summarize count()");
        assertThat(noBy.by()).isEmpty();
    }

    @Test
    void sortDefaultsToDescending() {
        Sort s = (Sort) onlyOp("T | sort by x");
        assertThat(s.keys().getFirst().ascending()).isFalse();
        assertThat(s.keys().getFirst().nullsFirst()).isNull();

        Sort many = (Sort) onlyOp("T | order by a asc, b desc nulls first, c nulls last");
        assertThat(many.keys()).extracting(SortKey::ascending).containsExactly(true, false, false);
        assertThat(many.keys()).extracting(SortKey::nullsFirst).containsExactly(null, true, false);
        assertError("T | sort by a nulls middle", "expected 'first' or 'last' after 'nulls' but found 'middle' at 1:21");
        assertError("T | sort a", "expected 'by' but found 'a' at 1:10");
    }

    @Test
    void topTakeDistinctCount() {
        assertThat(onlyOp("T | top 10 by count_")).isEqualTo(new Top(new Literal(KqlType.LONG, 10L, new Pos(1, 9)),
                new SortKey(new Name("count_", new Pos(1, 15)), false, null, new Pos(1, 15)), new Pos(1, 5)));
        Top asc = (Top) onlyOp("T | top 5 by Timestamp asc nulls last");
        assertThat(asc.by().ascending()).isTrue();
        assertThat(asc.by().nullsFirst()).isFalse();
        assertThat(onlyOp("T | take 5")).isEqualTo(new Take(new Literal(KqlType.LONG, 5L, new Pos(1, 10)), new Pos(1, 5)));
        assertThat(onlyOp("T | limit 5")).isInstanceOf(Take.class);
        assertThat(onlyOp("T | distinct *")).isEqualTo(new Distinct(List.of(), true, new Pos(1, 5)));
        assertThat(columnNames(((Distinct) onlyOp("T | distinct A, B")).columns())).containsExactly("A", "B");
        assertThat(onlyOp("T | count")).isEqualTo(new Count(new Pos(1, 5)));
        assertError("T | top 5 by a, b", "unsupported: top with several sort keys at 1:15");
    }

    @Test
    void unionAsAnOperator() {
        Union u = (Union) onlyOp("T | union kind=inner U, (V | where x)");
        assertThat(u.kind()).isEqualTo("inner");
        assertThat(u.withSource()).isNull();
        assertThat(u.isFuzzy()).isFalse();
        assertThat(u.tables()).extracting(t -> ((Pipeline) t).source()).containsExactly(
                new TableRef("U", new Pos(1, 22)), new TableRef("V", new Pos(1, 26)));
        assertError("T | union kind=sideways U", "unknown union kind 'sideways' (expected inner or outer) at 1:16");
    }

    @Test
    void joinKindsRightSidesAndKeys() {
        Join j = (Join) onlyOp("EmailEvents | join kind=LeftOuter hint.remote=auto (EmailAttachmentInfo | where x) on NetworkMessageId, RecipientEmailAddress");
        assertThat(j.kind()).isEqualTo("leftouter");
        assertThat(((Pipeline) j.right()).source()).isEqualTo(new TableRef("EmailAttachmentInfo", new Pos(1, 53)));
        assertThat(j.keys()).containsExactly(new JoinKey("NetworkMessageId", "NetworkMessageId", new Pos(1, 87)),
                new JoinKey("RecipientEmailAddress", "RecipientEmailAddress", new Pos(1, 105)));

        Join bare = (Join) onlyOp("T | join U on $left.A == $right.B and $right.D == $left.C, Key");
        assertThat(bare.kind()).isNull();
        assertThat(bare.right()).isEqualTo(new Pipeline(new TableRef("U", new Pos(1, 10)), List.of(), new Pos(1, 10)));
        assertThat(bare.keys()).extracting(JoinKey::left, JoinKey::right)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("A", "B"), org.assertj.core.groups.Tuple.tuple("C", "D"),
                        org.assertj.core.groups.Tuple.tuple("Key", "Key"));

        assertThat(((Join) onlyOp("T | join kind=anti U on K")).kind()).isEqualTo("anti");
        assertThat(((Join) onlyOp("T | join kind=rightsemi (U) on K")).kind()).isEqualTo("rightsemi");
    }

    @Test
    void joinErrors() {
        assertError("T | join kind=sideways U on K", "unknown join kind 'sideways' at 1:15");
        assertError("T | join U", "expected 'on' but found end of query at 1:11");
        assertError("T | join U on $left.A > $right.B", "expected '==' (join conditions are equalities) but found '>' at 1:23");
        assertError("T | join U on $left.A == $left.B", "expected '$right' but found '$left' at 1:26");
        assertError("T | where $left.A == 1", "'$left' can only be used in a join's on clause at 1:11");
    }

    @Test
    void renderKeepsItsProperties() {
        assertThat(onlyOp("T | render timechart")).isEqualTo(new Render("timechart", List.of(), new Pos(1, 5)));
        Render r = (Render) onlyOp("T | render columnchart with (title=\"Mail\", kind=stacked, ycolumns=a, b)");
        assertThat(r.properties()).containsExactly(
                new NamedExpr("title", new Literal(KqlType.STRING, "Mail", new Pos(1, 36)), new Pos(1, 30)),
                new NamedExpr("kind", new Name("stacked", new Pos(1, 49)), new Pos(1, 44)),
                new NamedExpr("ycolumns", new Name("a", new Pos(1, 67)), new Pos(1, 58)),
                new NamedExpr("ycolumns", new Name("b", new Pos(1, 70)), new Pos(1, 70)));
        assertThat(((Render) onlyOp("T | render piechart title='x'")).properties()).extracting(NamedExpr::name).containsExactly("title");
    }

    @ParameterizedTest
    @ValueSource(strings = {"make-series", "mv-expand", "mvexpand", "mv-apply", "evaluate", "parse", "parse-where", "parse-kv",
        "lookup", "as", "invoke", "getschema", "serialize", "scan", "fork", "facet", "sample", "sample-distinct", "top-nested",
        "top-hitters", "reduce", "partition", "consume", "project-smart", "externaldata"})
    void tierCOperatorsAreUnsupportedAtTheirName(String operator) {
        assertError("EmailEvents\n| where x\n|  " + operator + " whatever(1)", "unsupported: " + operator + " at 3:4");
    }

    @Test
    void unknownOperatorsAndKeywordCase() {
        assertError("EmailEvents | frobnicate x", "unknown operator 'frobnicate' at 1:15");
        assertError("EmailEvents | WHERE x", "unknown operator 'WHERE' at 1:15");
        assertError("EmailEvents | 42", "expected an operator after '|' but found '42' at 1:15");
        assertError("EmailEvents |", "expected an operator after '|' but found end of query at 1:14");
    }

    // ---- positioned syntax errors ------------------------------------------------------------------------------

    @Test
    void syntaxErrorsPointAtTheOffendingToken() {
        assertError("EmailEvents\n| where Timestamp > ago(30d)\n| where isempty(x where", "expected ')' but found 'where' at 3:19");
        assertError("EmailEvents | where", "expected an expression but found end of query at 1:20");
        assertError("EmailEvents | where x in ('a', 'b'\n| take 1", "expected ')' but found '|' at 2:1");
        assertError("EmailEvents | where x == (1 + ", "expected an expression but found end of query at 1:31");
        assertError("EmailEvents | project a,", "expected an expression but found end of query at 1:25");
        assertError("EmailEvents | where \"unterminated", "unterminated string literal at 1:21");
        assertError("EmailEvents | where x\n| foo # bar", "unknown operator 'foo' at 2:3");
        assertError("EmailEvents | where x # y", "unexpected character '#' at 1:23");
    }

    @Test
    void nestingIsBoundedWithAClearError() {
        String deep = "EmailEvents | where " + "(".repeat(300) + "x" + ")".repeat(300);
        assertThatThrownBy(() -> KqlParser.parse(deep)).isInstanceOf(KqlException.class)
                .hasMessageStartingWith("expression nested too deeply");
        String deepTabular = "(".repeat(300) + "EmailEvents" + ")".repeat(300);
        assertThatThrownBy(() -> KqlParser.parse(deepTabular)).hasMessageStartingWith("expression nested too deeply");
        String deepDynamic = "print dynamic(" + "[".repeat(300) + "]".repeat(300) + ")";
        assertThatThrownBy(() -> KqlParser.parse(deepDynamic)).hasMessageStartingWith("expression nested too deeply");
        String hugeUnbalanced = "EmailEvents | where " + "(".repeat(200_000);
        assertThatThrownBy(() -> KqlParser.parse(hugeUnbalanced)).isInstanceOf(KqlException.class);
        // realistic nesting is far below the bound
        String fine = "EmailEvents | where " + "(".repeat(50) + "x" + ")".repeat(50);
        assertThat(body(fine).ops()).hasSize(1);
    }

    @Test
    void largeQueriesParseInLinearTime() {
        StringBuilder q = new StringBuilder("EmailEvents\n");
        while (q.length() < 10_000) {
            q.append("| where Subject has_any ('invoice', 'payment') and SenderFromDomain !in~ ('contoso.com') and Timestamp between (ago(7d) .. now())\n");
            q.append("| extend D = tostring(parse_json(AuthenticationDetails).DMARC), N = strcat(NetworkMessageId, '-', RecipientEmailAddress)\n");
        }
        String tenKb = q.toString();
        for (int i = 0; i < 300; i++) KqlParser.parse(tenKb); // warm up
        long start = System.nanoTime();
        int runs = 200;
        for (int i = 0; i < runs; i++) KqlParser.parse(tenKb);
        double msPerParse = (System.nanoTime() - start) / 1e6 / runs;
        // the budget is "well under a millisecond"; the bound leaves room for a loaded CI machine
        assertThat(msPerParse).as("ms per 10 KB parse").isLessThan(5.0);

        // 100 times the text must take about 100 times as long, not 10,000 times (no quadratic step anywhere)
        String oneMb = tenKb + tenKb.substring("EmailEvents\n".length()).repeat(99);
        long t0 = System.nanoTime();
        Query big = KqlParser.parse(oneMb);
        assertThat(((Pipeline) big.body()).ops()).hasSizeGreaterThan(5_000);
        assertThat((System.nanoTime() - t0) / 1e6).as("ms for a 1 MB query").isLessThan(2_000);
    }
}
