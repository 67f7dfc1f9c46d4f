// summarize count() by a string column after where's on string columns and time: one tight loop over the codes.
package dev.gatehouse.kql;

import dev.gatehouse.kql.ColumnarTable.Chunk;
import dev.gatehouse.kql.ColumnarTable.LongData;
import dev.gatehouse.kql.ColumnarTable.StringData;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of the Exchange team's Direct Send count ({@code where EmailDirection == "Inbound" and Timestamp >=
 * ago(30d) and Connectors == "" and isnotempty(SenderIPv4) | summarize count() by SenderIPv4}) and most "top
 * senders" hunts: every conjunct is a per-value test of a string column or a time bound, the key is a string column,
 * every aggregation is {@code count()}. Such a query is answered straight from the chunks' code arrays, a block of
 * rows at a time, with no selection vectors: each predicate's answer per distinct value, and-ed per row, then a count
 * per key value (per table-wide value number when the chunk has them). Anything else, or a chunk whose columns are
 * not dictionary-encoded, takes the general path ({@link SummarizeOp}), which gives the same answer.
 */
final class FusedCount {
    private FusedCount() {}

    private static final int BLOCK = 4096;

    /** The plan's pieces when the query has the shape, else null. */
    record Shape(Rel.Scan scan, List<Compiler.DictPredicate> predicates, int[] predicateColumns, long from, long to,
                 int keyColumn, int counts) {}

    static Shape shape(Rel in, CExpr[] keys, List<SummarizeOp.Agg> aggs) {
        if (keys.length != 1 || !(keys[0] instanceof CExpr.Column key) || key.type != KqlType.STRING || aggs.isEmpty()) return null;
        for (SummarizeOp.Agg a : aggs) if (!(a instanceof SummarizeOp.Count c) || c.args.length != 0 || c.predicate != null) return null;
        return shape(in, key.index, aggs.size());
    }

    /** The same for the count operator: no key, one count. */
    static Shape shape(Rel in) { return shape(in, -1, 1); }

    private static Shape shape(Rel in, int keyColumn, int counts) {
        Rel.Scan scan;
        List<Rel.Filter.Conjunct> conjuncts;
        if (in instanceof Rel.Scan s) {
            scan = s;
            conjuncts = List.of();
        } else if (in instanceof Rel.Filter f && f.child instanceof Rel.Scan s) {
            scan = s;
            conjuncts = f.conjuncts;
        } else return null;
        List<Compiler.DictPredicate> preds = new ArrayList<>();
        List<Integer> cols = new ArrayList<>();
        long from = Long.MIN_VALUE, to = Long.MAX_VALUE;
        for (Rel.Filter.Conjunct c : conjuncts) {
            if (c.trueFrom() <= c.trueTo()) {        // a time bound: true exactly inside [trueFrom, trueTo]
                from = Math.max(from, c.trueFrom());
                to = Math.min(to, c.trueTo());
            } else if (c.predicate() instanceof Compiler.DictPredicate p && p.operand instanceof CExpr.Column col
                    && col.type == KqlType.STRING) {
                preds.add(p);
                cols.add(col.index);
            } else return null;
        }
        return new Shape(scan, preds, cols.stream().mapToInt(Integer::intValue).toArray(), from, to, keyColumn, counts);
    }

    /** True when every chunk in range has dictionary-encoded predicate and key columns. */
    static boolean applies(Shape s) {
        for (Chunk c : s.scan().chunksToRead(0, 1)) {
            if (s.keyColumn() >= 0 && !(c.columns[s.keyColumn()] instanceof StringData)) return false;
            for (int col : s.predicateColumns()) if (!(c.columns[col] instanceof StringData)) return false;
        }
        return true;
    }

    /** Counts per key: table-wide value numbers where chunks have them, strings where they don't. */
    static final class Counts {
        long[] byGlobal = new long[0];
        String[] globalNames = new String[0];
        final Map<String, long[]> byName = new HashMap<>();
        long total;

