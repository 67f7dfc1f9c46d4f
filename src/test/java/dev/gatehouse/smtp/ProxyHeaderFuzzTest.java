// ProxyHeaderFuzzTest: Jazzer fuzz targets for the PROXY protocol parser and the reader that takes a header off a stream.
package dev.gatehouse.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;

/**
 * In a plain {@code ./mvnw test} these replay the stored inputs under
 * {@code src/test/resources/dev/gatehouse/smtp/ProxyHeaderFuzzTestInputs/<method>/}; with {@code JAZZER_FUZZ=1}
 * they fuzz. Properties: the parser never throws; a header is never longer than its limit or than the input; no
 * prefix of a header is called invalid nor asks for octets past its end; a refusal's reason is safe to log on one
 * line; the reader, fed one octet per read, takes exactly the header and leaves the rest of the stream alone.
 */
class ProxyHeaderFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parse(byte[] input) {
        ProxyHeader.Result r = ProxyHeader.parse(input, input.length);
        switch (r) {
            case ProxyHeader.Header h -> {
                assertThat(h.length()).isBetween(ProxyHeader.V1_MIN_LENGTH, input.length);
                assertThat(h.length()).isLessThanOrEqualTo(h.version() == 1 ? ProxyHeader.V1_MAX_LENGTH : ProxyHeader.V2_MAX_LENGTH);
                if (h instanceof ProxyHeader.Proxied p) assertThat(p.source().getAddress()).isNotNull();
                for (int prefix = 0; prefix < h.length(); prefix++) {
                    ProxyHeader.Result part = ProxyHeader.parse(input, prefix);
                    assertThat(part).as("prefix %d", prefix).isInstanceOf(ProxyHeader.Incomplete.class);
                    assertThat(((ProxyHeader.Incomplete) part).needed()).isBetween(1, h.length() - prefix);
                }
            }
            case ProxyHeader.Incomplete i -> assertThat(i.needed()).isBetween(1, ProxyHeader.V2_MAX_LENGTH - input.length);
            case ProxyHeader.Invalid bad -> assertThat(bad.reason()).isNotEmpty().matches("[\\x20-\\x7e]+");
        }
    }

    @FuzzTest(maxDuration = "30s")
    void readerTakesExactlyTheHeader(byte[] input) throws IOException {
        MemoryTransport t = new MemoryTransport(Transcripts.oneByteAtATime(input), null);
        ProxyHeader.Result read = ProxyHeaderReader.read(t, Duration.ofSeconds(5));
        ProxyHeader.Result parsed = ProxyHeader.parse(input, input.length);
        InputStream rest = t.in();
        if (parsed instanceof ProxyHeader.Header h) {
            assertThat(read).isEqualTo(h);
            assertThat(rest.readAllBytes()).isEqualTo(Arrays.copyOfRange(input, h.length(), input.length));
        } else {
            assertThat(read).isInstanceOf(ProxyHeader.Invalid.class);
            if (parsed instanceof ProxyHeader.Incomplete) assertThat(rest.read()).as("the whole input was taken, no more").isEqualTo(-1);
        }
    }
}
