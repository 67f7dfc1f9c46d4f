// BdatTest: CHUNKING (RFC 3030): exact octet counts, refusals that still consume the chunk, limits and mixing with DATA.
package dev.gatehouse.smtp;

import static dev.gatehouse.smtp.Transcripts.config;
import static dev.gatehouse.smtp.Transcripts.transcript;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BdatTest {
    static final String ENVELOPE = "EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.com>\r\n";

    @Test void deliversChunksAndAppendsAMissingFinalCrlf() {
        TestHandler h = new TestHandler();
        List<String> lines = transcript(config(), h, ENVELOPE, "BDAT 7\r\nHello\r\n", "BDAT 6 LAST\r\nWorld!", "RCPT TO:<u@example.com>\r\n");
        assertThat(lines).endsWith("250 2.0.0 7 octets received", "250 2.0.0 Ok: queued as 1", "503 5.5.1 Error: need MAIL command");
        assertThat(h.messages.getFirst().text()).isEqualTo("Hello\r\nWorld!\r\n");
    }

    @Test void aCrlfSplitAcrossChunksIsNotBare() {
        TestHandler h = new TestHandler();
        assertThat(transcript(config(), h, ENVELOPE, "BDAT 3\r\nab\r", "BDAT 3 LAST\r\n\ncd")).endsWith("250 2.0.0 Ok: queued as 1");
        assertThat(h.messages.getFirst().text()).isEqualTo("ab\r\ncd\r\n");
    }

    @Test void afterARejectedRcptTheChunkIsConsumedNotExecuted() {
        String chunk = "MAIL FROM:<xy@evil.example>\r\nRCPT TO:<u2@example.com>\r\n";
        TestHandler h = new TestHandler();
        List<String> lines = transcript(config(), h, "EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<relaytest@other.example>\r\n",
                "BDAT " + chunk.length() + " LAST\r\n", chunk, "NOOP\r\n");
        assertThat(chunk).hasSize(55);
        assertThat(lines).endsWith("554 5.7.1 <relaytest@other.example>: Relay access denied", "554 5.5.1 Error: no valid recipients", "250 2.0.0 Ok");
        assertThat(h.recipientsSeen).containsExactly("relaytest@other.example");
    }

    @Test void bdatWithoutMailStillConsumesTheChunk() {
        assertThat(transcript("EHLO x\r\nBDAT 6\r\nNOOP\r\nNOOP\r\n")).endsWith("503 5.5.1 Error: need MAIL command", "250 2.0.0 Ok");
    }

    @Test void bdatZeroLastEndsAnEmptyMessage() {
        TestHandler h = new TestHandler();
        assertThat(transcript(config(), h, ENVELOPE, "BDAT 0 LAST\r\n")).endsWith("250 2.0.0 Ok: queued as 1");
        assertThat(h.messages.getFirst().content()).isEmpty();
    }

    @Test void aMalformedSizeIsRefusedAndTheSessionClosed() {
        assertThat(transcript(ENVELOPE, "BDAT ten LAST\r\nNOOP\r\n")).endsWith("250 2.1.5 Ok", "501 5.5.4 Syntax: BDAT size [LAST]");
    }

    @Test void oversizeChunksAreConsumedAndRefusedAtLast() {
        TestHandler h = new TestHandler();
        List<String> lines = transcript(config().withMaxMessageSize(1000), h, ENVELOPE, "BDAT 800\r\n", "x".repeat(800),
                "BDAT 800 LAST\r\n", "y".repeat(800), "NOOP\r\n");
        assertThat(lines).endsWith("250 2.0.0 800 octets received", "552 5.3.4 Message size exceeds fixed maximum message size", "250 2.0.0 Ok");
        assertThat(h.messages).isEmpty();
    }

    @Test void bareLineEndingsInChunksAreRefusedAtLast() {
        TestHandler h = new TestHandler();
        assertThat(transcript(config(), h, ENVELOPE, "BDAT 4\r\na\nb\r", "BDAT 2 LAST\r\n\r\n")).endsWith("250 2.0.0 4 octets received",
                "550 5.5.2 Error: bare <CR> or <LF> received");
        assertThat(transcript(config(), h, ENVELOPE, "BDAT 2 LAST\r\na\r")).endsWith("550 5.5.2 Error: bare <CR> or <LF> received");
        assertThat(h.messages).isEmpty();
        assertThat(transcript(config().withRejectBareLineEndings(false), h, ENVELOPE, "BDAT 5 LAST\r\na\nb\rc")).endsWith("250 2.0.0 Ok: queued as 1");
        assertThat(h.messages.getFirst().text()).isEqualTo("a\r\nb\r\nc\r\n");
    }

    @Test void dataAndBdatDoNotMixInOneTransaction() {
        assertThat(transcript(ENVELOPE, "BDAT 3\r\nabc", "DATA\r\n", "RCPT TO:<v@example.com>\r\n", "BDAT 0 LAST\r\n"))
                .endsWith("250 2.0.0 3 octets received", "503 5.5.1 Error: DATA not allowed after BDAT", "503 5.5.1 Error: RCPT after BDAT",
                        "250 2.0.0 Ok: queued as 1");
        assertThat(transcript("EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<r@other.example>\r\nDATA\r\nBDAT 3 LAST\r\nabcNOOP\r\n"))
                .endsWith("554 5.5.1 Error: no valid recipients", "503 5.5.1 Error: BDAT not allowed after DATA", "250 2.0.0 Ok");
    }

    @Test void aConnectionClosedMidChunkDeliversNothing() {
        TestHandler h = new TestHandler();
        assertThat(transcript(config(), h, ENVELOPE, "BDAT 100 LAST\r\nonly a few octets")).endsWith("250 2.1.5 Ok");
        assertThat(h.messages).isEmpty();
    }
}
