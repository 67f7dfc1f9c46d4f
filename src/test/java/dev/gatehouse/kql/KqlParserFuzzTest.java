// Jazzer fuzz test: any text gives a tree positioned in the text or a positioned KqlException, nothing else.
package dev.gatehouse.kql;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/** Plain {@code ./mvnw test} replays the stored inputs under {@code KqlParserFuzzTestInputs} (regression mode). */
class KqlParserFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parsesOrReportsAPositionedError(byte[] data) {
        check(new String(data, StandardCharsets.UTF_8));
    }

    /** Structure-aware: the fuzzer's bytes choose operators, expressions and literals; every such query parses. */
    @FuzzTest(maxDuration = "30s")
    void generatedQueriesParse(FuzzedDataProvider data) {
        checkParses(KqlQueryGenerator.generate(n -> data.remainingBytes() == 0 ? 0 : data.consumeInt(0, n - 1)));
    }

    static void check(String text) {
        try {
            Ast.Query q = KqlParser.parse(text);
            assertPositionsWithin(q, text);
        } catch (KqlException e) {
            if (!e.getMessage().endsWith(" at " + e.pos()) || !AstPositions.isWithin(e.pos(), text)) {
                throw new AssertionError("error '" + e.getMessage() + "' is not positioned in the text:\n" + text, e);
            }
        }
    }

    static void checkParses(String text) {
        Ast.Query q;
        try {
            q = KqlParser.parse(text);
        } catch (KqlException e) {
            throw new AssertionError("generated query did not parse: " + e.getMessage() + "\n" + text, e);
        }
        assertPositionsWithin(q, text);
    }

    private static void assertPositionsWithin(Ast.Query q, String text) {
        var within = AstPositions.within(text);
        for (Pos p : AstPositions.all(q)) {
            if (!within.test(p)) throw new AssertionError("node position " + p + " is not in the text:\n" + text);
        }
    }
}
