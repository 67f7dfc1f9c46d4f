// SpfFuzzTest: Jazzer fuzz targets for the SPF record parser and macro expansion, fed arbitrary octets.
package dev.gatehouse.spf;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * In a plain {@code ./mvnw test} these replay the stored inputs under
 * {@code src/test/resources/dev/gatehouse/spf/SpfFuzzTestInputs/<method>/}; with {@code JAZZER_FUZZ=1} they fuzz.
 * Properties: parsing returns a record or a syntax error (never throws), an error's position lies within the text
 * and its message is one printable line; every domain-spec and explanation expands within the bound, and a
 * domain made fit for a query is at most 253 characters.
 */
class SpfFuzzTest {

    /** Long, hostile values, so that a bound that does not hold shows. */
    private static final MacroString.Values VALUES = letter -> switch (letter) {
        case 's' -> "a-b.c+d=e".repeat(30) + "@" + "x.y-z".repeat(50);
        case 'l' -> "local\r\npart".repeat(25);
        case 'h' -> "JUMPIN' JUPITER\u00e9".repeat(20);
        default -> "1.2.3.4.example.com";
    };

    @FuzzTest(maxDuration = "30s")
    void recordParser(byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        switch (SpfRecord.parse(text)) {
            case SpfRecord r -> {
                assertThat(SpfRecord.isSpf(text)).isTrue();
                for (Mechanism m : r.mechanisms()) {
                    MacroString spec = switch (m) {
                        case Mechanism.Include i -> i.domain();
                        case Mechanism.Exists e -> e.domain();
                        case Mechanism.A a -> a.domain();
                        case Mechanism.Mx x -> x.domain();
                        case Mechanism.Ptr p -> p.domain();
                        default -> null;
                    };
                    if (spec != null) assertDomain(spec);
                }
                if (r.redirect() != null) assertDomain(r.redirect());
                if (r.explanation() != null) assertDomain(r.explanation());
            }
            case SyntaxError e -> {
                assertThat(e.position()).isBetween(0, text.length());
                assertThat(e.message()).matches("[\\x20-\\x7e]*");
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    void macroExpansion(byte[] input) {
        if (input.length == 0) return;
        MacroParser.Kind kind = MacroParser.Kind.values()[(input[0] & 0xff) % MacroParser.Kind.values().length];
        String text = new String(input, 1, input.length - 1, StandardCharsets.ISO_8859_1);
        MacroString m;
        try {
            m = MacroParser.parse(text, 0, kind);
        } catch (SyntaxError.Failure expected) {
            assertThat(expected.position).isBetween(0, text.length());
            assertThat(expected.getMessage()).matches("[\\x20-\\x7e]*");
            return;
        }
        String expanded = m.expand(VALUES, kind != MacroParser.Kind.EXPLANATION);
        assertThat(expanded.length()).isLessThanOrEqualTo(MacroString.MAX_EXPANSION);
        assertThat(SpfHeaders.printable(expanded, SpfHeaders.MAX_EXPLANATION)).matches("[\\x20-\\x7e]*").hasSizeLessThanOrEqualTo(SpfHeaders.MAX_EXPLANATION);
        if (kind == MacroParser.Kind.DOMAIN) assertDomain(m);
    }

    private static void assertDomain(MacroString spec) {
        String expanded = spec.expand(VALUES, true);
        assertThat(expanded.length()).isLessThanOrEqualTo(MacroString.MAX_EXPANSION);
        assertThat(Domains.truncate(expanded).length()).isLessThanOrEqualTo(253);
        String target = Domains.target(Domains.truncate(expanded));
        if (target != null) assertThat(target).doesNotContain("\r", "\n").hasSizeLessThanOrEqualTo(253);
    }
}
