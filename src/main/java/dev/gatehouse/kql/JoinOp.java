// join: a hash join on equal keys, with Kusto's kinds, innerunique by default, and 1-suffixed clashing columns.
package dev.gatehouse.kql;

import dev.gatehouse.kql.ColumnarTable.Column;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code innerunique} (no kind) keeps one left row per key before matching, as Kusto does, so duplicates on the left
 * are dropped; {@code inner} keeps them all. The kinds that output both sides put the left columns first, then the
 * right ones, a right column whose name is taken getting {@code 1} appended ({@code Timestamp1}). Semi and anti kinds
 * output one side only. Strings are never null, so empty-string keys match each other; null numbers match nothing.
 */
final class JoinOp {
    private JoinOp() {}

    enum Kind { INNERUNIQUE, INNER, LEFTOUTER, RIGHTOUTER, FULLOUTER, LEFTSEMI, LEFTANTI, RIGHTSEMI, RIGHTANTI }

    static Kind kind(String k, Pos pos) {
        if (k == null) return Kind.INNERUNIQUE;
        return switch (k.toLowerCase(java.util.Locale.ROOT)) {
            case "innerunique" -> Kind.INNERUNIQUE;
            case "inner" -> Kind.INNER;
            case "leftouter" -> Kind.LEFTOUTER;
            case "rightouter" -> Kind.RIGHTOUTER;
            case "fullouter", "outer" -> Kind.FULLOUTER;
            case "leftsemi", "semi" -> Kind.LEFTSEMI;
            case "leftanti", "anti", "leftantisemi" -> Kind.LEFTANTI;
            case "rightsemi" -> Kind.RIGHTSEMI;
            case "rightanti", "rightantisemi" -> Kind.RIGHTANTI;
            default -> throw new KqlException("unknown join kind '" + k + "' (innerunique, inner, leftouter, rightouter, fullouter, "
                    + "leftsemi, leftanti, rightsemi, rightanti)", pos);
        };
    }

    static Rel plan(Rel left, Ast.Join j, Planner planner, Env env, Ctx ctx) {
        Kind kind = kind(j.kind(), j.pos());
        Rel right = planner.plan(j.right(), env);
        if (j.keys().isEmpty()) throw new KqlException("join needs 'on' with at least one key", j.pos());
        int k = j.keys().size();
        int[] lk = new int[k], rk = new int[k];
        for (int i = 0; i < k; i++) {
            Ast.JoinKey key = j.keys().get(i);
            lk[i] = left.schema.indexOf(key.left());
            rk[i] = right.schema.indexOf(key.right());
            if (lk[i] < 0) throw new KqlException("the left side of the join has no column '" + key.left() + "'", key.pos());
            if (rk[i] < 0) throw new KqlException("the right side of the join has no column '" + key.right() + "'", key.pos());
            KqlType a = left.schema.type(lk[i]), b = right.schema.type(rk[i]);
            if (a != b && !(a.isNumeric() && b.isNumeric())) {
                throw new KqlException("join keys '" + key.left() + "' (" + a + ") and '" + key.right() + "' (" + b + ") have different types", key.pos());
            }
        }
        List<Column> out = new ArrayList<>();
        boolean leftCols = kind != Kind.RIGHTSEMI && kind != Kind.RIGHTANTI;
        boolean rightCols = kind != Kind.LEFTSEMI && kind != Kind.LEFTANTI;
        Set<String> taken = new HashSet<>();
        if (leftCols) for (Column c : left.schema.columns()) { out.add(c); taken.add(c.name()); }
        if (rightCols) {
            for (Column c : right.schema.columns()) {
                String name = leftCols ? left.schema.unique(c.name(), taken) : c.name();
                taken.add(name);
                out.add(new Column(name, c.type()));
            }
        }
        Schema schema = new Schema(out);
        return new Rel.Blocking(schema, x -> run(kind, planner.collect(left, x, Integer.MAX_VALUE),
                planner.collect(right, x, Integer.MAX_VALUE), lk, rk, schema, leftCols, rightCols, x, j.pos()));
    }

    private static Object key(Frame f, int row, int[] cols) {
        if (cols.length == 1) return keyValue(f.get(row, cols[0]));
        Object[] key = new Object[cols.length];
        for (int i = 0; i < cols.length; i++) {
            Object v = keyValue(f.get(row, cols[i]));
            if (v == null) return null;
            key[i] = v;
        }
        return Arrays.asList(key);
    }

