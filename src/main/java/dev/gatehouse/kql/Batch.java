// A run of rows flowing between operators: one vector per column of the relation's schema.
package dev.gatehouse.kql;

/**
 * {@code n} rows; {@code cols[i]} is the schema's column {@code i}. {@code minTime}/{@code maxTime} bound the table's
 * time column for rows straight from a scan (so a time filter the whole batch passes isn't evaluated), and are
 * unbounded otherwise.
 */
record Batch(Vec[] cols, int n, long minTime, long maxTime) {
    Batch(Vec[] cols, int n) { this(cols, n, Long.MIN_VALUE, Long.MAX_VALUE); }

    /** The rows where {@code keep} is true, in order. */
    Batch filter(Vec.BoolVec keep) {
        int[] rows = new int[n];
        int m = 0;
        byte[] k = keep.values;
        for (int i = 0; i < n; i++) {  // branch-free: most filters keep a hard-to-predict half of the rows
            rows[m] = i;
            m += k[i] & 1;
        }
        if (m == n) return this;
        return select(rows, m);
    }

    Batch select(int[] rows, int m) {
        Vec[] out = new Vec[cols.length];
        java.util.Map<Object, int[]> shared = new java.util.HashMap<>(4);
        for (int c = 0; c < cols.length; c++) out[c] = cols[c].select(rows, m, shared);
        return new Batch(out, m, minTime, maxTime);
    }

    Batch head(int m) {
        if (m >= n) return this;
        int[] rows = new int[m];
        for (int i = 0; i < m; i++) rows[i] = i;
        return select(rows, m);
    }
}
