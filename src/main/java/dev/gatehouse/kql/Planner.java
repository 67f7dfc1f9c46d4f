// Turns the syntax tree into a plan of operators, resolving names, types and lets, and runs the final one.
package dev.gatehouse.kql;

import dev.gatehouse.kql.Ast.NamedExpr;
import dev.gatehouse.kql.ColumnarTable.Column;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Each {@code | operator} becomes one {@link Rel} over the previous one. The {@code where}s right after a table
 * narrow the chunks it reads by time; {@code take}, and the result cap, stop the scan early when nothing blocking
 * comes before them. Tabular lets are planned where they are used, in the scope they were defined in.
 */
final class Planner {
    final Ctx ctx;
    /** One snapshot per table for the whole query, so a table read twice (a self-join, two threads) reads the same rows. */
    private final Map<String, ColumnarTable.Snapshot> snapshots = new java.util.HashMap<>();
    String visualization;
    Map<String, String> renderProperties = Map.of();

    Planner(Ctx ctx) { this.ctx = ctx; }

    QueryResult run(Ast.Query q, Catalog catalog) {
        Env env = new Env(catalog);
        for (Ast.Let let : q.lets()) env = let(let, env);
        Ast.Tabular body = q.body();
        Rel rel = plan(body, env, true);
        int cap = ctx.rowCap;
        List<Object[]> rows = new ArrayList<>();
        boolean[] truncated = {false};
        rel.run(ctx, b -> {
            for (int i = 0; i < b.n(); i++) {
                if (rows.size() == cap) {
                    truncated[0] = true;
                    return false;
                }
                Object[] row = new Object[b.cols().length];
                for (int c = 0; c < row.length; c++) row[c] = b.cols()[c].get(i);
                rows.add(row);
            }
            ctx.check();
            return true;
        });
        return new QueryResult(rel.schema.columns(), rows, truncated[0], cap, visualization, renderProperties);
    }

    private Env let(Ast.Let let, Env env) {
        return switch (let.value()) {
            case Ast.Tabular t -> env.with(let.name(), new Env.Tabular(t, env));
            case Ast.Expr e -> {
                if (e instanceof Ast.Name n && env.isTabular(n.name())) {
                    yield env.with(let.name(), new Env.Tabular(new Ast.Pipeline(new Ast.TableRef(n.name(), n.pos()), List.of(), n.pos()), env));
                }
                CExpr c = new Compiler(new Schema(List.of()), env, this, ctx).compile(e);
                if (!c.isConst()) throw new KqlException("the value of let " + let.name() + " must not depend on a column", let.pos());
                yield env.with(let.name(), new Env.Scalar(c.type, c.constValue()));
            }
        };
    }

    Rel plan(Ast.Tabular t, Env env) { return plan(t, env, false); }

    private Rel plan(Ast.Tabular t, Env env, boolean top) {
        Ast.Pipeline p = (Ast.Pipeline) t;
        Rel rel = source(p.source(), env);
        List<Ast.Op> ops = p.ops();
        for (int i = 0; i < ops.size(); i++) {
            Ast.Op op = ops.get(i);
            if (op instanceof Ast.Render r) {
                if (!top || i != ops.size() - 1) throw new KqlException("render must be the last operator of the query", r.pos());
                visualization = r.visualization();
                Map<String, String> props = new LinkedHashMap<>();
                for (NamedExpr ne : r.properties()) {
                    String value = ne.expr() instanceof Ast.Name n ? n.name()
                            : ne.expr() instanceof Ast.Literal l ? Values.toText(l.type(), l.value()) : "";
                    props.put(ne.name() == null ? "" : ne.name(), value);
                }
                renderProperties = props;
                continue;
            }
            int upto = i;
            java.util.function.Supplier<Rel> replan = () -> plan(new Ast.Pipeline(p.source(), ops.subList(0, upto), p.pos()), env);
            rel = apply(op, rel, env, replan);
        }
        return rel;
    }