    /** Numbers of either width join as equal values; a null (non-string) key joins nothing. */
    private static Object keyValue(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) return (long) (double) d;
        return Keys.normalize(v);
    }

    private static Frame run(Kind kind, Frame left, Frame right, int[] lk, int[] rk, Schema schema, boolean leftCols,
                             boolean rightCols, Ctx ctx, Pos pos) {
        Map<Object, List<Integer>> index = new HashMap<>();
        for (int r = 0; r < right.rows(); r++) {
            Object key = key(right, r, rk);
            if (key != null) index.computeIfAbsent(key, x -> new ArrayList<>(1)).add(r);
            ctx.poll();
        }
        int lw = left.schema().size(), rw = right.schema().size();
        // how many rows the join will make, before making any: a join that explodes is refused, not attempted
        long expected = 0;
        Set<Object> counted = kind == Kind.INNERUNIQUE ? new HashSet<>() : null;
        for (int l = 0; l < left.rows(); l++) {
            ctx.poll();
            Object key = key(left, l, lk);
            List<Integer> matches = key == null ? null : index.get(key);
            expected += switch (kind) {
                case INNERUNIQUE -> matches == null || !counted.add(key) ? 0 : matches.size();
                case INNER, RIGHTOUTER -> matches == null ? 0 : matches.size();
                case LEFTOUTER, FULLOUTER -> matches == null ? 1 : matches.size();
                default -> 1;
            };
        }
        if (kind == Kind.RIGHTOUTER || kind == Kind.FULLOUTER || kind == Kind.RIGHTSEMI || kind == Kind.RIGHTANTI) expected += right.rows();
        ctx.cells(expected, schema.size(), pos);
        List<Object[]> rows = new ArrayList<>();
        boolean[] rightMatched = new boolean[right.rows()];
        Set<Object> seenLeftKeys = kind == Kind.INNERUNIQUE ? new HashSet<>() : null;
        for (int l = 0; l < left.rows(); l++) {
            ctx.poll();
            Object key = key(left, l, lk);
            List<Integer> matches = key == null ? null : index.get(key);
            switch (kind) {
                case INNERUNIQUE, INNER -> {
                    if (matches == null) continue;
                    if (seenLeftKeys != null && !seenLeftKeys.add(key)) continue;
                    for (int r : matches) rows.add(both(left, l, right, r, lw, rw));
                }
                case LEFTOUTER, FULLOUTER -> {
                    if (matches == null) rows.add(both(left, l, null, -1, lw, rw));
                    else for (int r : matches) {
                        rows.add(both(left, l, right, r, lw, rw));
                        rightMatched[r] = true;
                    }
                }
                case RIGHTOUTER -> {
                    if (matches != null) for (int r : matches) {
                        rows.add(both(left, l, right, r, lw, rw));
                        rightMatched[r] = true;
                    }
                }
                case LEFTSEMI -> { if (matches != null) rows.add(left.row(l)); }
                case LEFTANTI -> { if (matches == null) rows.add(left.row(l)); }
                case RIGHTSEMI, RIGHTANTI -> { if (matches != null) for (int r : matches) rightMatched[r] = true; }
            }
            if ((rows.size() & 1023) == 0) ctx.cells(rows.size(), schema.size(), pos);
        }
        switch (kind) {
            case RIGHTOUTER, FULLOUTER -> {
                for (int r = 0; r < right.rows(); r++) if (!rightMatched[r]) rows.add(both(null, -1, right, r, lw, rw));
            }
            case RIGHTSEMI -> { for (int r = 0; r < right.rows(); r++) if (rightMatched[r]) rows.add(right.row(r)); }
            case RIGHTANTI -> { for (int r = 0; r < right.rows(); r++) if (!rightMatched[r]) rows.add(right.row(r)); }
            default -> { }
        }
        ctx.cells(rows.size(), schema.size(), pos);
        return Frame.ofRows(schema, rows);
    }

    private static Object[] both(Frame left, int l, Frame right, int r, int lw, int rw) {
        Object[] row = new Object[lw + rw];
        if (left != null) System.arraycopy(left.row(l), 0, row, 0, lw);
        if (right != null) System.arraycopy(right.row(r), 0, row, lw, rw);
        return row;
    }
}
