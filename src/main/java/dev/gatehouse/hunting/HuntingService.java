// Runs advanced hunting queries for the admin surfaces: one tenant's tables, Defender's limits, a few at a time.
package dev.gatehouse.hunting;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import dev.gatehouse.kql.Catalog;
import dev.gatehouse.kql.KqlEngine;
import dev.gatehouse.kql.KqlException;
import dev.gatehouse.kql.Pos;
import dev.gatehouse.kql.QueryResult;

/**
 * The one entry point {@code Invoke-HuntingQuery}, REST and the CLI call. A query sees only the calling tenant's
 * tables ({@link HuntingTables#catalog}). Defender's limits (spec §9.3) hold whatever the caller asks: at most
 * {@value #ROW_CAP} rows, at most 10 minutes, after which the query is cancelled (the evaluator polls the flag) and the
 * caller told so. A query scans the whole heap's worth of tables, so at most {@value #RUNNING} run at once and
 * {@value #WAITING} more wait (time spent waiting doesn't count against the 10 minutes); beyond that a query is
 * refused at once with a message saying why, rather than piling up. {@code now()} is read once per query.
 */
public final class HuntingService implements AutoCloseable {
    public static final int ROW_CAP = 30_000;
    public static final Duration TIMEOUT = Duration.ofMinutes(10);
    public static final int RUNNING = 2;
    public static final int WAITING = 8;

    /** Hunting had no room for the query (too many running and waiting): try again shortly. REST answers 429. */
    public static final class Busy extends KqlException {
        Busy(String message) { super(message, Pos.NONE); }
    }

    /** The query ran past its time limit and was stopped. REST answers 504, as Azure Monitor's query API does. */
    public static final class TimedOut extends KqlException {
        TimedOut(String message) { super(message, Pos.NONE); }
    }

    /** What runs a query: {@link KqlEngine#run} (a test may count or hold queries with its own). */
    @FunctionalInterface
    public interface Evaluator {
        QueryResult run(String query, Catalog catalog, KqlEngine.Options options, BooleanSupplier cancelled);
    }

    private final HuntingTables tables;
    private final Clock clock;
    private final Evaluator evaluator;
    private final ThreadPoolExecutor executor;

    public HuntingService(HuntingTables tables, Clock clock) { this(tables, clock, KqlEngine::run); }

    public HuntingService(HuntingTables tables, Clock clock, Evaluator evaluator) {
        this.tables = tables;
        this.clock = clock;
        this.evaluator = evaluator;
        this.executor = new ThreadPoolExecutor(RUNNING, RUNNING, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(WAITING),
                Thread.ofPlatform().name("gatehouse-hunting-query-", 1).daemon().factory(), new ThreadPoolExecutor.AbortPolicy());
    }

    /** Queries running or waiting for a slot now (at most {@value #RUNNING} + {@value #WAITING}; more are refused). */
    public int inProgress() {
        return executor.getActiveCount() + executor.getQueue().size();
    }

    /** Options for {@link #run(long, String, KqlEngine.Options)}: Defender's limits with at most {@code rowCap} rows. */
    public static KqlEngine.Options rowLimit(int rowCap) {
        return new KqlEngine.Options(rowCap, TIMEOUT, null, KqlEngine.Options.defaults(null).maxCells());
    }

    /** Runs {@code query} over the tenant's tables with Defender's limits, {@code now} read once. */
    public QueryResult run(long tenantId, String query) {
        return run(tenantId, query, KqlEngine.Options.defaults(clock.instant()));
    }

    /**
     * As {@link #run(long, String)}, with the caller's options held to Defender's limits: the row cap and timeout
     * can be lowered, not raised; a null {@code now} is read from the clock.
     *
     * @throws KqlException for a query the engine refuses or a limit it hit; {@link Busy} when hunting is too busy to take
     *         it, {@link TimedOut} when it ran past its time limit
     */
    public QueryResult run(long tenantId, String query, KqlEngine.Options options) {
        KqlEngine.Options o = limited(options);
        Catalog catalog = tables.catalog(tenantId);
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicLong started = new AtomicLong();
        Future<QueryResult> f;
        try {
            f = executor.submit(() -> {
                long deadline = System.nanoTime() + o.timeout().toNanos();
                started.set(System.nanoTime());
                BooleanSupplier stop = () -> cancelled.get() || System.nanoTime() - deadline > 0;
                try {
                    return evaluator.run(query, catalog, o, stop);
                } catch (KqlException e) {
                    if (stop.getAsBoolean()) throw timedOut(o.timeout()); // the evaluator stopped for the time limit
                    throw e;
                }
            });
        } catch (RejectedExecutionException e) {
            throw new Busy("advanced hunting is busy: " + RUNNING + " queries are running and " + WAITING
                    + " are waiting; run the query again in a moment");
        }
        return await(f, o.timeout(), cancelled, started);
    }

    private static QueryResult await(Future<QueryResult> f, Duration timeout, AtomicBoolean cancelled, AtomicLong started) {
        long submitted = System.nanoTime();
        try {
            while (true) {
                long s = started.get();
                // waiting for a slot doesn't count against the query's time, but is itself bounded by the same limit
                long until = (s == 0 ? submitted : s) + timeout.toNanos();
                long left = until - System.nanoTime();
                if (left <= 0) break;
                try {
                    return f.get(left, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    if (started.get() != s) continue; // it started meanwhile: its own clock runs from there
                }
            }
            cancelled.set(true);
            f.cancel(true);
            throw started.get() == 0
                    ? new Busy("advanced hunting is busy: the query waited " + minutes(timeout) + " for a free slot and was not run")
                    : timedOut(timeout);
        } catch (InterruptedException e) {
            cancelled.set(true);
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new KqlException("the query was cancelled", Pos.NONE);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }

    private static KqlException timedOut(Duration timeout) {
        return new TimedOut("the query ran longer than " + minutes(timeout) + " and was stopped (Defender's limit); narrow its time"
                + " range or filters");
    }

    private static String minutes(Duration d) {
        return d.toMinutes() >= 1 && d.toSecondsPart() == 0 ? d.toMinutes() + " minutes" : d.toMillis() + " ms";
    }

    private KqlEngine.Options limited(KqlEngine.Options o) {
        int cap = o.rowCap() <= 0 ? ROW_CAP : Math.min(o.rowCap(), ROW_CAP);
        Duration timeout = o.timeout() == null || o.timeout().isNegative() || o.timeout().isZero() || o.timeout().compareTo(TIMEOUT) > 0
                ? TIMEOUT : o.timeout();
        return new KqlEngine.Options(cap, timeout, o.now() == null ? clock.instant() : o.now(), o.maxCells());
    }

    /** Stops taking queries and cancels those running (the gateway is stopping). */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