    private Rel source(Ast.Source s, Env env) {
        return switch (s) {
            case Ast.TableRef r -> table(r.name(), r.pos(), env);
            case Ast.Nested n -> plan(n.inner(), env);
            case Ast.UnionSource u -> {
                List<Rel> ins = new ArrayList<>();
                List<String> names = new ArrayList<>();
                for (Ast.Tabular t : u.tables()) {
                    ins.add(plan(t, env));
                    names.add(sourceName(t));
                }
                yield UnionOp.of(ins, names, u.kind(), u.withSource(), u.pos(), ctx);
            }
            case Ast.Datatable d -> datatable(d, env);
            case Ast.Print p -> {
                Compiler c = new Compiler(new Schema(List.of()), env, this, ctx);
                List<Column> cols = new ArrayList<>();
                List<Object> vals = new ArrayList<>();
                Set<String> taken = new HashSet<>();
                int k = 0;
                for (NamedExpr ne : p.columns()) {
                    CExpr e = c.compile(ne.expr());
                    if (!e.isConst()) throw new KqlException("print takes constant expressions", ne.pos());
                    String name = ne.name() != null ? ne.name() : "print_" + k;
                    k++;
                    if (!taken.add(name)) throw new KqlException("the column '" + name + "' is given twice", ne.pos());
                    cols.add(new Column(name, e.type));
                    vals.add(e.constValue());
                }
                Schema schema = new Schema(cols);
                yield new Rel.Rows(Frame.ofRows(schema, List.<Object[]>of(vals.toArray())));
            }
        };
    }

    static String sourceName(Ast.Tabular t) {
        Ast.Pipeline p = (Ast.Pipeline) t;
        return p.source() instanceof Ast.TableRef r ? r.name() : "union_arg";
    }

    Rel table(String name, Pos pos, Env env) {
        Env.Binding b = env.get(name);
        if (b instanceof Env.Tabular tb) return plan(tb.body(), tb.scope());
        if (b instanceof Env.Scalar) throw new KqlException("'" + name + "' is a scalar, not a table", pos);
        ColumnarTable.Snapshot snap = snapshots.computeIfAbsent(name, env.catalog::table);
        if (snap == null) {
            throw new KqlException("Failed to resolve table expression named '" + name + "'"
                    + (env.catalog.tableNames().isEmpty() ? "" : " (tables: " + String.join(", ", new java.util.TreeSet<>(env.catalog.tableNames())) + ")"), pos);
        }
        return new Rel.Scan(snap);
    }

