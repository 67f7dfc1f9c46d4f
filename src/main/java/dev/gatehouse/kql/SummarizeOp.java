// summarize: a hash aggregation; groups are numbered as they appear, and each aggregation keeps per-group state.
package dev.gatehouse.kql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.gatehouse.kql.Ast.NamedExpr;
import dev.gatehouse.kql.ColumnarTable.Column;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The output holds the by-columns first, then the aggregations. Default names follow Kusto: {@code count_},
 * {@code countif_}, {@code dcount_X}, {@code sum_X}, {@code avg_X}, {@code min_X}, {@code max_X}, {@code set_X},
 * {@code list_X}; {@code bin(Timestamp, 1h)} keeps the name {@code Timestamp}; clashes get 1, 2, ... appended.
 * With no input rows, a summarize without by gives one row of defaults (0 for the counts and sums, [] for the sets
 * and lists, null otherwise), and one with by gives no rows. A string column key is grouped through its chunk's
 * dictionary: one map lookup per distinct value per chunk, not per row.
 */
final class SummarizeOp {
    private SummarizeOp() {}

    /** The compiled by-expressions and aggregations of one copy of the input. */
    private record Compiled(CExpr[] keys, List<Agg> aggs, Schema schema) {}

    /**
     * @param replan plans another copy of the input, for a second thread over the other half of the chunks
     */
    static Rel plan(Rel in, Ast.Summarize s, Planner planner, Env env, Ctx ctx, java.util.function.Supplier<Rel> replan) {
        Compiled first = compile(in, s, planner, env, ctx);
        Schema schema = first.schema();
        Pos pos = s.pos();
        FusedCount.Shape fused = FusedCount.shape(in, first.keys(), first.aggs());
        return new Rel.Blocking(schema, x -> {
            if (fused != null && FusedCount.applies(fused)) {
                return FusedCount.run(fused, replan == null ? null : () -> {
                    Rel other = replan.get();
                    Compiled c = compile(other, s, planner, env, ctx);
                    return FusedCount.shape(other, c.keys(), c.aggs());
                }, schema, x);
            }
            State a = new State(first);
            Parallel.run(in, replan, x, a::consume, other -> {
                State b = new State(compile(other, s, planner, env, ctx));
                return new Parallel.Part(b::consume, () -> a.merge(b));
            }, y -> a.checkSize(y, pos));
            for (Agg ag : a.aggs) if (ag.held() > 0) x.cells(ag.held(), 1, pos);   // both threads' sets, merged
            return a.frame();
        });
    }

    private static Compiled compile(Rel in, Ast.Summarize s, Planner planner, Env env, Ctx ctx) {
        Compiler c = planner.compiler(in.schema, env);
        List<Column> out = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        CExpr[] keys = new CExpr[s.by().size()];
        int unnamed = 0;
        for (int i = 0; i < keys.length; i++) {
            NamedExpr ne = s.by().get(i);
            keys[i] = c.compile(ne.expr());
            String name = ne.name() != null ? ne.name() : keyName(ne.expr());
            if (name == null) name = "Column" + (++unnamed);
            name = in.schema.unique(name, taken);
            taken.add(name);
            out.add(new Column(name, keys[i].type));
        }
        Set<String> byNames = new HashSet<>(taken);
        List<Agg> aggs = new ArrayList<>();
        for (NamedExpr ne : s.aggregates()) {
            if (!(ne.expr() instanceof Ast.Call call) || !Functions.AGGREGATES.contains(call.name())) {
                throw new KqlException("summarize needs an aggregation (count(), dcount(x), arg_max(x, *), ...) here", ne.pos());
            }
            Agg a = Agg.create(call, ne.name(), c, in.schema, byNames, ctx);
            for (Column col : a.columns) {
                String name = in.schema.unique(col.name(), taken);
                taken.add(name);
                out.add(new Column(name, col.type()));
            }
            aggs.add(a);
        }
        return new Compiled(keys, aggs, new Schema(out));
    }

    /** {@code bin(Timestamp, 1h)} and {@code floor(...)} keep their column's name; {@code a.b} is {@code a_b}. */
    private static String keyName(Ast.Expr e) {
        if (e instanceof Ast.Call c && (c.name().equals("bin") || c.name().equals("floor")) && !c.args().isEmpty()) {
            return Planner.implicitName(c.args().get(0));
        }
        return Planner.implicitName(e);
    }

