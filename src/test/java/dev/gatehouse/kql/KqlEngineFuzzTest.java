// Jazzer fuzz test: any text run over the hunting tables gives a result or a KqlException, never another throwable.
package dev.gatehouse.kql;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A hunter's query must never surface as an exception trace or kill the worker: every failure is a
 * {@link KqlException} with a message, positioned in the text when it has a position. Plain {@code ./mvnw test}
 * replays the stored inputs under {@code KqlEngineFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class KqlEngineFuzzTest {
    private static final Tables DB = HuntingSeed.catalog();
    /** Small limits, as the portal would set them for a cheap query: 100 rows, 2 s, 2M values held. */
    static final KqlEngine.Options LIMITS = new KqlEngine.Options(100, Duration.ofSeconds(2), Tables.NOW, 2_000_000L);

    @FuzzTest(maxDuration = "60s")
    void runsOrReportsAKqlException(byte[] data) {
        check(new String(data, StandardCharsets.UTF_8), DB);
    }

    /** Structure-aware: the fuzzer's bytes choose a well-formed query, which then runs. */
    @FuzzTest(maxDuration = "60s")
    void generatedQueriesRunOrReportAKqlException(FuzzedDataProvider data) {
        check(KqlQueryGenerator.generate(n -> data.remainingBytes() == 0 ? 0 : data.consumeInt(0, n - 1)), DB);
    }

    /** Whether {@code v} is boxed as {@link KqlType} promises (strings never null), so clients can render it. */
    static boolean holds(KqlType t, Object v) {
        if (v == null) return t != KqlType.STRING;
        return switch (t) {
            case BOOL -> v instanceof Boolean;
            case INT, LONG, DATETIME, TIMESPAN -> v instanceof Long;
            case REAL -> v instanceof Double;
            case STRING -> v instanceof String;
            case DYNAMIC -> v instanceof com.fasterxml.jackson.databind.JsonNode;
        };
    }

    /** Runs {@code text} over {@code catalog}; returns the result, or null when it failed with a well-formed KqlException. */
    static QueryResult check(String text, Catalog catalog) {
        try {
            QueryResult r = KqlEngine.run(text, catalog, LIMITS, () -> false);
            if (r.rows().size() > LIMITS.rowCap()) throw new AssertionError("more rows than the cap:\n" + text);
            for (Object[] row : r.rows()) {
                if (row.length != r.columns().size()) throw new AssertionError("a row of " + row.length + " values for " + r.columns().size() + " columns:\n" + text);
                for (int i = 0; i < row.length; i++) {
                    KqlType t = r.columns().get(i).type();
                    if (!holds(t, row[i])) throw new AssertionError("column " + r.columns().get(i) + " holds " + row[i] + " (" + (row[i] == null ? "null" : row[i].getClass()) + "):\n" + text);
                }
            }
            return r;
        } catch (KqlException e) {
            String m = e.getMessage();
            if (m == null || m.isBlank()) throw new AssertionError("a KqlException without a message:\n" + text, e);
            if (!e.pos().equals(Pos.NONE) && (!m.endsWith(" at " + e.pos()) || !AstPositions.isWithin(e.pos(), text))) {
                throw new AssertionError("error '" + m + "' is not positioned in the text:\n" + text, e);
            }
            return null;
        } catch (RuntimeException | Error e) {
            if (e instanceof AssertionError) throw e;
            throw new AssertionError("the engine threw " + e + " instead of a KqlException for:\n" + text, e);
        }
    }
}