    private Rel datatable(Ast.Datatable d, Env env) {
        List<Column> cols = new ArrayList<>();
        for (Ast.ColumnDef c : d.columns()) cols.add(new Column(c.name(), c.type()));
        Schema schema = new Schema(cols);
        int w = cols.size();
        if (w == 0 || d.values().size() % w != 0) throw new KqlException("datatable needs " + w + " values per row", d.pos());
        Compiler c = new Compiler(new Schema(List.of()), env, this, ctx);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < d.values().size(); i += w) {
            Object[] row = new Object[w];
            for (int k = 0; k < w; k++) {
                CExpr e = c.compile(d.values().get(i + k));
                if (!e.isConst()) throw new KqlException("datatable values must be literals", d.values().get(i + k).pos());
                Object v = e.type == cols.get(k).type() ? e.constValue() : Functions.convert(e.constValue(), e.type, cols.get(k).type());
                row[k] = v;
            }
            rows.add(row);
        }
        return new Rel.Rows(Frame.ofRows(schema, rows));
    }

    /** @param replan plans the input again (the pipeline up to {@code op}), for a second thread */
    private Rel apply(Ast.Op op, Rel in, Env env, java.util.function.Supplier<Rel> replan) {
        return switch (op) {
            case Ast.Where w -> where(w, in, env);
            case Ast.Project p -> project(p.columns(), in, env, p.pos());
            case Ast.Extend e -> extend(e.columns(), in, env);
            case Ast.ProjectAway a -> keep(in, matching(in.schema, a.patterns(), a.pos(), false), false);
            case Ast.ProjectKeep k -> keep(in, matching(in.schema, k.patterns(), k.pos(), true), true);
            case Ast.ProjectRename r -> rename(r, in);
            case Ast.ProjectReorder r -> reorder(r, in);
            case Ast.Take t -> new Rel.Take(in, constLong(t.count(), env, "take"));
            case Ast.Count c -> count(in, replan);
            case Ast.Sort s -> Sorting.sort(in, s.keys(), this, env, ctx, Long.MAX_VALUE);
            case Ast.Top t -> Sorting.sort(in, List.of(t.by()), this, env, ctx, constLong(t.count(), env, "top"));
            case Ast.Summarize s -> SummarizeOp.plan(in, s, this, env, ctx, replan);
            case Ast.Distinct d -> distinct(d, in, env);
            case Ast.Join j -> JoinOp.plan(in, j, this, env, ctx);
            case Ast.Union u -> {
                List<Rel> ins = new ArrayList<>();
                List<String> names = new ArrayList<>();
                ins.add(in);
                names.add("union_arg0");
                for (Ast.Tabular t : u.tables()) {
                    ins.add(plan(t, env));
                    names.add(sourceName(t));
                }
                yield UnionOp.of(ins, names, u.kind(), u.withSource(), u.pos(), ctx);
            }
            case Ast.Render r -> throw new KqlException("render must be the last operator of the query", r.pos());
        };
    }

    Compiler compiler(Schema s, Env env) { return new Compiler(s, env, this, ctx); }

    long constLong(Ast.Expr e, Env env, String op) {
        CExpr c = compiler(new Schema(List.of()), env).compile(e);
        if (!c.isConst() || !(c.constValue() instanceof Long n)) throw new KqlException(op + " needs a constant whole number", e.pos());
        if (n < 0) throw new KqlException(op + " needs a number of rows of 0 or more, not " + n, e.pos());
        return n;
    }

    // ---- where -------------------------------------------------------------------------------------------------

    private Rel where(Ast.Where w, Rel in, Env env) {
        List<Ast.Expr> parts = new ArrayList<>();
        conjuncts(w.predicate(), parts);
        Compiler c = compiler(in.schema, env);
        List<Rel.Filter.Conjunct> compiled = new ArrayList<>();
        Rel.Scan scan = scanUnder(in);
        for (Ast.Expr p : parts) {
            CExpr e = c.compile(p);
            if (e.type != KqlType.BOOL && e.type != KqlType.DYNAMIC) {
                throw new KqlException("the predicate of where must be bool, but this is " + e.type, p.pos());
            }
            long[] span = scan != null ? prune(scan, p, c) : null;
            if (e.isConst() && Boolean.TRUE.equals(e.constValue())) continue;
            compiled.add(span == null ? new Rel.Filter.Conjunct(e) : new Rel.Filter.Conjunct(e, span[0], span[1]));
        }
        if (compiled.isEmpty()) return in;
        if (in instanceof Rel.Filter f) {
            List<Rel.Filter.Conjunct> all = new ArrayList<>(f.conjuncts);
            all.addAll(compiled);
            return new Rel.Filter(f.child, all);
        }
        return new Rel.Filter(in, compiled);
    }

    private static void conjuncts(Ast.Expr e, List<Ast.Expr> out) {
        if (e instanceof Ast.Binary b && b.op().equals("and")) {
            conjuncts(b.left(), out);
            conjuncts(b.right(), out);
        } else out.add(e);
    }

    /** The table scan directly under a chain of where's, whose time column the predicates can prune on. */
    private static Rel.Scan scanUnder(Rel r) {
        if (r instanceof Rel.Scan s) return s;
        if (r instanceof Rel.Filter f && f.child instanceof Rel.Scan s) return s;
        return null;
    }

    /**
     * Narrows the chunks {@code scan} reads by a time conjunct, and returns the span of the time column over which the
     * conjunct is certainly true ({@code [from, to]}), or null when it isn't a constant bound on the time column.
     */
    private long[] prune(Rel.Scan scan, Ast.Expr p, Compiler c) {
        String time = scan.schema.name(scan.timeIndex);
        long min = Long.MIN_VALUE, max = Long.MAX_VALUE;
        if (p instanceof Ast.Binary b) {
            boolean leftTime = b.left() instanceof Ast.Name n && n.name().equals(time);
            boolean rightTime = b.right() instanceof Ast.Name n && n.name().equals(time);
            if (leftTime == rightTime) return null;
            Ast.Expr other = leftTime ? b.right() : b.left();
            Long k = constTicks(other, c);
            if (k == null) return null;
            String op = leftTime ? b.op() : flip(b.op());
            switch (op) {
                case ">" -> { scan.lo = Math.max(scan.lo, k); return k == max ? null : new long[]{k + 1, max}; }
                case ">=" -> { scan.lo = Math.max(scan.lo, k); return new long[]{k, max}; }
                case "<" -> { scan.hi = Math.min(scan.hi, k); return k == min ? null : new long[]{min, k - 1}; }
                case "<=" -> { scan.hi = Math.min(scan.hi, k); return new long[]{min, k}; }
                case "==" -> { scan.lo = Math.max(scan.lo, k); scan.hi = Math.min(scan.hi, k); return null; }
                default -> { return null; }
            }
        } else if (p instanceof Ast.Between b && !b.negated() && b.value() instanceof Ast.Name n && n.name().equals(time)) {
            Long lo = constTicks(b.low(), c);
            CExpr hiE = tryCompile(b.high(), c);
            if (lo == null || hiE == null || !hiE.isConst() || hiE.constValue() == null) return null;
            if (hiE.type != KqlType.TIMESPAN && hiE.type != KqlType.DATETIME) return null;
            long hi = hiE.type == KqlType.TIMESPAN ? lo + (Long) hiE.constValue() : (Long) hiE.constValue();
            scan.lo = Math.max(scan.lo, lo);
            scan.hi = Math.min(scan.hi, hi);
            return new long[]{lo, hi};
        }
        return null;
    }

    private static Long constTicks(Ast.Expr e, Compiler c) {
        CExpr x = tryCompile(e, c);
        if (x == null || !x.isConst() || x.type != KqlType.DATETIME || x.constValue() == null) return null;
        return (Long) x.constValue();
    }

    private static CExpr tryCompile(Ast.Expr e, Compiler c) {
        try {
            return c.compile(e);
        } catch (KqlException ex) {
            return null;
        }
    }

    private static String flip(String op) {
        return switch (op) {
            case ">" -> "<";
            case ">=" -> "<=";
            case "<" -> ">";
            case "<=" -> ">=";
            default -> op;
        };
    }

    // ---- project, extend ---------------------------------------------------------------------------------------------

    /** The name KQL gives an unnamed expression: a column keeps its name, {@code a.b} becomes {@code a_b}. */
    static String implicitName(Ast.Expr e) {
        return switch (e) {
            case Ast.Name n -> n.name();
            case Ast.Member m -> {
                String t = implicitName(m.target());
                yield t == null ? null : t + "_" + m.member();
            }
            case Ast.Index x when x.index() instanceof Ast.Literal l && l.type() == KqlType.STRING -> {
                String t = implicitName(x.target());
                yield t == null ? null : t + "_" + l.value();
            }
            default -> null;
        };
    }

    private static String nextColumnName(Set<String> taken) {
        for (int i = 1; ; i++) if (!taken.contains("Column" + i)) return "Column" + i;
    }

    private Rel project(List<NamedExpr> items, Rel in, Env env, Pos pos) {
        Compiler c = compiler(in.schema, env);
        List<Column> cols = new ArrayList<>();
        List<CExpr> outs = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (NamedExpr ne : items) {
            if (ne.name() == null && ne.expr() instanceof Ast.Name n && n.name().contains("*")) {
                for (int i : matching(in.schema, List.of(n.name()), n.pos(), true)) {
                    if (!taken.add(in.schema.name(i))) continue;
                    cols.add(in.schema.get(i));
                    outs.add(new CExpr.Column(i, in.schema.name(i), in.schema.type(i), n.pos()));
                }
                continue;
            }
            CExpr e = c.compile(ne.expr());
            String name = ne.name() != null ? ne.name() : implicitName(ne.expr());
            if (name == null) name = nextColumnName(taken);
            if (!taken.add(name)) throw new KqlException("the column '" + name + "' is projected twice", ne.pos());
            cols.add(new Column(name, e.type));
            outs.add(e);
        }
        return new Rel.Map(in, new Schema(cols), outs.toArray(CExpr[]::new));
    }

    private Rel extend(List<NamedExpr> items, Rel in, Env env) {
        Rel rel = in;
        for (NamedExpr ne : items) {
            Compiler c = compiler(rel.schema, env);
            CExpr e = c.compile(ne.expr());
            Set<String> taken = new HashSet<>();
            for (Column col : rel.schema.columns()) taken.add(col.name());
            String name = ne.name() != null ? ne.name() : implicitName(ne.expr());
            if (name == null || (ne.name() == null && !(ne.expr() instanceof Ast.Name) && taken.contains(name))) name = nextColumnName(taken);
            List<Column> cols = new ArrayList<>(rel.schema.columns());
            List<CExpr> outs = new ArrayList<>();
            for (int i = 0; i < cols.size(); i++) outs.add(new CExpr.Column(i, cols.get(i).name(), cols.get(i).type(), ne.pos()));
            int at = rel.schema.indexOf(name);
            if (at >= 0) {
                cols.set(at, new Column(name, e.type));
                outs.set(at, e);
            } else {
                cols.add(new Column(name, e.type));
                outs.add(e);
            }
            rel = new Rel.Map(rel, new Schema(cols), outs.toArray(CExpr[]::new));
        }
        return rel;
    }

    /** Columns whose names match any of the patterns ({@code *} is a wildcard), in schema order. */
    static List<Integer> matching(Schema s, List<String> patterns, Pos pos, boolean requireEach) {
        List<Integer> out = new ArrayList<>();
        for (String p : patterns) {
            Pattern re = glob(p);
            boolean any = false;
            for (int i = 0; i < s.size(); i++) {
                if (re.matcher(s.name(i)).matches()) {
                    any = true;
                    if (!out.contains(i)) out.add(i);
                }
            }
            if (!any && !p.contains("*")) throw new KqlException("Failed to resolve column named '" + p + "'", pos);
        }
        return out;
    }

    static Pattern glob(String p) {
        StringBuilder b = new StringBuilder();
        int from = 0;
        for (int i = 0; i < p.length(); i++) {
            if (p.charAt(i) == '*') {
                b.append(Pattern.quote(p.substring(from, i))).append(".*");
                from = i + 1;
            }
        }
        return Pattern.compile(b.append(Pattern.quote(p.substring(from))).toString());
    }

    private Rel keep(Rel in, List<Integer> listed, boolean keepListed) {
        List<Column> cols = new ArrayList<>();
        List<CExpr> outs = new ArrayList<>();
        for (int i = 0; i < in.schema.size(); i++) {
            if (listed.contains(i) != keepListed) continue;
            cols.add(in.schema.get(i));
            outs.add(new CExpr.Column(i, in.schema.name(i), in.schema.type(i), Pos.NONE));
        }
        return new Rel.Map(in, new Schema(cols), outs.toArray(CExpr[]::new));
    }

    private Rel rename(Ast.ProjectRename r, Rel in) {
        List<Column> cols = new ArrayList<>(in.schema.columns());
        for (Ast.Rename rn : r.renames()) {
            int i = in.schema.indexOf(rn.oldName());
            if (i < 0) throw new KqlException("Failed to resolve column named '" + rn.oldName() + "'", rn.pos());
            cols.set(i, new Column(rn.newName(), cols.get(i).type()));
        }
        Set<String> seen = new HashSet<>();
        for (Column c : cols) if (!seen.add(c.name())) throw new KqlException("project-rename gives two columns the name '" + c.name() + "'", r.pos());
        CExpr[] outs = new CExpr[cols.size()];
        for (int i = 0; i < outs.length; i++) outs[i] = new CExpr.Column(i, in.schema.name(i), in.schema.type(i), r.pos());
        return new Rel.Map(in, new Schema(cols), outs);
    }

    private Rel reorder(Ast.ProjectReorder r, Rel in) {
        List<Integer> first = matching(in.schema, r.patterns(), r.pos(), true);
        List<Integer> order = new ArrayList<>(first);
        for (int i = 0; i < in.schema.size(); i++) if (!order.contains(i)) order.add(i);
        List<Column> cols = new ArrayList<>();
        CExpr[] outs = new CExpr[order.size()];
        for (int k = 0; k < order.size(); k++) {
            int i = order.get(k);
            cols.add(in.schema.get(i));
            outs[k] = new CExpr.Column(i, in.schema.name(i), in.schema.type(i), r.pos());
        }
        return new Rel.Map(in, new Schema(cols), outs);
    }

    // ---- count, distinct -----------------------------------------------------------------------------------------------

    private Rel count(Rel in, java.util.function.Supplier<Rel> replan) {
        Schema out = new Schema(List.of(new Column("Count", KqlType.LONG)));
        FusedCount.Shape fused = FusedCount.shape(in);
        return new Rel.Blocking(out, c -> {
            if (fused != null && FusedCount.applies(fused)) {
                return FusedCount.run(fused, () -> FusedCount.shape(replan.get()), out, c);
            }
            long[] n = {0};
            long[] m = {0};
            Parallel.run(in, replan, c, (b, x) -> {
                n[0] += b.n();
                return true;
            }, other -> new Parallel.Part((b, x) -> {
                m[0] += b.n();
                return true;
            }, () -> n[0] += m[0]), x -> { });
            return Frame.ofRows(out, List.<Object[]>of(new Object[]{n[0]}));
        });
    }

    private Rel distinct(Ast.Distinct d, Rel in, Env env) {
        Rel cols = d.all() ? in : project(d.columns(), in, env, d.pos());
        Schema s = cols.schema;
        return new Rel.Blocking(s, c -> {
            Set<List<Object>> seen = new HashSet<>();
            List<Object[]> rows = new ArrayList<>();
            cols.run(c, b -> {
                for (int i = 0; i < b.n(); i++) {
                    Object[] row = new Object[s.size()];
                    for (int k = 0; k < row.length; k++) row[k] = Keys.normalize(b.cols()[k].get(i));
                    if (seen.add(Arrays.asList(row))) rows.add(row);
                    c.poll();
                }
                c.cells(rows.size(), s.size(), d.pos());
                return true;
            });
            return Frame.ofRows(s, rows);
        });
    }

    /** Runs {@code rel} and keeps at most {@code limit} rows. */
    Frame collect(Rel rel, Ctx c, int limit) {
        List<Batch> out = new ArrayList<>();
        long[] n = {0};
        rel.run(c, b -> {
            long room = limit - n[0];
            Batch x = b.n() > room ? b.head((int) room) : b;
            out.add(x);
            n[0] += x.n();
            c.cells(n[0], rel.schema.size(), Pos.NONE);
            return n[0] < limit;
        });
        return new Frame(rel.schema, out);
    }
}
