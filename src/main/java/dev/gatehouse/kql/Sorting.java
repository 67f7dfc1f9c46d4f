// sort / order by and top: KQL sorts descending unless told otherwise, nulls last when descending, first ascending.
package dev.gatehouse.kql;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

final class Sorting {
    private Sorting() {}

    /** Sorts {@code in} by {@code keys} and keeps the first {@code limit} rows ({@code top}), or all ({@code sort}). */
    static Rel sort(Rel in, List<Ast.SortKey> keys, Planner planner, Env env, Ctx ctx, long limit) {
        Compiler c = planner.compiler(in.schema, env);
        int k = keys.size();
        CExpr[] exprs = new CExpr[k];
        List<Comparator<Object>> orders = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            Ast.SortKey key = keys.get(i);
            exprs[i] = c.compile(key.expr());
            boolean nullsFirst = key.nullsFirst() != null ? key.nullsFirst() : key.ascending();
            orders.add(Values.order(exprs[i].type, key.ascending(), nullsFirst));
        }
        Comparator<Object[]> cmp = (a, b) -> {
            for (int i = 0; i < k; i++) {
                int r = orders.get(i).compare(a[i], b[i]);
                if (r != 0) return r;
            }
            return 0;
        };
        Schema s = in.schema;
        return new Rel.Blocking(s, ctx0 -> {
            // each entry: the sort key values, then the row's values
            if (limit < Integer.MAX_VALUE && limit <= 100_000) {
                PriorityQueue<Object[][]> heap = new PriorityQueue<>((a, b) -> -cmp.compare(a[0], b[0]));
                long[] seq = {0};
                in.run(ctx0, b -> {
                    Vec[] kv = new Vec[k];
                    for (int i = 0; i < k; i++) kv[i] = exprs[i].eval(b, ctx0);
                    for (int r = 0; r < b.n(); r++) {
                        Object[] key = new Object[k + 1];
                        for (int i = 0; i < k; i++) key[i] = kv[i].get(r);
                        if (heap.size() == limit && limit > 0 && cmp.compare(key, heap.peek()[0]) >= 0) continue;
                        if (limit == 0) continue;
                        key[k] = seq[0]++;
                        Object[] row = new Object[s.size()];
                        for (int col = 0; col < row.length; col++) row[col] = b.cols()[col].get(r);
                        heap.add(new Object[][]{key, row});
                        if (heap.size() > limit) heap.poll();
                        ctx0.poll();
                    }
                    return true;
                });
                List<Object[][]> all = new ArrayList<>(heap);
                all.sort((a, b) -> cmp.compare(a[0], b[0]));
                List<Object[]> rows = new ArrayList<>(all.size());
                for (Object[][] e : all) rows.add(e[1]);
                return Frame.ofRows(s, rows);
            }
            Frame f = planner.collect(in, ctx0, Integer.MAX_VALUE);
            int n = f.rows();
            Object[][] keyRows = new Object[n][];
            int r = 0;
            for (Batch b : f.batches()) {
                Vec[] kv = new Vec[k];
                for (int i = 0; i < k; i++) kv[i] = exprs[i].eval(b, ctx0);
                for (int j = 0; j < b.n(); j++) {
                    Object[] key = new Object[k + 1];
                    for (int i = 0; i < k; i++) key[i] = kv[i].get(j);
                    key[k] = r;
                    keyRows[r++] = key;
                    ctx0.poll();
                }
            }
            java.util.Arrays.sort(keyRows, cmp);
            int m = (int) Math.min(n, limit);
            int[] order = new int[m];
            for (int i = 0; i < m; i++) order[i] = (Integer) keyRows[i][k];
            return f.gather(order, m);
        });
    }
}