    /** The groups seen so far and each aggregation's state per group. */
    private static final class State {
        final CExpr[] keys;
        final List<Agg> aggs;
        final Schema schema;
        final HashMap<Object, Integer> groups = new HashMap<>();
        final List<Object> groupKeys = new ArrayList<>();
        // per dictionary: code -> group, so a string key costs one lookup per distinct value per chunk
        String[] lastDict;
        int[] codeGroups;
        int[] globalGroups = new int[0];
        Object globalSpace;
        final java.util.IdentityHashMap<Object, int[]> globalGroupsOf = new java.util.IdentityHashMap<>();
        Ctx ctx;

        State(Compiled c) {
            this.keys = c.keys();
            this.aggs = c.aggs();
            this.schema = c.schema();
            if (keys.length == 0) {
                groupKeys.add(List.of());
                for (Agg a : aggs) a.grow(1);
            }
        }

        boolean consume(Batch b, Ctx ctx) {
            int n = b.n();
            int[] g = new int[n];
            if (keys.length == 1) {
                Vec k = keys[0].eval(b, ctx);
                if (k instanceof Vec.DictVec d && d.globalIds() != null) {
                    // table-wide value numbers: one map lookup per distinct value of the table, not per chunk
                    int[] global = d.globalIds();
                    if (d.idSpace() != globalSpace) {     // another table's numbers (a union): start its own map
                        globalGroupsOf.put(globalSpace, globalGroups);
                        globalSpace = d.idSpace();
                        globalGroups = globalGroupsOf.getOrDefault(globalSpace, new int[0]);
                    }
                    String[] dict = d.dict();
                    d.codes(g);
                    for (int i = 0; i < n; i++) {
                        int code = g[i];
                        int gid = global[code];
                        if (gid >= globalGroups.length) {
                            int old = globalGroups.length;
                            globalGroups = Arrays.copyOf(globalGroups, Math.max(gid + 1, old * 2));
                            Arrays.fill(globalGroups, old, globalGroups.length, -1);
                        }
                        int id = globalGroups[gid];
                        if (id < 0) {
                            id = group(groups, groupKeys, dict[code]);
                            globalGroups[gid] = id;
                        }
                        g[i] = id;
                    }
                } else if (k instanceof Vec.DictVec d) {
                    if (d.dict() != lastDict || codeGroups == null || codeGroups.length < d.dictSize()) {
                        lastDict = d.dict();
                        codeGroups = new int[Math.max(1, d.dictSize())];
                        Arrays.fill(codeGroups, -1);
                    }
                    int[] cg = codeGroups;
                    String[] dict = d.dict();
                    d.codes(g);
                    for (int i = 0; i < n; i++) {
                        int code = g[i];
                        int id = cg[code];
                        if (id < 0) {
                            id = group(groups, groupKeys, dict[code]);
                            cg[code] = id;
                        }
                        g[i] = id;
                    }
                } else {
                    for (int i = 0; i < n; i++) g[i] = group(groups, groupKeys, Keys.normalize(k.get(i)));
                }
            } else if (keys.length > 1) {
                Vec[] kv = new Vec[keys.length];
                for (int j = 0; j < keys.length; j++) kv[j] = keys[j].eval(b, ctx);
                for (int i = 0; i < n; i++) {
                    Object[] key = new Object[keys.length];
                    for (int j = 0; j < keys.length; j++) key[j] = Keys.normalize(kv[j].get(i));
                    g[i] = group(groups, groupKeys, Arrays.asList(key));
                }
            }
            for (Agg a : aggs) {
                a.grow(groupKeys.size());
                a.update(g, b, ctx);
            }
            return true;
        }

        void checkSize(Ctx ctx, Pos pos) { ctx.cells(groupKeys.size(), schema.size(), pos); }

        /** Folds another thread's groups into these. */
        void merge(State o) {
            for (int og = 0; og < o.groupKeys.size(); og++) {
                int g = keys.length == 0 ? 0 : group(groups, groupKeys, o.groupKeys.get(og));
                for (int i = 0; i < aggs.size(); i++) {
                    aggs.get(i).grow(groupKeys.size());
                    aggs.get(i).merge(g, o.aggs.get(i), og);
                }
            }
        }

