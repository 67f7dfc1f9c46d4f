// MessageBufferTest: the capped content buffer: the exact size cap, that nothing past the cap or past a bare line
// ending is stored, and which refusal (550 or 552) a message that breaks both rules gets.
package dev.gatehouse.smtp;

import static dev.gatehouse.smtp.Transcripts.config;
import static dev.gatehouse.smtp.Transcripts.transcript;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageBufferTest {

    private static void write(MessageBuffer b, String s) {
        for (byte x : s.getBytes(StandardCharsets.ISO_8859_1)) b.write(x & 0xff);
    }

    @Test void contentOfExactlyTheCapIsKeptAndOneOctetMoreIsRefusedWith552() {
        MessageBuffer exact = new MessageBuffer(10, true);
        write(exact, "0123456789");
        assertThat(exact.tooBig()).isFalse();
        assertThat(exact.refusal()).isNull();
        assertThat(exact.toByteArray()).asString(StandardCharsets.ISO_8859_1).isEqualTo("0123456789");

        MessageBuffer over = new MessageBuffer(10, true);
        write(over, "0123456789X");
        assertThat(over.tooBig()).isTrue();
        assertThat(over.refusal()).isEqualTo(Replies.TOO_BIG);
        assertThat(over.refusal().toString()).isEqualTo("552 5.3.4 Message size exceeds fixed maximum message size");
    }

    @Test void nothingPastTheCapIsStoredButEveryOctetIsCounted() {
        MessageBuffer b = new MessageBuffer(20_000, true);
        for (int i = 0; i < 1_000_000; i++) b.write('a' + i % 26);
        assertThat(b.total()).isEqualTo(1_000_000);
        byte[] kept = b.toByteArray();
        assertThat(kept).hasSize(20_000);
        assertThat(kept[19_999]).isEqualTo((byte) ('a' + 19_999 % 26));
    }

    @Test void growsPastItsFirstBlockWithoutLosingOrReorderingOctets() {
        MessageBuffer b = new MessageBuffer(1 << 20, true);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 3000; i++) expected.append("line ").append(i).append("\r\n");
        write(b, expected.toString());
        assertThat(expected.length()).isGreaterThan(8192 * 2);
        assertThat(new String(b.toByteArray(), StandardCharsets.ISO_8859_1)).isEqualTo(expected.toString());
        assertThat(b.endsWithCrlf()).isTrue();
    }

    @Test void inRejectingModeNothingIsStoredAfterABareLineEnding() {
        MessageBuffer b = new MessageBuffer(1000, true);
        write(b, "before");
        b.bareLineEnding();
        write(b, "after");
        assertThat(b.normalising()).isFalse();
        assertThat(b.sawBareLineEnding()).isTrue();
        assertThat(new String(b.toByteArray(), StandardCharsets.ISO_8859_1)).isEqualTo("before");
        assertThat(b.total()).isEqualTo(11);
        assertThat(b.refusal()).isEqualTo(Replies.BARE_LINE_ENDING);
    }

    @Test void aBareLineEndingOutranksTheSizeLimitInRejectingModeOnly() {
        MessageBuffer rejecting = new MessageBuffer(5, true);
        rejecting.bareLineEnding();
        write(rejecting, "0123456789");
        assertThat(rejecting.refusal()).isEqualTo(Replies.BARE_LINE_ENDING);

        MessageBuffer normalising = new MessageBuffer(5, false);
        normalising.bareLineEnding();
        write(normalising, "0123456789");
        assertThat(normalising.refusal()).isEqualTo(Replies.TOO_BIG);
        MessageBuffer fits = new MessageBuffer(5, false);
        fits.bareLineEnding();
        write(fits, "01234");
        assertThat(fits.refusal()).isNull();
    }

    @Test void endsWithCrlfLooksOnlyAtTheLastTwoOctets() {
        MessageBuffer b = new MessageBuffer(100, true);
        assertThat(b.endsWithCrlf()).isFalse();
        write(b, "\n");
        assertThat(b.endsWithCrlf()).isFalse();
        write(b, "x\r\n");
        assertThat(b.endsWithCrlf()).isTrue();
        write(b, "\r");
        assertThat(b.endsWithCrlf()).isFalse();
    }

    @Test void anOversizedMessageWithABareLinefeedIsRefusedAsBareWhenRejectingAndAsTooBigWhenNormalising() {
        // the session's view of the same rule: an oversized message with a bare LF is refused as bare, not as too big
        String envelope = "EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.com>\r\nDATA\r\n";
        SmtpConfig small = config().withMaxMessageSize(100);
        assertThat(transcript(small, new TestHandler(), envelope, "x".repeat(300), "\nmore\r\n.\r\n"))
                .endsWith("550 5.5.2 Error: bare <CR> or <LF> received");
        assertThat(transcript(small, new TestHandler(), envelope, "x".repeat(300), "\r\nmore\r\n.\r\n"))
                .endsWith("552 5.3.4 Message size exceeds fixed maximum message size");
        TestHandler h = new TestHandler();
        assertThat(transcript(small.withRejectBareLineEndings(false), h, envelope, "x".repeat(300), "\nmore\r\n.\r\n"))
                .endsWith("552 5.3.4 Message size exceeds fixed maximum message size");
        assertThat(h.messages).isEmpty();
    }
}
