// The operators of a plan: each pushes batches of rows to the next until it runs out or is told to stop.
package dev.gatehouse.kql;

import dev.gatehouse.kql.ColumnarTable.Chunk;

import java.util.List;
import java.util.function.Function;

abstract class Rel {
    /** Receives batches; returns false to stop the producer (a {@code take} that has enough). */
    interface Sink {
        boolean accept(Batch b);
    }

    final Schema schema;

    Rel(Schema schema) { this.schema = schema; }

    /** Pushes every batch to {@code sink}; returns false when the sink stopped it. */
    abstract boolean run(Ctx ctx, Sink sink);

    static final int BATCH = 1 << 16;

    /**
     * Reads a table's snapshot in slices of {@link #BATCH} rows, newest chunk first, skipping chunks outside
     * {@code [lo, hi]} on the time column, and rows older than the retention floor.
     */
    static final class Scan extends Rel {
        final ColumnarTable.Snapshot snapshot;
        final int timeIndex;
        long lo = Long.MIN_VALUE, hi = Long.MAX_VALUE;
        private int part = 0, parts = 1;

        Scan(ColumnarTable.Snapshot snapshot) {
            super(new Schema(snapshot.schema()));
            this.snapshot = snapshot;
            this.timeIndex = snapshot.table().timeColumnIndex();
        }

        private boolean inRange(Chunk c) { return !(c.maxTime < lo || c.minTime > hi || c.maxTime < snapshot.floorTicks()); }

        int chunksInRange() {
            int n = 0;
            for (Chunk c : snapshot.chunks()) if (inRange(c)) n++;
            return n;
        }

        /** The chunks in range, newest first, whose position among them is {@code part} modulo {@code parts}. */
        List<Chunk> chunksToRead(int part, int parts) {
            List<Chunk> out = new java.util.ArrayList<>();
            int index = -1;
            for (Chunk c : snapshot.chunks().reversed()) {
                if (!inRange(c)) continue;
                if (++index % parts == part) out.add(c);
            }
            return out;
        }

        /** Reads only the chunks in range whose position among them is {@code part} modulo {@code parts}. */
        void part(int part, int parts) {
            this.part = part;
            this.parts = parts;
        }

        @Override boolean run(Ctx ctx, Sink sink) {
            long floor = snapshot.floorTicks();
            int index = -1;
            // newest chunks first: a capped result (and take) shows the latest mail
            for (Chunk c : snapshot.chunks().reversed()) {
                if (!inRange(c)) continue;
                if (++index % parts != part) continue;
                ctx.check();
                long[] times = ((ColumnarTable.LongData) c.columns[timeIndex]).values();
                for (int start = 0; start < c.rows; start += BATCH) {
                    int n = Math.min(BATCH, c.rows - start);
                    int[] sel = null;
                    if (c.minTime < floor) {
                        sel = new int[n];
                        int m = 0;
                        for (int i = start; i < start + n; i++) if (times[i] >= floor) sel[m++] = i;
                        if (m == 0) continue;
                        n = m;
                    }
                    Vec[] cols = new Vec[c.columns.length];
                    for (int k = 0; k < cols.length; k++) cols[k] = Vec.ofChunk(schema.type(k), c.columns[k], sel == null ? start : 0, sel, n);
                    if (!sink.accept(new Batch(cols, n, c.minTime, c.maxTime))) return false;
                }
            }
            return true;
        }
    }

    /** {@code where}: each conjunct narrows the batch before the next is evaluated. */
    static final class Filter extends Rel {
        /** A predicate, and the span of the time column over which it is certainly true (empty when none). */
        record Conjunct(CExpr predicate, long trueFrom, long trueTo) {
            Conjunct(CExpr predicate) { this(predicate, Long.MAX_VALUE, Long.MIN_VALUE); }
        }

        final Rel child;
        final List<Conjunct> conjuncts;