        Frame frame() {
            int rows = groupKeys.size();
            List<Object[]> out = new ArrayList<>(rows);
            for (int gi = 0; gi < rows; gi++) {
                Object[] row = new Object[schema.size()];
                int col = 0;
                Object key = groupKeys.get(gi);
                if (keys.length == 1) row[col++] = key;
                else if (keys.length > 1) for (Object o : (List<?>) key) row[col++] = o;
                for (Agg a : aggs) {
                    Object[] vals = a.result(gi);
                    System.arraycopy(vals, 0, row, col, vals.length);
                    col += vals.length;
                }
                out.add(row);
            }
            return Frame.ofRows(schema, out);
        }
    }

    private static int group(HashMap<Object, Integer> groups, List<Object> keys, Object key) {
        Integer id = groups.get(key);
        if (id != null) return id;
        int n = keys.size();
        groups.put(key, n);
        keys.add(key);
        return n;
    }

    /** One aggregation: its output columns and per-group state. */
    abstract static class Agg {
        final List<Column> columns;
        final CExpr[] args;
        final CExpr predicate;
        int groups;

        Agg(List<Column> columns, CExpr[] args, CExpr predicate) {
            this.columns = columns;
            this.args = args;
            this.predicate = predicate;
        }

        abstract void grow(int groups);

        abstract void add(int group, Vec[] args, int row);

        abstract Object[] result(int group);

        /** Folds {@code other}'s state of its group {@code og} (another thread's) into group {@code g}. */
        abstract void merge(int g, Agg other, int og);

        void update(int[] g, Batch b, Ctx ctx) {
            Vec[] v = new Vec[args.length];
            for (int i = 0; i < args.length; i++) v[i] = args[i].eval(b, ctx);
            if (predicate != null) {
                Vec.BoolVec p = predicate.evalBool(b, ctx);
                for (int i = 0; i < b.n(); i++) if (p.values[i] == Vec.TRUE) add(g[i], v, i);
            } else {
                for (int i = 0; i < b.n(); i++) add(g[i], v, i);
            }
            long held = held();
            if (held > 0) ctx.cells(held, 1, args.length > 0 ? args[0].pos : Pos.NONE);
        }

        /** Values this aggregation keeps beyond one per group (the sets and lists), counted against the query's budget. */
        long held() { return 0; }

