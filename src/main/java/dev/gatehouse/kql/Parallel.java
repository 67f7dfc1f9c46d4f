// Two threads for the aggregations: each reads half of the table's chunks into its own partial state, then one merges.
package dev.gatehouse.kql;

import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The machines this runs on have two cores. When a summarize or count reads straight from a table (through where,
 * project and extend only) and the table has two chunks or more in range, a second copy of that input is planned over
 * the other half of the chunks and read on a second platform thread (never a virtual one: a long scan must not hold
 * a carrier thread the SMTP sessions run on). Each copy has its own compiled expressions, so no cache is shared.
 */
final class Parallel {
    private Parallel() {}

    /** The second thread's consumer of batches, and how its state is folded into the first's afterwards. */
    record Part(BiPredicate<Batch, Ctx> consume, Runnable merge) {}

    static void run(Rel in, Supplier<Rel> replan, Ctx ctx, BiPredicate<Batch, Ctx> consume, Function<Rel, Part> second,
                    Consumer<Ctx> afterBatch) {
        Rel.Scan first = scanOf(in);
        Rel other = first != null && replan != null && first.chunksInRange() >= 2 ? replan.get() : null;
        Rel.Scan otherScan = other == null ? null : scanOf(other);
        if (otherScan == null) {
            in.run(ctx, b -> feed(consume, afterBatch, b, ctx));
            return;
        }
        Part part = second.apply(other);
        first.part(0, 2);
        otherScan.part(1, 2);
        both(() -> in.run(ctx, b -> feed(consume, afterBatch, b, ctx)), () -> other.run(ctx, b -> feed(part.consume(), afterBatch, b, ctx)));
        part.merge().run();
    }

    /** Runs {@code second} on a platform thread of its own while {@code first} runs here; rethrows what either threw. */
    static void both(Runnable first, Runnable second) {
        Throwable[] failed = {null};
        Thread t = Thread.ofPlatform().name("kql-scan").daemon().start(() -> {
            try {
                second.run();
            } catch (Throwable e) {
                failed[0] = e;
            }
        });
        try {
            first.run();
        } finally {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KqlException("the query was cancelled", Pos.NONE);
            }
        }
        if (failed[0] instanceof RuntimeException e) throw e;
        if (failed[0] instanceof Error e) throw e;
    }

    private static boolean feed(BiPredicate<Batch, Ctx> consume, Consumer<Ctx> afterBatch, Batch b, Ctx ctx) {
        boolean go = consume.test(b, ctx);
        afterBatch.accept(ctx);
        ctx.check();
        return go;
    }

    /** The table scan at the bottom of a chain of where/project/extend, or null when anything else is in between. */
    static Rel.Scan scanOf(Rel r) {
        while (true) {
            switch (r) {
                case Rel.Scan s -> { return s; }
                case Rel.Filter f -> r = f.child;
                case Rel.Map m -> r = m.child;
                default -> { return null; }
            }
        }
    }
}
