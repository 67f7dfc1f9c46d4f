// Parses KQL query text (let statements, sources and | operators) into the syntax tree of Ast.
package dev.gatehouse.kql;

import dev.gatehouse.kql.KqlToken.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A hand-written recursive-descent parser for the part of KQL that Defender hunting queries use (spec §1–§2);
 * expressions are left to {@link KqlExpressionParser}. Every bad input ends in a {@link KqlException} whose
 * position is in the text: a syntax error names what was expected and what was found, and a real KQL feature this
 * engine does not run reads {@code unsupported: <feature> at line:col}, pointing at the feature's first token.
 *
 * <p>A parenthesised tabular expression with no operators after it is returned as what it holds, so
 * {@code join (T | where x)} and {@code in ((T | project X))} give the inner pipeline, not a {@link Ast.Nested}.
 */
public final class KqlParser {
    /** Real operators this engine does not run: {@code | make-series ...} is {@code unsupported: make-series}. */
    private static final Set<String> UNSUPPORTED_OPERATORS = Set.of("make-series", "mv-expand", "mvexpand", "mv-apply",
            "mvapply", "evaluate", "parse", "parse-where", "parse-kv", "lookup", "as", "invoke", "getschema", "serialize",
            "scan", "fork", "facet", "sample", "sample-distinct", "top-nested", "top-hitters", "reduce", "partition",
            "partition-by", "externaldata", "consume", "project-smart", "find", "search", "execute-and-cache",
            "macro-expand", "make-graph", "graph-match", "graph-merge", "graph-to-table", "graph-shortest-paths",
            "graph-mark-components", "assert-schema");

    /** Sources this engine does not read: {@code range x from ...}, {@code externaldata(...)}, ... */
    private static final Set<String> UNSUPPORTED_SOURCES = Set.of("range", "externaldata", "external_data", "find",
            "search", "evaluate", "materialize", "cluster", "database", "table", "external_table", "materialized_view",
            "view", "totable", "toscalar", "entity_group", "macro-expand", "graph");

    /** Statements other than let and the query. */
    private static final Set<String> UNSUPPORTED_STATEMENTS = Set.of("set", "declare", "alias", "restrict", "pattern");

    private static final Set<String> JOIN_KINDS = Set.of("innerunique", "inner", "leftouter", "rightouter", "fullouter",
            "leftsemi", "leftanti", "anti", "leftantisemi", "rightsemi", "rightanti", "rightantisemi", "semi");

    private static final Map<String, KqlType> TYPES = new HashMap<>();

    static {
        for (String t : new String[] {"bool", "boolean"}) TYPES.put(t, KqlType.BOOL);
        for (String t : new String[] {"int", "int32"}) TYPES.put(t, KqlType.INT);
        for (String t : new String[] {"long", "int64"}) TYPES.put(t, KqlType.LONG);
        for (String t : new String[] {"real", "double", "decimal"}) TYPES.put(t, KqlType.REAL);
        for (String t : new String[] {"datetime", "date"}) TYPES.put(t, KqlType.DATETIME);
        for (String t : new String[] {"timespan", "time"}) TYPES.put(t, KqlType.TIMESPAN);
        for (String t : new String[] {"string", "guid", "uuid", "uniqueid"}) TYPES.put(t, KqlType.STRING);
        TYPES.put("dynamic", KqlType.DYNAMIC);
    }

    private final TokenCursor c;
    private final KqlExpressionParser expr;

    private KqlParser(String text) {
        this.c = new TokenCursor(KqlLexer.lex(text));
        this.expr = new KqlExpressionParser(c, this::tabular);
    }

    /** Parses a whole query; throws {@link KqlException} (and nothing else) for any text that is not one. */
    public static Ast.Query parse(String text) {
        return new KqlParser(text == null ? "" : text).query();
    }

    // ---- statements --------------------------------------------------------------------------------------------

