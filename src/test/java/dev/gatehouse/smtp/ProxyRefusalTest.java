// ProxyRefusalTest: a PROXY header in command state (a peer not trusted to send one) is refused and never moves the client.
package dev.gatehouse.smtp;

import static dev.gatehouse.smtp.ProxyHeaderBytes.SIGNATURE;
import static dev.gatehouse.smtp.ProxyHeaderBytes.ascii;
import static dev.gatehouse.smtp.ProxyHeaderBytes.concat;
import static dev.gatehouse.smtp.Transcripts.HOST;
import static dev.gatehouse.smtp.Transcripts.config;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ProxyRefusalTest {
    static final String GREETING = "220 " + HOST + " ESMTP Gatehouse";
    static final String REFUSED = "554 5.7.0 Error: PROXY protocol is not accepted from this address";

    @Test void aV1LineIsRefusedAndTheSessionEndsBeforeTheCommandsAfterIt() {
        TestHandler h = new TestHandler();
        assertThat(Transcripts.transcript(config(), h, "PROXY TCP4 198.51.100.7 192.0.2.25 40000 25\r\n", "EHLO x\r\n",
                "MAIL FROM:<a@b.example>\r\n")).containsExactly(GREETING, REFUSED);
    }

    @Test void aV2SignatureAsTheFirstInputIsRefused() {
        byte[] header = ProxyHeaderBytes.v2(new InetSocketAddress("198.51.100.7", 40000), new InetSocketAddress("192.0.2.25", 25));
        byte[] wire = concat(header, ascii("EHLO x\r\n"));
        assertThat(Transcripts.run(config(), new TestHandler(), new ByteArrayInputStream(wire), null)).containsExactly(GREETING, REFUSED);
        assertThat(Transcripts.run(config(), new TestHandler(), Transcripts.oneByteAtATime(wire), null))
                .as("the signature trickled one octet per read").containsExactly(GREETING, REFUSED);
    }

    @Test void aV1LineLaterInTheSessionIsRefusedToo() {
        assertThat(Transcripts.transcript("EHLO x\r\n", "PROXY TCP4 198.51.100.7 192.0.2.25 40000 25\r\n", "NOOP\r\n"))
                .containsSubsequence(GREETING, "250 CHUNKING", REFUSED).hasSize(Transcripts.EHLO.size() + 2);
    }

    @Test void anOrdinaryClientWhoseFirstLineIsEmptyIsNotMistakenForAV2Header() {
        assertThat(Transcripts.transcript("\r\n", "EHLO x\r\n")).startsWith(GREETING, "500 Error: command not recognized", "250-" + HOST);
        assertThat(Transcripts.transcript("\r\n\r\nQUIT\r\n")).containsExactly(GREETING, "500 Error: command not recognized",
                "500 Error: command not recognized", "221 Bye");
    }

    @Test void theSignatureAnywhereButAtTheStartIsJustBadInput() {
        byte[] wire = concat(ascii("NOOP\r\n"), SIGNATURE, ascii("QUIT\r\n"));
        assertThat(Transcripts.run(config(), new TestHandler(), new ByteArrayInputStream(wire), null))
                .doesNotContain(REFUSED).contains("250 Ok").endsWith("221 Bye");
    }
}
