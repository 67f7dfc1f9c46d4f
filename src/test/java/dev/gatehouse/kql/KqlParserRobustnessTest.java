// The properties of KqlParserFuzzTest over fixed random seeds, so every build checks them without Jazzer.
package dev.gatehouse.kql;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KqlParserRobustnessTest {
    /** The generator's queries parse, for many seeds, without Jazzer. */
    @Test
    void randomGeneratedQueriesParse() {
        Random random = new Random(20251205);
        for (int i = 0; i < 1_000; i++) KqlParserFuzzTest.checkParses(KqlQueryGenerator.generate(random::nextInt));
    }

    /** Real queries with random edits (deletions, insertions, swaps) parse or fail with a positioned error. */
    @Test
    void mutatedCorpusQueriesParseOrFailCleanly() {
        List<String> corpus = KqlCorpus.queries(false);
        Random random = new Random(7);
        for (int i = 0; i < 5_000; i++) KqlParserFuzzTest.check(KqlCorpus.damaged(corpus, random));
    }
}
