// The state of one running query: its clock reading, deadline, cancellation and memory budget.
package dev.gatehouse.kql;

import java.util.function.BooleanSupplier;

final class Ctx {
    final long now;
    final long deadlineNanos;
    final long timeoutMillis;
    final BooleanSupplier cancelled;
    final long maxCells;
    final int rowCap;
    private int polls;

    Ctx(long nowTicks, long timeoutMillis, BooleanSupplier cancelled, long maxCells, int rowCap) {
        this.now = nowTicks;
        this.timeoutMillis = timeoutMillis;
        this.deadlineNanos = System.nanoTime() + timeoutMillis * 1_000_000L;
        this.cancelled = cancelled;
        this.maxCells = maxCells;
        this.rowCap = rowCap;
    }

    /** Called between batches and every few thousand rows of the blocking operators. */
    void check() {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new KqlException("the query ran longer than its time limit of " + human(timeoutMillis) + " and was stopped", Pos.NONE);
        }
        if (cancelled.getAsBoolean()) throw new KqlException("the query was cancelled", Pos.NONE);
    }

    /** {@link #check()} once in {@code every} calls, for per-row loops. */
    void poll() {
        if ((++polls & 4095) == 0) check();
    }

    /** Throws when an operator would hold more than the query's budget of values. */
    void cells(long rows, int columns, Pos pos) {
        if (rows * Math.max(1, columns) > maxCells) {
            throw new KqlException("the query would hold more than " + maxCells + " values in memory (" + rows + " rows × "
                    + columns + " columns); narrow it with where, project or summarize first", pos);
        }
    }

    private static String human(long ms) {
        if (ms % 60_000 == 0) return ms / 60_000 + " min";
        if (ms % 1000 == 0) return ms / 1000 + " s";
        return ms + " ms";
    }
}
