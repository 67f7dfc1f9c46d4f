// Transcripts: runs an SmtpSession over in-memory bytes and returns the reply lines, for socket-free tests.
package dev.gatehouse.smtp;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

final class Transcripts {
    private Transcripts() {}

    static final String HOST = "mx.test.example";

    static SmtpConfig config() { return SmtpConfig.defaults(HOST); }

    static byte[] bytes(String... parts) { return String.join("", parts).getBytes(StandardCharsets.ISO_8859_1); }

    /** The reply lines (without CRLF) the session sends for the given input. */
    static List<String> transcript(String... input) { return transcript(config(), new TestHandler(), input); }

    static List<String> transcript(SmtpConfig config, MailHandler<String> handler, String... input) {
        return run(config, handler, new ByteArrayInputStream(bytes(input)), null);
    }

    static List<String> run(SmtpConfig config, MailHandler<String> handler, InputStream in, InputStream afterTls) {
        MemoryTransport t = new MemoryTransport(in, afterTls);
        new SmtpSession(config, handler, SmtpEvents.NONE, t).run();
        if (!t.closed) throw new AssertionError("session did not close its transport");
        return lines(t.out.toString(StandardCharsets.UTF_8));
    }

    static List<String> lines(String wire) {
        if (wire.isEmpty()) return List.of();
        if (!wire.endsWith("\r\n")) throw new AssertionError("reply stream does not end in CRLF: " + wire);
        return Arrays.asList(wire.substring(0, wire.length() - 2).split("\r\n", -1));
    }

    /** Hands out at most one octet per read, as a slow or hostile client would. */
    static InputStream oneByteAtATime(byte[] data) {
        return new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }

    /** The EHLO reply lines for the default config without TLS. */
    static final List<String> EHLO = List.of("250-" + HOST, "250-PIPELINING", "250-SIZE 37748736", "250-8BITMIME",
            "250-SMTPUTF8", "250-ENHANCEDSTATUSCODES", "250 CHUNKING");
}
