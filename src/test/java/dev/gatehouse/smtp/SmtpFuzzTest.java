// SmtpFuzzTest: Jazzer fuzz targets for the command/address parsers and for whole sessions fed arbitrary bytes.
package dev.gatehouse.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/**
 * In a plain {@code ./mvnw test} these replay the stored inputs under
 * {@code src/test/resources/dev/gatehouse/smtp/SmtpFuzzTestInputs/<method>/}; with {@code JAZZER_FUZZ=1}
 * they fuzz. Properties: parsers return a value or an {@link SmtpSyntaxException}, and an accepted
 * address never contains CR, LF or NUL; a session always terminates and never throws.
 */
class SmtpFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void commandParser(byte[] input) {
        String line = new String(input, StandardCharsets.ISO_8859_1);
        CommandParser.Command c = CommandParser.split(line);
        try {
            MailFrom m = CommandParser.mailFrom(c.argument());
            assertClean(m.address());
        } catch (SmtpSyntaxException expected) {
            assertThat(expected.reply().code()).isBetween(500, 599);
        }
        for (boolean utf8 : new boolean[] {false, true}) {
            try {
                assertClean(CommandParser.rcptTo(c.argument(), utf8));
            } catch (SmtpSyntaxException expected) {
                assertThat(expected.reply().code()).isBetween(500, 599);
            }
        }
        try {
            assertThat(CommandParser.bdat(c.argument()).size()).isNotNegative();
        } catch (SmtpSyntaxException expected) {
            assertThat(expected.reply().code()).isEqualTo(501);
        }
    }

    private static void assertClean(String address) {
        assertThat(address).doesNotContain("\r", "\n", "\0");
        assertThat(address.length()).isLessThanOrEqualTo(AddressParser.MAX_PATH);
    }

    @FuzzTest(maxDuration = "30s")
    void session(byte[] input) {
        boolean reject = input.length == 0 || (input[0] & 1) == 0;
        SmtpConfig config = Transcripts.config().withMaxMessageSize(4096).withRejectBareLineEndings(reject).withErrorLimits(50, 50);
        TestHandler handler = new TestHandler();
        MemoryTransport t = new MemoryTransport(new ByteArrayInputStream(input), new ByteArrayInputStream(input));
        new SmtpSession(config, handler, SmtpEvents.NONE, t).run();
        assertThat(t.closed).isTrue();
        for (TestHandler.Delivered d : handler.messages) {
            String text = d.text();
            assertThat(text.replace("\r\n", "")).doesNotContain("\r", "\n");
            assertThat(text.isEmpty() || text.endsWith("\r\n")).isTrue();
            assertThat(d.content().length).isLessThanOrEqualTo(4096 + 2);
        }
    }

    /**
     * Content fuzzing: a valid envelope, then DATA (first octet even) or {@code BDAT n LAST} with n taken from
     * the second octet, then the fuzzed bytes. Delivered content never holds a bare CR or LF.
     */
    @FuzzTest(maxDuration = "30s")
    void dataAndBdat(byte[] input) {
        String envelope = "EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.com>\r\n";
        boolean data = input.length == 0 || (input[0] & 1) == 0;
        int chunk = input.length > 1 ? input[1] & 0xff : 0;
        String command = data ? "DATA\r\n" : "BDAT " + chunk + ((input.length > 2 && (input[2] & 1) == 1) ? " LAST" : "") + "\r\n";
        byte[] prefix = (envelope + command).getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[prefix.length + input.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(input, 0, all, prefix.length, input.length);
        TestHandler handler = new TestHandler();
        MemoryTransport t = new MemoryTransport(new ByteArrayInputStream(all), null);
        new SmtpSession(Transcripts.config().withMaxMessageSize(1024), handler, SmtpEvents.NONE, t).run();
        assertThat(t.closed).isTrue();
        for (TestHandler.Delivered d : handler.messages) {
            assertThat(d.text().replace("\r\n", "")).doesNotContain("\r", "\n");
            assertThat(d.content().length).isLessThanOrEqualTo(1024 + 2);
        }
        String replies = t.out.toString(StandardCharsets.UTF_8);
        assertThat(replies).endsWith("\r\n");
    }
}