    private Ast.Query query() {
        List<Ast.Let> lets = new ArrayList<>();
        Ast.Tabular body = null;
        Pos first = null;
        while (!c.atEnd()) {
            KqlToken tok = c.peek();
            if (c.acceptPunct(";")) continue;
            if (body != null) {
                if (tok.isWord("let")) throw new KqlException("let statements must come before the query's tabular expression", tok.pos());
                throw KqlException.unsupported("several tabular statements", tok.pos());
            }
            if (first == null) first = tok.pos();
            if (tok.isWord("let")) {
                lets.add(let());
            } else if (tok.kind() == Kind.IDENT && UNSUPPORTED_STATEMENTS.contains(tok.text()) && c.peek(1).kind() == Kind.IDENT) {
                throw KqlException.unsupported(tok.text(), tok.pos());
            } else {
                body = tabular();
            }
            if (!c.atEnd() && !c.acceptPunct(";")) {
                throw c.expected(body == null ? "';' after the let statement" : "'|', ';' or end of query");
            }
        }
        if (body == null) {
            throw new KqlException(lets.isEmpty() ? "empty query" : "the query has no tabular expression after its let statements",
                    c.peek().pos());
        }
        return new Ast.Query(List.copyOf(lets), body, first);
    }

    /**
     * {@code let name = value}: tabular or scalar as {@link Ast.Let} describes. Function and view lets are reported
     * as unsupported at the {@code let}.
     */
    private Ast.Let let() {
        Pos pos = c.advance().pos();
        String name = c.name("a name after 'let'");
        c.expectPunct("=");
        int value = c.index();
        if (c.atPunct("(") && c.closeOf(value) >= 0 && c.at(c.closeOf(value) + 1).isPunct("{")) {
            throw KqlException.unsupported("let function", pos);
        }
        if (c.atWord("view") && c.peek(1).isPunct("(")) throw KqlException.unsupported("let view", pos);
        Ast.Node node = c.letValueIsTabular() ? tabular() : expr.parse();
        return new Ast.Let(name, node, pos);
    }

    // ---- tabular expressions -----------------------------------------------------------------------------------

    /** A source and its {@code | operator}s, ending before the first token that cannot continue it. */
    private Ast.Tabular tabular() {
        c.enter();
        Ast.Source source = source();
        List<Ast.Op> ops = new ArrayList<>();
        while (c.acceptPunct("|")) ops.add(operator());
        c.exit();
        if (ops.isEmpty() && source instanceof Ast.Nested nested) return nested.inner();
        return new Ast.Pipeline(source, List.copyOf(ops), source.pos());
    }

    private Ast.Source source() {
        KqlToken tok = c.peek();
        if (tok.isPunct("(")) return new Ast.Nested(parenthesised(), tok.pos());
        if (tok.kind() == Kind.IDENT) {
            switch (tok.text()) {
                case "union" -> {
                    c.advance();
                    UnionParams params = unionParams();
                    return new Ast.UnionSource(unionTables(), params.kind, params.withSource, params.isFuzzy, tok.pos());
                }
                case "datatable" -> {
                    return datatable();
                }
                case "print" -> {
                    c.advance();
                    return new Ast.Print(namedList(), tok.pos());
                }
                default -> { }
            }
        }
        return tableRef("a table name or tabular expression");
    }

    /** {@code ( tabular )}. */
    private Ast.Tabular parenthesised() {
        c.expectPunct("(");
        Ast.Tabular inner = tabular();
        c.expectPunct(")");
        return inner;
    }

    /** A table or tabular let name; a call ({@code MyFunction(...)}) or an unsupported source word is refused. */
    private Ast.TableRef tableRef(String what) {
        KqlToken tok = c.peek();
        if (c.isBracketName(c.index())) return new Ast.TableRef(c.name(what), tok.pos());
        if (tok.kind() != Kind.IDENT || tok.text().startsWith("$")) throw c.expected(what);
        if (UNSUPPORTED_SOURCES.contains(tok.text())) throw KqlException.unsupported(tok.text(), tok.pos());
        if (c.peek(1).isPunct("(")) throw KqlException.unsupported("calling '" + tok.text() + "' as a tabular function", tok.pos());
        if (c.peek(1).isPunct("*") && TokenCursor.touching(tok, c.peek(1))) {
            throw KqlException.unsupported("wildcard table names", tok.pos());
        }
        c.advance();
        return new Ast.TableRef(tok.text(), tok.pos());
    }