        void merge(Counts o) {
            total += o.total;
            if (o.byGlobal.length > byGlobal.length) {
                byGlobal = java.util.Arrays.copyOf(byGlobal, o.byGlobal.length);
                globalNames = java.util.Arrays.copyOf(globalNames, o.byGlobal.length);
            }
            for (int g = 0; g < o.byGlobal.length; g++) {
                if (o.byGlobal[g] == 0) continue;
                byGlobal[g] += o.byGlobal[g];
                globalNames[g] = o.globalNames[g];
            }
            o.byName.forEach((k, v) -> byName.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
        }
    }

    static Counts count(Shape s, List<Chunk> chunks, Compiler.DictPredicate[] preds, Ctx ctx) {
        Counts out = new Counts();
        long floor = s.scan().snapshot.floorTicks();
        long from = Math.max(s.from(), floor), to = s.to();
        int timeIndex = s.scan().timeIndex;
        int np = preds.length;
        byte[] keep = new byte[BLOCK];
        for (Chunk c : chunks) {
            ctx.check();
            int rows = c.rows;
            byte[][] perCode = new byte[np][];
            StringData[] pcols = new StringData[np];
            for (int p = 0; p < np; p++) {
                pcols[p] = (StringData) c.columns[s.predicateColumns()[p]];
                perCode[p] = preds[p].cache.matches(new Vec.DictVec(pcols[p], 0, null, rows), ctx);
            }
            if (s.keyColumn() < 0) {
                out.total += countAll(c, s, from, to, timeIndex, perCode, pcols, keep);
                continue;
            }
            StringData key = (StringData) c.columns[s.keyColumn()];
            int[] global = key.globalIds();
            // counts by the chunk's own codes (a small array read in order), folded by value once per chunk
            long[] local = new long[Math.max(1, key.dictSize())];
            long[] times = ((LongData) c.columns[timeIndex]).values();
            boolean timeCheck = c.minTime < from || c.maxTime > to;
            for (int start = 0; start < rows; start += BLOCK) {
                int n = Math.min(BLOCK, rows - start);
                if (timeCheck) {
                    for (int i = 0; i < n; i++) {
                        long t = times[start + i];
                        keep[i] = (byte) (t >= from && t <= to ? 1 : 0);
                    }
                } else java.util.Arrays.fill(keep, 0, n, (byte) 1);
                for (int p = 0; p < np; p++) and(pcols[p], start, n, perCode[p], keep);
                countKeys(key, start, n, keep, local);
            }
            String[] dict = key.dict();
            for (int code = 0; code < local.length; code++) {
                long k = local[code];
                if (k == 0) continue;
                if (global != null) {
                    int g = global[code];
                    if (g >= out.byGlobal.length) {
                        int m = Math.max(g + 1, out.byGlobal.length * 2);
                        out.byGlobal = java.util.Arrays.copyOf(out.byGlobal, m);
                        out.globalNames = java.util.Arrays.copyOf(out.globalNames, m);
                    }
                    out.byGlobal[g] += k;
                    if (out.globalNames[g] == null) out.globalNames[g] = dict[code];
                } else {
                    out.byName.computeIfAbsent(dict[code], x -> new long[1])[0] += k;
                }
            }
        }
        return out;
    }

    private static long countAll(Chunk c, Shape s, long from, long to, int timeIndex, byte[][] perCode, StringData[] pcols, byte[] keep) {
        long[] times = ((LongData) c.columns[timeIndex]).values();
        boolean timeCheck = c.minTime < from || c.maxTime > to;
        long total = 0;
        for (int start = 0; start < c.rows; start += BLOCK) {
            int n = Math.min(BLOCK, c.rows - start);
            if (timeCheck) {
                for (int i = 0; i < n; i++) {
                    long t = times[start + i];
                    keep[i] = (byte) (t >= from && t <= to ? 1 : 0);
                }
            } else java.util.Arrays.fill(keep, 0, n, (byte) 1);
            for (int p = 0; p < pcols.length; p++) and(pcols[p], start, n, perCode[p], keep);
            for (int i = 0; i < n; i++) total += keep[i];
        }
        return total;
    }