        static Agg create(Ast.Call call, String explicit, Compiler c, Schema in, Set<String> byNames, Ctx ctx) {
            String fn = call.name();
            List<Ast.Expr> a = call.args();
            Pos pos = call.pos();
            switch (fn) {
                case "count" -> {
                    if (a.size() > 1) throw Functions.arityError(call, 0, 1);
                    CExpr arg = a.isEmpty() || a.get(0) instanceof Ast.Star ? null : c.compile(a.get(0));
                    return new Count(name(explicit, "count_"), arg == null ? new CExpr[0] : new CExpr[]{arg}, null);
                }
                case "countif" -> {
                    Functions.arity(call, 1, 1);
                    CExpr p = bool(c.compile(a.get(0)), c, fn);
                    return new Count(name(explicit, "countif_"), new CExpr[0], p);
                }
                case "dcount", "dcountif" -> {
                    Functions.arity(call, fn.equals("dcount") ? 1 : 2, fn.equals("dcount") ? 2 : 3);
                    CExpr x = c.compile(a.get(0));
                    CExpr p = fn.equals("dcountif") ? bool(c.compile(a.get(1)), c, fn) : null;
                    return new DCount(name(explicit, fn + "_" + argName(a.get(0))), x, p);
                }
                case "sum", "sumif" -> {
                    Functions.arity(call, fn.equals("sum") ? 1 : 2, fn.equals("sum") ? 1 : 2);
                    CExpr x = numeric(c.compile(a.get(0)), fn);
                    CExpr p = fn.equals("sumif") ? bool(c.compile(a.get(1)), c, fn) : null;
                    return new Sum(name(explicit, fn + "_" + argName(a.get(0))), x, p, false);
                }
                case "avg", "avgif" -> {
                    Functions.arity(call, fn.equals("avg") ? 1 : 2, fn.equals("avg") ? 1 : 2);
                    CExpr x = numeric(c.compile(a.get(0)), fn);
                    CExpr p = fn.equals("avgif") ? bool(c.compile(a.get(1)), c, fn) : null;
                    return new Sum(name(explicit, fn + "_" + argName(a.get(0))), x, p, true);
                }
                case "min", "max", "minif", "maxif" -> {
                    boolean conditional = fn.endsWith("if");
                    Functions.arity(call, conditional ? 2 : 1, conditional ? 2 : 1);
                    CExpr x = c.compile(a.get(0));
                    CExpr p = conditional ? bool(c.compile(a.get(1)), c, fn) : null;
                    return new MinMax(new Column(explicit != null ? explicit : fn + "_" + argName(a.get(0)), x.type), x, p, fn.startsWith("max"));
                }
                case "take_any", "any" -> {
                    if (a.isEmpty()) throw Functions.arityError(call, 1, 64);
                    List<Column> cols = new ArrayList<>();
                    List<CExpr> xs = new ArrayList<>();
                    for (Ast.Expr e : a) {
                        if (e instanceof Ast.Star) {
                            for (int i = 0; i < in.size(); i++) {
                                if (byNames.contains(in.name(i))) continue;
                                xs.add(new CExpr.Column(i, in.name(i), in.type(i), pos));
                                cols.add(in.get(i));
                            }
                            continue;
                        }
                        CExpr x = c.compile(e);
                        xs.add(x);
                        String nm = Planner.implicitName(e);
                        cols.add(new Column(explicit != null && a.size() == 1 ? explicit : nm != null ? nm : fn + "_", x.type));
                    }
                    return new TakeAny(cols, xs.toArray(CExpr[]::new));
                }
                case "arg_max", "arg_min" -> {
                    if (a.isEmpty()) throw Functions.arityError(call, 1, 64);
                    CExpr by = c.compile(a.get(0));
                    List<Column> cols = new ArrayList<>();
                    List<CExpr> xs = new ArrayList<>();
                    String byName = Planner.implicitName(a.get(0));
                    cols.add(new Column(explicit != null ? explicit : byName != null ? byName : (fn.equals("arg_max") ? "max_" : "min_"), by.type));
                    for (Ast.Expr e : a.subList(1, a.size())) {
                        if (e instanceof Ast.Star) {
                            for (int i = 0; i < in.size(); i++) {
                                String nm = in.name(i);
                                if (byNames.contains(nm) || nm.equals(byName)) continue;
                                xs.add(new CExpr.Column(i, nm, in.type(i), pos));
                                cols.add(in.get(i));
                            }
                            continue;
                        }
                        CExpr x = c.compile(e);
                        xs.add(x);
                        String nm = Planner.implicitName(e);
                        cols.add(new Column(nm != null ? nm : "Column" + cols.size(), x.type));
                    }
                    return new ArgBest(cols, by, xs.toArray(CExpr[]::new), fn.equals("arg_max"));
                }
                case "make_set", "make_list", "make_set_if", "make_list_if" -> {
                    boolean conditional = fn.endsWith("_if");
                    int min = conditional ? 2 : 1;
                    Functions.arity(call, min, min + 1);
                    CExpr x = c.compile(a.get(0));
                    CExpr p = conditional ? bool(c.compile(a.get(1)), c, fn) : null;
                    long max = 1_048_576;
                    if (a.size() == min + 1) {
                        CExpr m = c.compile(a.get(min));
                        if (!m.isConst() || !(m.constValue() instanceof Long l) || l < 1) throw new KqlException(fn + " needs a positive constant size", m.pos);
                        max = l;
                    }
                    String prefix = fn.startsWith("make_set") ? "set_" : "list_";
                    return new Collect(name(explicit, prefix + argName(a.get(0))), x, p, fn.startsWith("make_set"), max);
                }
                default -> throw KqlException.unsupported("aggregation " + fn, pos);
            }
        }

        private static Column name(String explicit, String dflt) { return new Column(explicit != null ? explicit : dflt, KqlType.LONG); }

        private static String argName(Ast.Expr e) {
            String n = Planner.implicitName(e);
            return n == null ? "" : n;
        }

        private static CExpr bool(CExpr p, Compiler c, String fn) {
            c.requireBool(p, fn);
            return p;
        }

        private static CExpr numeric(CExpr x, String fn) {
            if (!x.type.isNumeric() && x.type != KqlType.TIMESPAN && x.type != KqlType.DYNAMIC) {
                throw new KqlException(fn + " needs a number, but this is " + x.type, x.pos);
            }
            return x;
        }
    }

    static final class Count extends Agg {
        long[] counts = new long[0];

        Count(Column name, CExpr[] args, CExpr predicate) { super(List.of(new Column(name.name(), KqlType.LONG)), args, predicate); }

        @Override void grow(int n) { if (n > counts.length) counts = Arrays.copyOf(counts, Math.max(n, counts.length * 2)); }

