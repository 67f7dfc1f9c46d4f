// DmarcFuzzTest: Jazzer fuzz targets for the DMARC record parser, the organizational domain, the From reader and the header fragment.
package dev.gatehouse.dmarc;

import dev.gatehouse.mail.DomainNames;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

import dev.gatehouse.dmarc.DmarcResult.Policy;
import dev.gatehouse.dmarc.DmarcResult.Result;
import dev.gatehouse.mail.Message;

/**
 * In a plain {@code ./mvnw test} these replay the stored inputs under
 * {@code src/test/resources/dev/gatehouse/dmarc/DmarcFuzzTestInputs/<method>/}; with {@code JAZZER_FUZZ=1} they
 * fuzz. TXT data and From fields are hostile: the properties are that nothing throws, and what comes out is
 * bounded and fit for a header or a log.
 */
class DmarcFuzzTest {

    private static final PublicSuffixList PSL = PublicSuffixList.packaged();

    /** Any TXT string: a value, never an exception; a valid record's numbers in range; a problem without controls. */
    @FuzzTest(maxDuration = "30s")
    void recordParser(byte[] input) {
        String txt = new String(input, StandardCharsets.ISO_8859_1);
        switch (DmarcRecord.parse(txt)) {
            case DmarcRecord.Parsed.Valid v -> {
                assertThat(v.record().pct()).isBetween(0, 100);
                assertThat(v.record().policy()).isNotNull();
                assertThat(v.record().reportInterval()).isNotNegative();
                for (String u : v.record().aggregateUris()) assertThat(u).matches("[\\x21-\\x7e]+");
            }
            case DmarcRecord.Parsed.Invalid bad -> assertThat(bad.problem()).matches("[\\x20-\\x7e]{1,300}");
            case DmarcRecord.Parsed.NotDmarc n -> assertThat(txt).doesNotStartWith("v=DMARC1;");
        }
    }

    /** Any name: no organizational domain, or an A-label name that is a suffix of the input's own and its own org domain. */
    @FuzzTest(maxDuration = "30s")
    void organizationalDomain(byte[] input) {
        String name = new String(input, StandardCharsets.UTF_8);
        String org = PSL.organizationalDomain(name);
        if (org == null) {
            assertThat(DomainNames.toAscii(name)).isNull();
            return;
        }
        assertThat(org).matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)*").hasSizeLessThanOrEqualTo(253);
        assertThat(DomainNames.isAtOrUnder(DomainNames.toAscii(name), org)).isTrue();
        assertThat(PSL.organizationalDomain(org)).isEqualTo(org);
    }

    /** Any From field: Author Domains are valid A-label names, at most MAX_DOMAINS, or the message is unusable. */
    @FuzzTest(maxDuration = "30s")
    void authorDomains(byte[] input) {
        byte[] head = "From: ".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\r\nSubject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + input.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(input, 0, all, head.length, input.length);
        System.arraycopy(tail, 0, all, head.length + input.length, tail.length);
        switch (AuthorDomains.of(Message.parse(all))) {
            case AuthorDomains.Domains d -> {
                assertThat(d.domains()).isNotEmpty().hasSizeLessThanOrEqualTo(AuthorDomains.MAX_DOMAINS);
                for (String domain : d.domains()) assertThat(DomainNames.toAscii(domain)).isEqualTo(domain);
            }
            case AuthorDomains.Unusable u -> assertThat(u.problem()).doesNotContain("\r", "\n");
        }
    }

    /** Whatever a result holds, its Authentication-Results fragment is one line of printable ASCII with no separators. */
    @FuzzTest(maxDuration = "30s")
    void authenticationResultsFragment(byte[] input) {
        String s = new String(input, StandardCharsets.UTF_8);
        int cut = s.length() / 2;
        Result r = Result.values()[input.length % Result.values().length];
        DmarcResult result = new DmarcResult(r, s.substring(0, cut), null, Policy.NONE, 100, false, false, false, s.substring(cut), null);
        assertThat(result.authenticationResults()).matches("dmarc=[a-z]+( action=[a-z.]+)?( header\\.from=[a-z0-9_.-]+)?");
    }
}