    /** A table name, or a parenthesised tabular expression (as in {@code union} and {@code join}). */
    private Ast.Tabular tableOrParenthesised() {
        KqlToken tok = c.peek();
        if (tok.isPunct("(")) return parenthesised();
        if (tok.isPunct("*")) throw KqlException.unsupported("wildcard table names", tok.pos());
        return new Ast.Pipeline(tableRef("a table name or parenthesised tabular expression"), List.of(), tok.pos());
    }

    private Ast.Datatable datatable() {
        KqlToken keyword = c.advance();
        c.expectPunct("(");
        List<Ast.ColumnDef> columns = new ArrayList<>();
        while (!c.atPunct(")")) {
            KqlToken at = c.peek();
            String name = c.name("a column name");
            c.expectPunct(":");
            KqlToken typeToken = c.peek();
            KqlType type = typeToken.kind() == Kind.IDENT ? TYPES.get(typeToken.text()) : null;
            if (type == null) throw c.expected("a column type");
            c.advance();
            columns.add(new Ast.ColumnDef(name, type, at.pos()));
            if (!c.acceptPunct(",")) break;
        }
        c.expectPunct(")");
        if (columns.isEmpty()) throw new KqlException("datatable needs at least one column", keyword.pos());
        KqlToken open = c.expectPunct("[");
        List<Ast.Expr> values = new ArrayList<>();
        while (!c.atPunct("]")) {
            Ast.Expr value = foldSign(expr.parse());
            if (!(value instanceof Ast.Literal)) throw new KqlException("datatable values must be literals", value.pos());
            values.add(value);
            if (!c.acceptPunct(",")) break;
        }
        c.expectPunct("]");
        if (values.size() % columns.size() != 0) {
            throw new KqlException("datatable has " + values.size() + " values, not a whole number of rows of "
                    + columns.size() + " columns", open.pos());
        }
        return new Ast.Datatable(List.copyOf(columns), List.copyOf(values), keyword.pos());
    }

    /** {@code -5} as the literal -5 (datatable values must be literals). */
    private static Ast.Expr foldSign(Ast.Expr e) {
        if (e instanceof Ast.Unary(String op, Ast.Literal l, Pos pos) && l.value() != null) {
            boolean minus = op.equals("-");
            Object v = l.value();
            if (v instanceof Long n && (l.type().isNumeric() || l.type() == KqlType.TIMESPAN)) return new Ast.Literal(l.type(), minus ? -n : n, pos);
            if (v instanceof Double d) return new Ast.Literal(l.type(), minus ? -d : d, pos);
        }
        return e;
    }

    // ---- operators ---------------------------------------------------------------------------------------------

    private Ast.Op operator() {
        KqlToken tok = c.peek();
        if (tok.kind() != Kind.IDENT) throw c.expected("an operator after '|'");
        String name = operatorName();
        Pos pos = tok.pos();
        return switch (name) {
            case "where", "filter" -> new Ast.Where(expr.parse(), pos);
            case "project" -> new Ast.Project(namedList(), pos);
            case "project-away" -> new Ast.ProjectAway(patterns(false), pos);
            case "project-keep" -> new Ast.ProjectKeep(patterns(false), pos);
            case "project-reorder" -> new Ast.ProjectReorder(patterns(true), pos);
            case "project-rename" -> new Ast.ProjectRename(renames(), pos);
            case "extend" -> new Ast.Extend(namedList(), pos);
            case "summarize" -> summarize(pos);
            case "top" -> top(pos);
            case "sort", "order" -> sort(pos);
            case "take", "limit" -> {
                hints();
                yield new Ast.Take(expr.parse(), pos);
            }
            case "distinct" -> distinct(pos);
            case "count" -> {
                if (c.atWord("as")) throw KqlException.unsupported("count as", c.peek().pos());
                yield new Ast.Count(pos);
            }
            case "union" -> {
                UnionParams params = unionParams();
                yield new Ast.Union(unionTables(), params.kind, params.withSource, params.isFuzzy, pos);
            }
            case "join" -> join(pos);
            case "render" -> render(pos);
            default -> {
                if (UNSUPPORTED_OPERATORS.contains(name)) throw KqlException.unsupported(name, pos);
                throw new KqlException("unknown operator '" + name + "'", pos);
            }
        };
    }