        @Override void update(int[] g, Batch b, Ctx ctx) {
            if (predicate == null && args.length == 0) {
                for (int i = 0; i < b.n(); i++) counts[g[i]]++;
                return;
            }
            super.update(g, b, ctx);
        }

        @Override void add(int group, Vec[] v, int row) {
            if (v.length == 1 && v[0].isNull(row)) return;
            counts[group]++;
        }

        @Override Object[] result(int group) { return new Object[]{counts[group]}; }

        @Override void merge(int g, Agg other, int og) { counts[g] += ((Count) other).counts[og]; }
    }

    static final class DCount extends Agg {
        final List<Set<Object>> sets = new ArrayList<>();

        DCount(Column name, CExpr x, CExpr p) { super(List.of(new Column(name.name(), KqlType.LONG)), new CExpr[]{x}, p); }

        @Override void grow(int n) { while (sets.size() < n) sets.add(new HashSet<>()); }

        private long held;

        @Override void add(int group, Vec[] v, int row) {
            Object o = v[0].get(row);
            if (o != null && sets.get(group).add(Keys.normalize(o))) held++;
        }

        @Override long held() { return held; }

        @Override Object[] result(int group) { return new Object[]{(long) sets.get(group).size()}; }

        @Override void merge(int g, Agg other, int og) {
            Set<Object> mine = sets.get(g);
            int before = mine.size();
            mine.addAll(((DCount) other).sets.get(og));
            held += mine.size() - before;
        }
    }

    static final class Sum extends Agg {
        final boolean average;
        final KqlType in;
        double[] dsum = new double[0];
        long[] lsum = new long[0];
        long[] counts = new long[0];

        Sum(Column name, CExpr x, CExpr p, boolean average) {
            super(List.of(new Column(name.name(), average ? KqlType.REAL : x.type == KqlType.INT ? KqlType.LONG : x.type == KqlType.DYNAMIC ? KqlType.REAL : x.type)), new CExpr[]{x}, p);
            this.average = average;
            this.in = x.type;
        }

        @Override void grow(int n) {
            if (n <= counts.length) return;
            int m = Math.max(n, counts.length * 2);
            dsum = Arrays.copyOf(dsum, m);
            lsum = Arrays.copyOf(lsum, m);
            counts = Arrays.copyOf(counts, m);
        }

        @Override void add(int group, Vec[] v, int row) {
            if (v[0].isNull(row)) return;
            if (in == KqlType.DYNAMIC) {
                Object o = Values.fromDynamic((JsonNode) v[0].get(row), KqlType.REAL);
                if (o == null) return;
                dsum[group] += (Double) o;
            } else if (in == KqlType.REAL) dsum[group] += v[0].getDouble(row);
            else lsum[group] += v[0].getLong(row);
            counts[group]++;
        }

        @Override Object[] result(int group) {
            boolean real = in == KqlType.REAL || in == KqlType.DYNAMIC;
            if (average) {
                if (counts[group] == 0) return new Object[]{null};
                return new Object[]{(real ? dsum[group] : (double) lsum[group]) / counts[group]};
            }
            if (real) return new Object[]{dsum[group]};
            return new Object[]{lsum[group]};
        }

        @Override void merge(int g, Agg other, int og) {
            Sum o = (Sum) other;
            dsum[g] += o.dsum[og];
            lsum[g] += o.lsum[og];
            counts[g] += o.counts[og];
        }
    }

    static final class MinMax extends Agg {
        final boolean max;
        final KqlType type;
        final List<Object> best = new ArrayList<>();

        MinMax(Column col, CExpr x, CExpr p, boolean max) {
            super(List.of(col), new CExpr[]{x}, p);
            this.max = max;
            this.type = x.type;
        }

        @Override void grow(int n) { while (best.size() < n) best.add(null); }

        @Override void add(int group, Vec[] v, int row) {
            Object o = v[0].get(row);
            if (o == null) return;
            Object cur = best.get(group);
            if (cur == null || (max ? Values.compare(type, o, cur) > 0 : Values.compare(type, o, cur) < 0)) best.set(group, o);
        }

        @Override Object[] result(int group) { return new Object[]{best.get(group)}; }

        @Override void merge(int g, Agg other, int og) {
            Object o = ((MinMax) other).best.get(og);
            if (o == null) return;
            Object cur = best.get(g);
            if (cur == null || (max ? Values.compare(type, o, cur) > 0 : Values.compare(type, o, cur) < 0)) best.set(g, o);
        }
    }