        Filter(Rel child, List<Conjunct> conjuncts) {
            super(child.schema);
            this.child = child;
            this.conjuncts = conjuncts;
        }

        @Override boolean run(Ctx ctx, Sink sink) {
            return child.run(ctx, b -> {
                Batch cur = b;
                for (Conjunct p : conjuncts) {
                    if (cur.n() == 0) return true;
                    if (cur.minTime() >= p.trueFrom() && cur.maxTime() <= p.trueTo()) continue; // every row passes
                    cur = cur.filter(p.predicate().evalBool(cur, ctx));
                }
                return cur.n() == 0 || sink.accept(cur);
            });
        }
    }

    /** {@code project}, {@code extend} and friends: each output column is an expression over the input batch. */
    static final class Map extends Rel {
        final Rel child;
        final CExpr[] outputs;

        Map(Rel child, Schema out, CExpr[] outputs) {
            super(out);
            this.child = child;
            this.outputs = outputs;
        }

        @Override boolean run(Ctx ctx, Sink sink) {
            return child.run(ctx, b -> {
                Vec[] cols = new Vec[outputs.length];
                for (int i = 0; i < outputs.length; i++) cols[i] = outputs[i].eval(b, ctx);
                return sink.accept(new Batch(cols, b.n()));
            });
        }
    }

    /** {@code take N}: stops its input once it has N rows. */
    static final class Take extends Rel {
        final Rel child;
        final long limit;

        Take(Rel child, long limit) {
            super(child.schema);
            this.child = child;
            this.limit = limit;
        }

        @Override boolean run(Ctx ctx, Sink sink) {
            long[] seen = {0};
            if (limit <= 0) return true;
            boolean[] stopped = {false};
            child.run(ctx, b -> {
                long room = limit - seen[0];
                Batch out = b.n() > room ? b.head((int) room) : b;
                seen[0] += out.n();
                if (!sink.accept(out)) {
                    stopped[0] = true;
                    return false;
                }
                return seen[0] < limit;
            });
            return !stopped[0];
        }
    }

    /** Rows already in memory. */
    static final class Rows extends Rel {
        final Frame frame;

        Rows(Frame frame) {
            super(frame.schema());
            this.frame = frame;
        }

        @Override boolean run(Ctx ctx, Sink sink) {
            for (Batch b : frame.batches()) if (!sink.accept(b)) return false;
            return true;
        }
    }

    /** A blocking operator: reads all of its input, then pushes what it computed. */
    static final class Blocking extends Rel {
        final Function<Ctx, Frame> compute;

        Blocking(Schema schema, Function<Ctx, Frame> compute) {
            super(schema);
            this.compute = compute;
        }

        @Override boolean run(Ctx ctx, Sink sink) {
            Frame f = compute.apply(ctx);
            for (Batch b : f.batches()) if (!sink.accept(b)) return false;
            return true;
        }
    }

    /** {@code union}: each input in turn, its columns placed by name in the union's schema. */
    static final class Union extends Rel {
        final List<Rel> inputs;
        final List<int[]> placement;

        Union(Schema schema, List<Rel> inputs, List<int[]> placement) {
            super(schema);
            this.inputs = inputs;
            this.placement = placement;
        }

        @Override boolean run(Ctx ctx, Sink sink) {
            for (int k = 0; k < inputs.size(); k++) {
                int[] place = placement.get(k);
                boolean go = inputs.get(k).run(ctx, b -> {
                    Vec[] cols = new Vec[schema.size()];
                    for (int c = 0; c < cols.length; c++) {
                        int from = place[c];
                        KqlType t = schema.type(c);
                        cols[c] = from >= 0 ? b.cols()[from] : new Vec.ConstVec(t, t == KqlType.STRING ? "" : null, b.n());
                    }
                    return sink.accept(new Batch(cols, b.n()));
                });
                if (!go) return false;
            }
            return true;
        }
    }
}