    /** An operator's name; hyphenated names ({@code project-away}, {@code mv-expand}) are written without spaces. */
    private String operatorName() {
        KqlToken last = c.advance();
        StringBuilder name = new StringBuilder(last.text());
        while (c.peek(0).isPunct("-") && TokenCursor.touching(last, c.peek(0))
                && c.peek(1).kind() == Kind.IDENT && TokenCursor.touching(c.peek(0), c.peek(1))) {
            c.advance();
            last = c.advance();
            name.append('-').append(last.text());
        }
        return name.toString();
    }

    /** {@code [Name =] expr, ...}. */
    private List<Ast.NamedExpr> namedList() {
        List<Ast.NamedExpr> list = new ArrayList<>();
        do {
            list.add(named());
        } while (c.acceptPunct(","));
        return List.copyOf(list);
    }

    private Ast.NamedExpr named() {
        KqlToken tok = c.peek();
        int k = c.index();
        int nameLength = c.nameLength(k);
        if (nameLength > 0 && c.at(k + nameLength).isPunct("=")) {
            String name = c.name("a column name");
            c.advance();
            return new Ast.NamedExpr(name, expr.parse(), tok.pos());
        }
        if (tok.isPunct("(") && c.closeOf(k) >= 0 && c.at(c.closeOf(k) + 1).isPunct("=")) {
            throw KqlException.unsupported("assigning to several columns at once", tok.pos());
        }
        return new Ast.NamedExpr(null, expr.parse(), tok.pos());
    }

    /** Column names or wildcard patterns ({@code a}, {@code b*}, {@code *Id}); for project-reorder, directions are skipped. */
    private List<String> patterns(boolean directions) {
        List<String> list = new ArrayList<>();
        do {
            list.add(pattern());
            if (directions) skipDirection();
        } while (c.acceptPunct(","));
        return List.copyOf(list);
    }

    private String pattern() {
        if (c.isBracketName(c.index())) return c.name("a column name");
        KqlToken last = c.peek();
        if (last.kind() != Kind.IDENT && !last.isPunct("*")) throw c.expected("a column name or pattern");
        StringBuilder pattern = new StringBuilder(last.text());
        c.advance();
        while (TokenCursor.touching(last, c.peek()) && isPatternPiece(c.peek())) {
            last = c.advance();
            pattern.append(last.text());
        }
        return pattern.toString();
    }

    private static boolean isPatternPiece(KqlToken tok) {
        return tok.kind() == Kind.IDENT || tok.isPunct("*") || (tok.kind() == Kind.LITERAL && tok.type() == KqlType.LONG);
    }

    /** {@code asc}, {@code desc}, {@code granny-asc}, {@code granny-desc} after a project-reorder column. */
    private void skipDirection() {
        if (c.acceptWord("asc") || c.acceptWord("desc")) return;
        if (c.atWord("granny") && c.peek(1).isPunct("-") && (c.peek(2).isWord("asc") || c.peek(2).isWord("desc"))) {
            c.advance();
            c.advance();
            c.advance();
        }
    }

    private List<Ast.Rename> renames() {
        List<Ast.Rename> list = new ArrayList<>();
        do {
            KqlToken tok = c.peek();
            String newName = c.name("a new column name");
            c.expectPunct("=");
            String oldName = c.name("the column to rename");
            list.add(new Ast.Rename(newName, oldName, tok.pos()));
        } while (c.acceptPunct(","));
        return List.copyOf(list);
    }

