// SmugglingTest: the 11 SMTP-smuggling end-of-data vectors of hostile-input.md 2.1 never end DATA or run the smuggled MAIL.
package dev.gatehouse.smtp;

import static dev.gatehouse.smtp.Transcripts.bytes;
import static dev.gatehouse.smtp.Transcripts.config;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmugglingTest {
    static final String PREFIX = "EHLO client.example\r\nMAIL FROM:<a@sender.example>\r\nRCPT TO:<user@example.com>\r\nDATA\r\n"
            + "Subject: t\r\n\r\nbody";
    static final String SMUGGLED = "MAIL FROM:<smuggled@sender.example>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\nspoofed\r\n";
    static final String SUFFIX = "end\r\n.\r\n";

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "lflf,          \\n.\\n,          true",
        "crcr,          \\r.\\r,          true",
        "cr-lf,         \\r.\\n,          true",
        "lf-cr,         \\n.\\r,          true",
        "lf.crlf,       \\n.\\r\\n,       true",
        "cr.crlf,       \\r.\\r\\n,       true",
        "crlf.lf,       \\r\\n.\\n,       true",
        "crlf.cr,       \\r\\n.\\r,       true",
        "crlf.crcrlf,   \\r\\n.\\r\\r\\n, true",
        "crcrlf.crcrlf, \\r\\r\\n.\\r\\r\\n, true",
        "nul-dot,       \\r\\n\\0.\\r\\n, false",
    })
    void vectorNeverEndsDataAndTheSmuggledMailIsNeverRun(String name, String escaped, boolean bare) {
        String vector = escaped.replace("\\r", "\r").replace("\\n", "\n").replace("\\0", "\0");
        for (boolean trickle : new boolean[] {false, true}) {
            TestHandler h = new TestHandler();
            byte[] input = bytes(PREFIX, vector, SMUGGLED, SUFFIX, "QUIT\r\n");
            List<String> lines = Transcripts.run(config(), h, trickle ? Transcripts.oneByteAtATime(input) : new ByteArrayInputStream(input), null);
            List<String> afterData = lines.subList(lines.indexOf("354 End data with <CR><LF>.<CR><LF>") + 1, lines.size());
            if (bare) {
                assertThat(afterData).as(name).containsExactly("550 5.5.2 Error: bare <CR> or <LF> received", "221 2.0.0 Bye");
                assertThat(h.messages).isEmpty();
            } else {
                assertThat(afterData).as(name).containsExactly("250 2.0.0 Ok: queued as 1", "221 2.0.0 Bye");
                assertThat(h.messages).hasSize(1);
                assertThat(h.messages.getFirst().text()).isEqualTo("Subject: t\r\n\r\nbody" + vector + SMUGGLED + "end\r\n");
            }
            assertThat(h.recipientsSeen).as("smuggled RCPT never ran").containsExactly("user@example.com");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"lflf, \\n.\\n", "crlf.crcrlf, \\r\\n.\\r\\r\\n", "lf.crlf, \\n.\\r\\n"})
    void normalisingModeKeepsTheVectorAsContentWithoutBareLineEndings(String name, String escaped) {
        String vector = escaped.replace("\\r", "\r").replace("\\n", "\n");
        TestHandler h = new TestHandler();
        List<String> lines = Transcripts.transcript(config().withRejectBareLineEndings(false), h, PREFIX, vector, SMUGGLED, SUFFIX);
        assertThat(lines).as(name).endsWith("354 End data with <CR><LF>.<CR><LF>", "250 2.0.0 Ok: queued as 1");
        String content = h.messages.getFirst().text();
        assertThat(content.replace("\r\n", "")).doesNotContain("\r", "\n");
        assertThat(content).contains(SMUGGLED);
        assertThat(h.recipientsSeen).containsExactly("user@example.com");
    }
}
