// DkimFuzzTest: Jazzer fuzz targets for the tag-list parser, the key record reader and the signature field checks.
package dev.gatehouse.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.mail.HeaderField;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * In a plain {@code ./mvnw test} these replay the stored inputs under
 * {@code src/test/resources/dev/gatehouse/dkim/DkimFuzzTestInputs/<method>/}; with {@code JAZZER_FUZZ=1} they fuzz.
 * Properties: the parsers return or throw their own checked exception, never anything else; a parsed tag list
 * has unique names and values that hold no ';' and no white space at either end, with offsets that point back into
 * the text; a refused key or signature is a permanent error. The first octet of a key record or
 * signature input picks the algorithm or the field kind; the rest is the text.
 */
class DkimFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void tagList(byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        TagList tags;
        try {
            tags = TagList.parse(text);
        } catch (TagSyntaxException expected) {
            return;
        }
        assertThat(tags.tags()).isNotEmpty();
        Set<String> names = new HashSet<>();
        int previousEnd = -1;
        for (TagList.Tag t : tags.tags()) {
            assertThat(names.add(t.name())).as("unique name %s", t.name()).isTrue();
            assertThat(t.name()).matches("[A-Za-z][A-Za-z0-9_]*");
            assertThat(t.value()).doesNotContain(";");
            if (!t.value().isEmpty()) {
                assertThat(t.value().charAt(0)).isNotIn(' ', '\t', '\r', '\n');
                assertThat(t.value().charAt(t.value().length() - 1)).isNotIn(' ', '\t', '\r', '\n');
            }
            assertThat(t.valueStart()).isGreaterThan(previousEnd).isLessThanOrEqualTo(t.specEnd());
            assertThat(t.specEnd()).isLessThanOrEqualTo(text.length());
            if (t.specEnd() < text.length()) assertThat(text.charAt(t.specEnd())).isEqualTo(';');
            assertThat(text.substring(t.valueStart(), t.specEnd())).contains(t.value());
            assertThat(tags.get(t.name())).isEqualTo(t.value());
            previousEnd = t.specEnd();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void keyRecord(byte[] input) {
        Algorithm algorithm = input.length > 0 && (input[0] & 1) == 1 ? Algorithm.ED25519_SHA256 : Algorithm.RSA_SHA256;
        String text = input.length == 0 ? "" : new String(input, 1, input.length - 1, StandardCharsets.ISO_8859_1);
        try {
            KeyRecord key = KeyRecord.parse(text, algorithm);
            assertThat(key.keyType()).isEqualTo(algorithm.keyType());
            assertThat(key.key()).isNotNull();
        } catch (Failure refused) {
            assertThat(refused.result()).isEqualTo(DkimResult.Result.PERMERROR);
            assertThat(refused.reason()).isNotBlank();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void signatureField(byte[] input) {
        SignatureField.Kind kind = SignatureField.Kind.values()[input.length == 0 ? 0 : (input[0] & 0xff) % 3];
        String name = switch (kind) {
            case DKIM -> "DKIM-Signature";
            case ARC_MESSAGE_SIGNATURE -> "ARC-Message-Signature";
            case ARC_SEAL -> "ARC-Seal";
        };
        int rest = Math.max(0, input.length - 1); // the first octet chose the kind
        byte[] raw = new byte[name.length() + 1 + rest + 2];
        System.arraycopy((name + ":").getBytes(StandardCharsets.US_ASCII), 0, raw, 0, name.length() + 1);
        if (rest > 0) System.arraycopy(input, 1, raw, name.length() + 1, rest);
        raw[raw.length - 2] = '\r';
        raw[raw.length - 1] = '\n';
        HeaderField field = new HeaderField(name, raw);
        try {
            SignatureField sig = SignatureField.of(kind, field, SignatureField.tagsOf(field), 1_700_000_000L);
            assertThat(sig.domain()).isLowerCase();
            assertThat(SignatureField.dnsName(sig.domain())).isTrue();
            assertThat(sig.signature()).isNotEmpty();
            if (kind == SignatureField.Kind.DKIM) assertThat(sig.signedHeaders()).anyMatch("from"::equalsIgnoreCase);
            assertThat(sig.length()).isGreaterThanOrEqualTo(-1);
        } catch (Failure refused) {
            assertThat(refused.result()).isEqualTo(DkimResult.Result.PERMERROR);
        }
    }
}