    /** {@code summarize [hint.x=y] [aggregates] [by keys]}. */
    private Ast.Summarize summarize(Pos pos) {
        hints();
        List<Ast.NamedExpr> aggregates = atBy() ? List.of() : namedList();
        List<Ast.NamedExpr> by = List.of();
        if (atBy()) {
            c.advance();
            by = namedList();
        }
        return new Ast.Summarize(aggregates, by, pos);
    }

    /** {@code by} as the keyword, not a column called by ({@code by = ...}). */
    private boolean atBy() { return c.atWord("by") && !c.peek(1).isPunct("="); }

    private Ast.Top top(Pos pos) {
        hints();
        Ast.Expr count = expr.parse();
        c.expectWord("by");
        Ast.SortKey key = sortKey();
        if (c.atPunct(",")) throw KqlException.unsupported("top with several sort keys", c.peek().pos());
        return new Ast.Top(count, key, pos);
    }

    private Ast.Sort sort(Pos pos) {
        hints();
        c.expectWord("by");
        List<Ast.SortKey> keys = new ArrayList<>();
        do {
            keys.add(sortKey());
        } while (c.acceptPunct(","));
        return new Ast.Sort(List.copyOf(keys), pos);
    }

    /** {@code expr [asc|desc] [nulls first|last]}; no direction means descending, as in KQL. */
    private Ast.SortKey sortKey() {
        Ast.Expr e = expr.parse();
        boolean ascending = c.acceptWord("asc");
        if (!ascending) c.acceptWord("desc");
        Boolean nullsFirst = null;
        if (c.acceptWord("nulls")) {
            if (c.acceptWord("first")) nullsFirst = true;
            else if (c.acceptWord("last")) nullsFirst = false;
            else throw c.expected("'first' or 'last' after 'nulls'");
        }
        return new Ast.SortKey(e, ascending, nullsFirst, e.pos());
    }

    private Ast.Distinct distinct(Pos pos) {
        hints();
        if (c.atPunct("*")) {
            c.advance();
            return new Ast.Distinct(List.of(), true, pos);
        }
        return new Ast.Distinct(namedList(), false, pos);
    }

    private record UnionParams(String kind, String withSource, boolean isFuzzy) {}

    /** {@code [kind=inner|outer] [withsource=Name] [isfuzzy=true]} in any order, hints ignored. */
    private UnionParams unionParams() {
        String kind = null, withSource = null;
        boolean isFuzzy = false;
        while (true) {
            if (hint()) continue;
            KqlToken name = c.peek();
            if (name.kind() != Kind.IDENT || !c.peek(1).isPunct("=")) break;
            switch (name.text()) {
                case "kind" -> {
                    c.advance();
                    c.advance();
                    KqlToken value = c.peek();
                    kind = value.kind() == Kind.IDENT ? value.text().toLowerCase(Locale.ROOT) : "";
                    if (!kind.equals("inner") && !kind.equals("outer")) {
                        throw new KqlException("unknown union kind " + value.describe() + " (expected inner or outer)", value.pos());
                    }
                    c.advance();
                }
                case "withsource", "with_source" -> {
                    c.advance();
                    c.advance();
                    withSource = c.name("a column name after withsource=");
                }
                case "isfuzzy" -> {
                    c.advance();
                    c.advance();
                    KqlToken value = c.peek();
                    if (value.kind() != Kind.LITERAL || value.type() != KqlType.BOOL || value.value() == null) {
                        throw c.expected("true or false after isfuzzy=");
                    }
                    isFuzzy = (Boolean) c.advance().value();
                }
                default -> {
                    return new UnionParams(kind, withSource, isFuzzy);
                }
            }
        }
        return new UnionParams(kind, withSource, isFuzzy);
    }

    private List<Ast.Tabular> unionTables() {
        List<Ast.Tabular> tables = new ArrayList<>();
        do {
            tables.add(tableOrParenthesised());
        } while (c.acceptPunct(","));
        return List.copyOf(tables);
    }

