package dev.gatehouse.ndr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class BouncesTest {
    @Test
    void aNullSenderNeverGetsAnNdr() {
        // no directory needed: the null sender is refused before any routing
        Bounces b = new Bounces(null, "mx.gatehouse.test");
        assertThat(b.ndr(1, "id", "", "Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII), java.time.Instant.now(),
                java.util.List.of(new Bounces.Failure("a@b.example", "5.1.1", "550 5.1.1 no")))).isNull();
        assertThat(b.ndr(1, "id", null, new byte[0], java.time.Instant.now(),
                java.util.List.of(new Bounces.Failure("a@b.example", "5.1.1", "550 5.1.1 no")))).isNull();
    }

    @Test
    void tokensExpandToSingleLineValues() {
        byte[] msg = ("From: A <a@x.example>\r\nTo: b@y.example,\r\n c@y.example\r\nCc: d@y.example\r\nSubject: Hi\r\n there\r\n"
                + "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\nX-MS-Exchange-Organization-AuthAs: Internal\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
        String out = Bounces.expand("%%From%%|%%To%%|%%Cc%%|%%Subject%%|%%MessageDate%%\n%%Headers%%", dev.gatehouse.mail.Message.parse(msg));
        assertThat(out).startsWith("A <a@x.example>|b@y.example, c@y.example|d@y.example|Hi there|Sat, 28 Nov 2026 10:00:00 +0000\n")
                .contains("From: A <a@x.example>\r\nTo: b@y.example, c@y.example\r\n").doesNotContain("AuthAs");
        assertThat(Bounces.oneLine("a\r\nBcc: evil@x")).isEqualTo("a  Bcc: evil@x");
    }
}