    static final class TakeAny extends Agg {
        final List<Object[]> rows = new ArrayList<>();

        TakeAny(List<Column> cols, CExpr[] xs) { super(cols, xs, null); }

        @Override void grow(int n) { while (rows.size() < n) rows.add(null); }

        @Override void add(int group, Vec[] v, int row) {
            if (rows.get(group) != null) return;
            Object[] r = new Object[v.length];
            for (int i = 0; i < v.length; i++) r[i] = v[i].get(row);
            rows.set(group, r);
        }

        @Override Object[] result(int group) {
            Object[] r = rows.get(group);
            return r == null ? new Object[columns.size()] : r;
        }

        @Override void merge(int g, Agg other, int og) {
            if (rows.get(g) == null) rows.set(g, ((TakeAny) other).rows.get(og));
        }
    }

    /** arg_max / arg_min: the row (its chosen columns) where the first argument is greatest or least. */
    static final class ArgBest extends Agg {
        final boolean max;
        final KqlType type;
        final List<Object[]> rows = new ArrayList<>();

        ArgBest(List<Column> cols, CExpr by, CExpr[] xs, boolean max) {
            super(cols, concat(by, xs), null);
            this.max = max;
            this.type = by.type;
        }

        private static CExpr[] concat(CExpr by, CExpr[] xs) {
            CExpr[] all = new CExpr[xs.length + 1];
            all[0] = by;
            System.arraycopy(xs, 0, all, 1, xs.length);
            return all;
        }

        @Override void grow(int n) { while (rows.size() < n) rows.add(null); }

        @Override void add(int group, Vec[] v, int row) {
            Object k = v[0].get(row);
            if (k == null) return;
            Object[] cur = rows.get(group);
            if (cur != null) {
                int c = Values.compare(type, k, cur[0]);
                if (max ? c <= 0 : c >= 0) return;
            }
            Object[] r = new Object[v.length];
            r[0] = k;
            for (int i = 1; i < v.length; i++) r[i] = v[i].get(row);
            rows.set(group, r);
        }

        @Override Object[] result(int group) {
            Object[] r = rows.get(group);
            if (r == null) {
                r = new Object[columns.size()];
                for (int i = 0; i < r.length; i++) if (columns.get(i).type() == KqlType.STRING) r[i] = "";
                return r;
            }
            return r;
        }

        @Override void merge(int g, Agg other, int og) {
            Object[] o = ((ArgBest) other).rows.get(og);
            if (o == null) return;
            Object[] cur = rows.get(g);
            if (cur != null) {
                int c = Values.compare(type, o[0], cur[0]);
                if (max ? c <= 0 : c >= 0) return;
            }
            rows.set(g, o);
        }
    }

    /** make_set / make_list: a dynamic array per group, up to {@code max} values. */
    static final class Collect extends Agg {
        final boolean set;
        final long max;
        final KqlType type;
        final List<java.util.Collection<JsonNode>> values = new ArrayList<>();

        Collect(Column name, CExpr x, CExpr p, boolean set, long max) {
            super(List.of(new Column(name.name(), KqlType.DYNAMIC)), new CExpr[]{x}, p);
            this.set = set;
            this.max = max;
            this.type = x.type;
        }

        @Override void grow(int n) { while (values.size() < n) values.add(set ? new LinkedHashSet<>() : new ArrayList<>()); }

        @Override void add(int group, Vec[] v, int row) {
            Object o = v[0].get(row);
            if (o == null) return;
            java.util.Collection<JsonNode> c = values.get(group);
            if (c.size() >= max) return;
            int before = c.size();
            JsonNode n = Values.toDynamic(type, o);
            if (type == KqlType.DYNAMIC && n.isArray()) {
                for (JsonNode e : n) if (c.size() < max) c.add(e);
            } else c.add(n);
            held += c.size() - before;
        }

        private long held;

        @Override long held() { return held; }

        @Override Object[] result(int group) {
            ArrayNode a = Values.NODES.arrayNode();
            a.addAll(values.get(group));
            return new Object[]{a};
        }

        @Override void merge(int g, Agg other, int og) {
            java.util.Collection<JsonNode> c = values.get(g);
            int before = c.size();
            for (JsonNode n : ((Collect) other).values.get(og)) {
                if (c.size() >= max) break;
                c.add(n);
            }
            held += c.size() - before;
        }
    }
}