    /** {@code join [kind=K] [hint.x=y] (Right) on keys}. */
    private Ast.Join join(Pos pos) {
        String kind = null;
        while (true) {
            if (hint()) continue;
            if (c.atWord("kind") && c.peek(1).isPunct("=")) {
                c.advance();
                c.advance();
                KqlToken value = c.peek();
                String k = value.kind() == Kind.IDENT ? value.text().toLowerCase(Locale.ROOT) : null;
                if (k == null || !JOIN_KINDS.contains(k)) throw new KqlException("unknown join kind " + value.describe(), value.pos());
                c.advance();
                kind = k;
                continue;
            }
            break;
        }
        Ast.Tabular right = tableOrParenthesised();
        if (c.atWord("where")) throw KqlException.unsupported("join ... where", c.peek().pos());
        c.expectWord("on");
        List<Ast.JoinKey> keys = new ArrayList<>();
        do {
            keys.add(joinKey());
        } while (c.acceptPunct(",") || c.acceptWord("and"));
        return new Ast.Join(kind, right, List.copyOf(keys), pos);
    }

    /** {@code Key}, or {@code $left.A == $right.B} (either side first). */
    private Ast.JoinKey joinKey() {
        KqlToken first = c.peek();
        if (first.isWord("$left") || first.isWord("$right")) {
            String a = sideColumn();
            if (!c.atPunct("==")) throw c.expected("'==' (join conditions are equalities)");
            c.advance();
            KqlToken second = c.peek();
            String otherSide = first.isWord("$left") ? "$right" : "$left";
            if (!second.isWord(otherSide)) throw c.expected("'" + otherSide + "'");
            String b = sideColumn();
            return first.isWord("$left") ? new Ast.JoinKey(a, b, first.pos()) : new Ast.JoinKey(b, a, first.pos());
        }
        String name = c.name("a join key");
        if (c.atPunct("==")) throw c.expected("',' or the end of the join (write '$left.A == $right.B' to join columns of different names)");
        return new Ast.JoinKey(name, name, first.pos());
    }

    /** {@code $left.Column} / {@code $right.Column}: the column. */
    private String sideColumn() {
        c.advance();
        c.expectPunct(".");
        return c.name("a column name");
    }

    /** {@code render kind [with (name = value, ...)]}; a list value ({@code ycolumns=a, b}) repeats the name. */
    private Ast.Render render(Pos pos) {
        KqlToken viz = c.peek();
        if (viz.kind() != Kind.IDENT) throw c.expected("a visualization after 'render'");
        c.advance();
        List<Ast.NamedExpr> properties = new ArrayList<>();
        if (c.acceptWord("with")) {
            c.expectPunct("(");
            if (!c.atPunct(")")) {
                do {
                    renderProperty(properties);
                } while (c.acceptPunct(","));
            }
            c.expectPunct(")");
        } else {
            while (c.peek().kind() == Kind.IDENT && c.peek(1).isPunct("=")) renderProperty(properties);
        }
        return new Ast.Render(viz.text(), List.copyOf(properties), pos);
    }

    private void renderProperty(List<Ast.NamedExpr> into) {
        KqlToken tok = c.peek();
        String name = c.name("a render property");
        c.expectPunct("=");
        into.add(new Ast.NamedExpr(name, expr.parse(), tok.pos()));
        while (c.atPunct(",") && c.peek(1).kind() == Kind.IDENT && !c.peek(2).isPunct("=")) {
            c.advance();
            KqlToken more = c.peek();
            into.add(new Ast.NamedExpr(name, expr.parse(), more.pos()));
        }
    }

    // ---- operator parameters -----------------------------------------------------------------------------------

    /** Skips {@code hint.name = value} parameters, which only tune Kusto's execution. */
    private void hints() {
        while (hint()) {
            // skip them all
        }
    }

    private boolean hint() {
        if (!(c.atWord("hint") && c.peek(1).isPunct(".") && c.peek(2).kind() == Kind.IDENT && c.peek(3).isPunct("="))) return false;
        for (int k = 0; k < 4; k++) c.advance();
        KqlToken value = c.peek();
        if (value.kind() != Kind.IDENT && value.kind() != Kind.LITERAL && value.kind() != Kind.STRING) throw c.expected("a hint value");
        c.advance();
        return true;
    }
}