    /** {@code keep[i] &= perCode[code of row start+i]}: TRUE is 1, so FALSE (0) and NULL (2) clear it. */
    private static void and(StringData d, int start, int n, byte[] pc, byte[] keep) {
        byte[] b = d.byteCodes();
        short[] s = d.shortCodes();
        int[] c = d.intCodes();
        if (b != null) for (int i = 0; i < n; i++) keep[i] &= pc[b[start + i] & 0xFF];
        else if (s != null) for (int i = 0; i < n; i++) keep[i] &= pc[s[start + i] & 0xFFFF];
        else if (c != null) for (int i = 0; i < n; i++) keep[i] &= pc[c[start + i]];
        else if ((pc[0] & 1) == 0) java.util.Arrays.fill(keep, 0, n, (byte) 0);
    }

    private static void countKeys(StringData d, int start, int n, byte[] keep, long[] counts) {
        byte[] b = d.byteCodes();
        short[] s = d.shortCodes();
        int[] c = d.intCodes();
        if (b != null) for (int i = 0; i < n; i++) counts[b[start + i] & 0xFF] += keep[i];
        else if (s != null) for (int i = 0; i < n; i++) counts[s[start + i] & 0xFFFF] += keep[i];
        else if (c != null) for (int i = 0; i < n; i++) counts[c[start + i]] += keep[i];
        else for (int i = 0; i < n; i++) counts[0] += keep[i];
    }

    /**
     * Counts the chunks in range; with two chunks or more, half of them on a second thread with {@code second}'s own
     * predicates (their caches are not shared between threads).
     */
    static Frame run(Shape shape, java.util.function.Supplier<Shape> second, Schema schema, Ctx ctx) {
        List<Chunk> all = shape.scan().chunksToRead(0, 1);
        Compiler.DictPredicate[] preds = shape.predicates().toArray(Compiler.DictPredicate[]::new);
        Shape other = all.size() >= 2 && second != null ? second.get() : null;
        if (other == null) return frame(count(shape, all, preds, ctx), schema, shape.counts());
        List<Chunk> even = new ArrayList<>(), odd = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) (i % 2 == 0 ? even : odd).add(all.get(i));
        Compiler.DictPredicate[] otherPreds = other.predicates().toArray(Compiler.DictPredicate[]::new);
        Counts[] results = new Counts[2];
        Parallel.both(() -> results[0] = count(shape, even, preds, ctx), () -> results[1] = count(shape, odd, otherPreds, ctx));
        results[0].merge(results[1]);
        return frame(results[0], schema, shape.counts());
    }

    /** The result rows: each key and its count, once per count() asked for. */
    static Frame frame(Counts c, Schema schema, int aggregates) {
        if (schema.size() == aggregates) return Frame.ofRows(schema, List.<Object[]>of(new Object[]{c.total}));
        List<Object[]> rows = new ArrayList<>();
        Map<String, long[]> named = c.byName;
        for (int g = 0; g < c.byGlobal.length; g++) {
            long k = c.byGlobal[g];
            if (k == 0) continue;
            long[] more = named.isEmpty() ? null : named.remove(c.globalNames[g]);
            rows.add(row(c.globalNames[g], k + (more == null ? 0 : more[0]), aggregates));
        }
        named.forEach((name, k) -> rows.add(row(name, k[0], aggregates)));
        return Frame.ofRows(schema, rows);
    }

    private static Object[] row(String key, long count, int aggregates) {
        Object[] row = new Object[1 + aggregates];
        row[0] = key;
        for (int i = 1; i <= aggregates; i++) row[i] = count;
        return row;
    }
}
