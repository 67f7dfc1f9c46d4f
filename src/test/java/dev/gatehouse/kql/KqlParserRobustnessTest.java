// The properties of KqlParserFuzzTest over fixed random seeds, so every build checks them without Jazzer.
package dev.gatehouse.kql;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void mutatedCorpusQueriesParseOrFailCleanly() throws IOException {
        List<String> corpus;
        try (var files = Files.list(Path.of(resource("queries")))) {
            corpus = files.filter(p -> p.toString().endsWith(".kql")).sorted().map(KqlParserRobustnessTest::read).toList();
        }
        String alphabet = "()[]{}|,;:.=!~<>+-*/%'\"@`h$_ \n\u00a0\\0123456789abcdefxyz#";
        Random random = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            StringBuilder q = new StringBuilder(corpus.get(random.nextInt(corpus.size())));
            for (int edits = 1 + random.nextInt(3); edits > 0 && !q.isEmpty(); edits--) {
                int at = random.nextInt(q.length());
                switch (random.nextInt(3)) {
                    case 0 -> q.deleteCharAt(at);
                    case 1 -> q.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> q.replace(at, Math.min(q.length(), at + 1 + random.nextInt(20)), "");
                }
            }
            KqlParserFuzzTest.check(q.toString());
        }
    }

    private static String resource(String name) {
        try {
            return KqlParserRobustnessTest.class.getResource(name).toURI().getPath();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
