// The stored real hunting queries, and random damage to them, shared by the parser's and the engine's robustness tests.
package dev.gatehouse.kql;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** Damaged queries look like what a hunter types half-way through an edit, which is what reaches the parser most. */
final class KqlCorpus {
    private KqlCorpus() {}

    private static final String ALPHABET = "()[]{}|,;:.=!~<>+-*/%'\"@`h$_ \n\u00a0\\0123456789abcdefxyz#";

    /** Every {@code queries/*.kql} (tiers A and B), sorted by name; with {@code unsupported}, the tier C ones too. */
    static List<String> queries(boolean withUnsupported) {
        try {
            Path dir = Path.of(KqlCorpus.class.getResource("queries").toURI());
            try (Stream<Path> files = withUnsupported ? Files.walk(dir) : Files.list(dir)) {
                return files.filter(p -> p.toString().endsWith(".kql")).sorted().map(KqlCorpus::read).toList();
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One of {@code corpus} with 1 to 3 random edits: a character deleted or inserted, or a run of up to 20 cut. */
    static String damaged(List<String> corpus, Random random) {
        StringBuilder q = new StringBuilder(corpus.get(random.nextInt(corpus.size())));
        for (int edits = 1 + random.nextInt(3); edits > 0 && !q.isEmpty(); edits--) {
            int at = random.nextInt(q.length());
            switch (random.nextInt(3)) {
                case 0 -> q.deleteCharAt(at);
                case 1 -> q.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                default -> q.replace(at, Math.min(q.length(), at + 1 + random.nextInt(20)), "");
            }
        }
        return q.toString();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
