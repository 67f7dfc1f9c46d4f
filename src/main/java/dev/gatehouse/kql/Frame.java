// A relation held in memory: its schema and the batches that make its rows.
package dev.gatehouse.kql;

import java.util.ArrayList;
import java.util.List;

/** Batches are kept as they came (views of stored chunks stay views); rows are numbered across them. */
final class Frame {
    private final Schema schema;
    private final List<Batch> batches;
    private final int[] starts;
    private final int rows;

    Frame(Schema schema, List<Batch> batches) {
        this.schema = schema;
        this.batches = batches;
        this.starts = new int[batches.size()];
        long n = 0;
        for (int i = 0; i < batches.size(); i++) {
            starts[i] = (int) n;
            n += batches.get(i).n();
        }
        if (n > Integer.MAX_VALUE - 8) throw new KqlException("the query holds more than " + Integer.MAX_VALUE + " rows", Pos.NONE);
        this.rows = (int) n;
    }

    static Frame of(Schema schema, Vec[] cols, int n) {
        return new Frame(schema, n == 0 ? List.of() : List.of(new Batch(cols, n)));
    }

    Schema schema() { return schema; }

    int rows() { return rows; }

    List<Batch> batches() { return batches; }

    private int batchOf(int row) {
        int lo = 0, hi = starts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= row) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    Object get(int row, int col) {
        int b = batchOf(row);
        return batches.get(b).cols()[col].get(row - starts[b]);
    }

    /** The whole of column {@code col} as one vector (boxed), in row order. */
    Object[] column(int col) {
        Object[] out = new Object[rows];
        int r = 0;
        for (Batch b : batches) {
            Vec v = b.cols()[col];
            for (int i = 0; i < b.n(); i++) out[r++] = v.get(i);
        }
        return out;
    }

    /** The rows at {@code order} (frame row numbers), as a new one-batch frame. */
    Frame gather(int[] order, int n) {
        Vec[] cols = new Vec[schema.size()];
        for (int c = 0; c < cols.length; c++) {
            Object[] vals = new Object[n];
            for (int i = 0; i < n; i++) vals[i] = get(order[i], c);
            cols[c] = Vec.of(schema.type(c), vals, n);
        }
        return of(schema, cols, n);
    }

    /** Row {@code r} boxed. */
    Object[] row(int r) {
        int b = batchOf(r);
        Batch batch = batches.get(b);
        Object[] out = new Object[schema.size()];
        for (int c = 0; c < out.length; c++) out[c] = batch.cols()[c].get(r - starts[b]);
        return out;
    }

    /** Builds a frame from boxed rows. */
    static Frame ofRows(Schema schema, List<Object[]> rows) {
        int n = rows.size();
        Vec[] cols = new Vec[schema.size()];
        for (int c = 0; c < cols.length; c++) {
            Object[] vals = new Object[n];
            for (int i = 0; i < n; i++) {
                Object v = rows.get(i)[c];
                vals[i] = v == null && schema.type(c) == KqlType.STRING ? "" : v;
            }
            cols[c] = Vec.of(schema.type(c), vals, n);
        }
        return of(schema, cols, n);
    }

    List<Object[]> allRows(int limit) {
        List<Object[]> out = new ArrayList<>(Math.min(rows, limit));
        for (Batch b : batches) {
            for (int i = 0; i < b.n() && out.size() < limit; i++) {
                Object[] row = new Object[schema.size()];
                for (int c = 0; c < row.length; c++) row[c] = b.cols()[c].get(i);
                out.add(row);
            }
        }
        return out;
    }
}
