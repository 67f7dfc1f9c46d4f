// Real public Defender email hunting queries: tiers A and B parse, tier C fails naming the unsupported feature.
package dev.gatehouse.kql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class KqlQueryCorpusTest {
    private static Path dir(String name) {
        try {
            return Path.of(KqlQueryCorpusTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Path> supportedQueries() throws IOException {
        try (Stream<Path> files = Files.list(dir("queries"))) {
            return files.filter(p -> p.toString().endsWith(".kql")).sorted().toList().stream();
        }
    }

    private static String read(Path p) throws IOException { return Files.readString(p, StandardCharsets.UTF_8); }

    @Test
    void theCorpusHoldsAtLeast25SourcedQueries() throws IOException {
        List<Path> all = supportedQueries().toList();
        assertThat(all).hasSizeGreaterThanOrEqualTo(25);
        for (Path p : all) assertThat(read(p)).as(p.getFileName().toString()).startsWith("// source: ");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("supportedQueries")
    void tierAAndBQueriesParse(Path file) throws IOException {
        String text = read(file);
        Ast.Query q = KqlParser.parse(text);
        assertThat(q.body()).isInstanceOf(Ast.Pipeline.class);
        for (Pos p : AstPositions.all(q)) {
            assertThat(AstPositions.isWithin(p, text)).as("%s is a place in the text", p).isTrue();
        }
        // the body starts at the first line that is not a let, a comment or blank
        Pos body = q.body().pos();
        String line = AstPositions.lines(text).get(body.line() - 1).substring(body.col() - 1);
        assertThat(line).doesNotStartWith("let").doesNotStartWith("//");
    }

    @Test
    void theCorpusUsesTheFeaturesTheSpecCounts() throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path p : supportedQueries().toList()) all.append(read(p)).append('\n');
        String corpus = all.toString();
        for (String feature : new String[] {"let ", "join kind=inner", "join kind=leftouter", "$left.", "arg_max(Timestamp, *)",
                "bin(", "has_any", "in~", "matches regex", "render ", "summarize", "top ", "EmailAttachmentInfo", "EmailUrlInfo",
                "EmailPostDeliveryEvents", "\u00a0"}) {
            assertThat(corpus).as("some corpus query uses %s", feature).contains(feature);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", value = {
        "mdhq-make-series-mail-per-domain.kql => unsupported: make-series at 3:3",
        "mdhq-make-series-anomalies-timechart.kql => unsupported: make-series at 4:3",
        "bertjanp-mv-expand-mailitemsaccessed.kql => unsupported: mv-expand at 11:3",
        "mdhq-mvexpand-vulnerable-devices.kql => unsupported: mvexpand at 9:3",
        "mdhq-evaluate-bag-unpack.kql => unsupported: evaluate at 6:3",
        "mdhq-evaluate-pivot-phish-malware.kql => unsupported: evaluate at 6:3",
        "mdhq-externaldata-covid-hashes.kql => unsupported: externaldata at 3:20",
        "bertjanp-externaldata-ipfs-phishing.kql => unsupported: externaldata at 3:15",
        "gatehouse-invoke.kql => unsupported: invoke at 4:3",
        "gatehouse-let-function.kql => unsupported: let function at 2:1",
    })
    void tierCQueriesNameTheUnsupportedFeature(String file, String message) throws IOException {
        String text = read(dir("queries/unsupported").resolve(file));
        assertThat(text).startsWith("// source: ");
        assertThatThrownBy(() -> KqlParser.parse(text)).isInstanceOf(KqlException.class).hasMessage(message);
    }

    @Test
    void everyTierCQueryIsListed() throws IOException {
        try (Stream<Path> files = Files.list(dir("queries/unsupported"))) {
            assertThat(files.count()).isEqualTo(10);
        }
    }
}
