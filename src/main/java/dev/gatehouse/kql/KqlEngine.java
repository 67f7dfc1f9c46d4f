// Runs one KQL query over a catalog of columnar tables: parse, plan, evaluate, cap.
package dev.gatehouse.kql;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

public final class KqlEngine {
    private KqlEngine() {}

    /**
     * @param rowCap  most rows returned (Defender's portal: 30,000); more sets {@link QueryResult#truncated()}
     * @param timeout wall-clock limit; the query stops with a {@link KqlException} when it passes
     * @param now     the one clock reading {@code now()} and {@code ago()} use for the whole query
     * @param maxCells most values the query may hold in memory at once (rows × columns of intermediate results)
     */
    public record Options(int rowCap, Duration timeout, Instant now, long maxCells) {
        public static Options defaults(Instant now) { return new Options(30_000, Duration.ofMinutes(10), now, 50_000_000L); }
    }

    /**
     * @param cancelled polled while the query runs; true stops it with a {@link KqlException}
     * @throws KqlException for anything wrong with the query or a limit it hit
     */
    public static QueryResult run(String query, Catalog catalog, Options options, BooleanSupplier cancelled) {
        Ast.Query q = KqlParser.parse(query);
        Ctx ctx = new Ctx(Ticks.of(options.now()), options.timeout().toMillis(), cancelled, options.maxCells(), options.rowCap());
        try {
            return new Planner(ctx).run(q, catalog);
        } catch (StackOverflowError e) {
            throw new KqlException("the query is nested too deeply", Pos.NONE);
        } catch (OutOfMemoryError e) {
            throw new KqlException("the query needed more memory than the server can give it; narrow it with where, project or summarize", Pos.NONE);
        }
    }
}
