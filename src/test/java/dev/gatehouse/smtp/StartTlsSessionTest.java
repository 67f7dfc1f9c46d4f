// StartTlsSessionTest: STARTTLS preconditions, discarding of injected plaintext, and the state reset, without sockets.
package dev.gatehouse.smtp;

import static dev.gatehouse.smtp.Transcripts.HOST;
import static dev.gatehouse.smtp.Transcripts.bytes;
import static dev.gatehouse.smtp.Transcripts.config;
import static dev.gatehouse.smtp.Transcripts.transcript;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class StartTlsSessionTest {
    static SmtpConfig tlsConfig() throws Exception { return config().withSslContext(SSLContext.getDefault()); }

    @Test void discardsPipelinedPlaintextAndForgetsTheSession() throws Exception {
        TestHandler h = new TestHandler();
        List<String> lines = Transcripts.run(tlsConfig(), h,
                new ByteArrayInputStream(bytes("EHLO x\r\nSTARTTLS\r\nRSET\r\nMAIL FROM:<injected@x.example>\r\n")),
                new ByteArrayInputStream(bytes("MAIL FROM:<a@b.example>\r\nEHLO y\r\nSTARTTLS\r\nMAIL FROM:<a@b.example>\r\n")));
        assertThat(lines).containsSubsequence("250 STARTTLS", "220 2.0.0 Ready to start TLS", "503 Error: send HELO/EHLO first",
                "250-" + HOST, "250 CHUNKING", "554 5.5.1 Error: TLS already active", "250 2.1.0 Ok");
        assertThat(lines).doesNotContain("250 2.0.0 Ok");
        assertThat(lines.stream().filter(l -> l.startsWith("220 2.0.0"))).hasSize(1);
        assertThat(lines.getLast()).isEqualTo("250 2.1.0 Ok");
    }

    @Test void refusesStartTlsOutOfPlace() throws Exception {
        assertThat(transcript("EHLO x\r\nSTARTTLS\r\n")).endsWith("502 5.5.1 Error: command not implemented");
        assertThat(transcript(tlsConfig(), new TestHandler(), "STARTTLS\r\nHELO x\r\nSTARTTLS\r\nEHLO x\r\nSTARTTLS now\r\n"
                + "MAIL FROM:<a@b.example>\r\nSTARTTLS\r\n")).containsExactly("220 " + HOST + " ESMTP Gatehouse",
                "503 Error: send EHLO first", "250 " + HOST, "503 Error: send EHLO first", "250-" + HOST, "250-PIPELINING",
                "250-SIZE 37748736", "250-8BITMIME", "250-SMTPUTF8", "250-ENHANCEDSTATUSCODES", "250-CHUNKING", "250 STARTTLS",
                "501 5.5.4 Syntax: STARTTLS", "250 2.1.0 Ok", "503 5.5.1 Error: MAIL transaction in progress");
    }

    @Test void aFailedHandshakeClosesQuietly() throws Exception {
        assertThat(Transcripts.run(tlsConfig(), new TestHandler(), new ByteArrayInputStream(bytes("EHLO x\r\nSTARTTLS\r\nNOOP\r\n")), null))
                .endsWith("250 STARTTLS", "220 2.0.0 Ready to start TLS");
    }
}
