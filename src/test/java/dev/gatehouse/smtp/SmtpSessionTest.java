// SmtpSessionTest: socket-free transcripts of the session state machine: commands, sequence, limits, DATA, BDAT, STARTTLS.
package dev.gatehouse.smtp;

import static dev.gatehouse.smtp.Transcripts.EHLO;
import static dev.gatehouse.smtp.Transcripts.HOST;
import static dev.gatehouse.smtp.Transcripts.bytes;
import static dev.gatehouse.smtp.Transcripts.config;
import static dev.gatehouse.smtp.Transcripts.transcript;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class SmtpSessionTest {
    static final String GREETING = "220 " + HOST + " ESMTP Gatehouse";
    static final String ENVELOPE = "EHLO client.example\r\nMAIL FROM:<a@sender.example>\r\nRCPT TO:<user@example.com>\r\n";

    private static List<String> with(String... lines) {
        List<String> all = new ArrayList<>();
        all.add(GREETING);
        all.addAll(EHLO);
        all.addAll(List.of(lines));
        return all;
    }

    @Test void recipientsPastTheLimitGet452WithoutCountingAsErrorsSoAPipeliningSenderKeepsItsTransaction() {
        // 1,105 pipelined recipients with a limit of 1,000 and an error cap of 20: the first 1,000 are taken, the
        // other 105 get 452 4.5.3 (retry later), and the transaction goes on to DATA instead of ending in 421
        TestHandler h = new TestHandler();
        StringBuilder rcpts = new StringBuilder();
        for (int i = 0; i < 1105; i++) rcpts.append("RCPT TO:<u").append(i).append("@example.com>\r\n");
        List<String> lines = transcript(config().withMaxRecipients(1000).withErrorLimits(20, 100), h,
                "EHLO client.example\r\nMAIL FROM:<a@sender.example>\r\n", rcpts.toString(), "DATA\r\n", "Subject: s\r\n\r\nb\r\n.\r\n",
                "QUIT\r\n");
        assertThat(lines.stream().filter(l -> l.equals("250 2.1.5 Ok")).count()).isEqualTo(1000);
        assertThat(lines.stream().filter(l -> l.startsWith("452 4.5.3")).count()).isEqualTo(105);
        assertThat(lines).noneMatch(l -> l.startsWith("421")).endsWith("354 End data with <CR><LF>.<CR><LF>", "250 2.0.0 Ok: queued as 1",
                "221 2.0.0 Bye");
        assertThat(h.messages.getFirst().transaction().recipients()).hasSize(1000);
        // other errors still count: the cap still ends a session that only makes mistakes
        StringBuilder junk = new StringBuilder();
        for (int i = 0; i < 25; i++) junk.append("RCPT TO:<u@nowhere.example>\r\n");
        assertThat(transcript(config().withErrorLimits(20, 100), new TestHandler(), "EHLO c\r\nMAIL FROM:<a@b.example>\r\n", junk.toString()))
                .anyMatch(l -> l.startsWith("421 4.7.0"));
    }

    @Test void greetsAndAdvertisesExtensionsAfterEhlo() {
        assertThat(transcript("EHLO client.example\r\n", "QUIT\r\n")).isEqualTo(with("221 2.0.0 Bye"));
    }

    @Test void heloHasNoExtensionsAndRepliesCarryNoEnhancedCodes() {
        assertThat(transcript("HELO client.example\r\n", "MAIL FROM:<a@b.example>\r\n", "FOO\r\n", "QUIT\r\n"))
                .containsExactly(GREETING, "250 " + HOST, "250 Ok", "500 Error: command not recognized", "221 Bye");
    }

    @Test void advertisesStartTlsOnlyWithAnSslContext() throws Exception {
        List<String> lines = transcript(config().withSslContext(SSLContext.getDefault()), new TestHandler(), "EHLO x\r\n");
        assertThat(lines).endsWith("250-CHUNKING", "250 STARTTLS");
    }

    @Test void deliversUnstuffedContentAndResetsTheTransaction() {
        TestHandler h = new TestHandler();
        List<String> lines = transcript(config(), h, ENVELOPE, "RCPT TO:<other@example.com>\r\n", "DATA\r\n",
                "Subject: t\r\n\r\n..leading dot\r\n..\r\nbody\0nul\r\n.\r\n", "RCPT TO:<user@example.com>\r\nQUIT\r\n");
        assertThat(lines).isEqualTo(with("250 2.1.0 Ok", "250 2.1.5 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>",
                "250 2.0.0 Ok: queued as 1", "503 5.5.1 Error: need MAIL command", "221 2.0.0 Bye"));
        assertThat(h.messages).hasSize(1);
        assertThat(h.messages.getFirst().text()).isEqualTo("Subject: t\r\n\r\n.leading dot\r\n.\r\nbody\0nul\r\n");
        assertThat(h.messages.getFirst().transaction().recipients()).containsExactly(
                new MailTransaction.AcceptedRecipient("user@example.com", "route:user@example.com"),
                new MailTransaction.AcceptedRecipient("other@example.com", "route:other@example.com"));
        assertThat(h.messages.getFirst().session().helo()).isEqualTo("client.example");
    }

    @Test void aLoneDotRightAfter354EndsAnEmptyMessage() {
        TestHandler h = new TestHandler();
        assertThat(transcript(config(), h, ENVELOPE, "DATA\r\n.\r\n")).endsWith("250 2.0.0 Ok: queued as 1");
        assertThat(h.messages.getFirst().content()).isEmpty();
    }

    @Test void enforcesCommandSequence() {
        assertThat(transcript("MAIL FROM:<a@b.example>\r\n", "RCPT TO:<u@example.com>\r\n", "DATA\r\n", "EHLO x\r\n",
                "RCPT TO:<u@example.com>\r\n", "DATA\r\n", "MAIL FROM:<a@b.example>\r\n", "MAIL FROM:<a@b.example>\r\n", "DATA x\r\n"))
                .containsExactly(GREETING, "503 Error: send HELO/EHLO first", "503 Error: need MAIL command",
                        "503 Error: send HELO/EHLO first", EHLO.get(0), EHLO.get(1), EHLO.get(2), EHLO.get(3), EHLO.get(4),
                        EHLO.get(5), EHLO.get(6), "503 5.5.1 Error: need MAIL command", "503 5.5.1 Error: need MAIL command",
                        "250 2.1.0 Ok", "503 5.5.1 Error: nested MAIL command", "501 5.5.4 Syntax: DATA");
    }

    @Test void answersHousekeepingCommandsWithoutRevealingAnything() {
        assertThat(transcript("EHLO x\r\n", "NOOP\r\n", "RSET\r\n", "VRFY root\r\n", "EXPN staff\r\n", "HELP\r\n", "AUTH PLAIN\r\n", "EHLO\r\n"))
                .isEqualTo(with("250 2.0.0 Ok", "250 2.0.0 Ok", "252 2.0.0 Cannot VRFY user, but will accept message and attempt delivery",
                        "502 5.5.1 EXPN not available", "214 2.0.0 Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY STARTTLS",
                        "502 5.5.1 Error: command not implemented", "501 5.5.4 Syntax: EHLO hostname"));
    }

    @Test void rejectsNulLongLinesAndBareLineEndingsInCommandsAndCarriesOn() {
        String longLine = "NOOP " + "x".repeat(600) + "\r\n";
        assertThat(transcript("EHLO x\r\n", "NO\0OP\r\n", longLine, "NOOP\n", "NO\rOP\r\n", "NOOP " + "y".repeat(505) + "\r\n", "QUIT\r\n"))
                .isEqualTo(with("501 5.5.2 Error: NUL or stray CR in command", "500 5.5.2 Line too long",
                        "550 5.5.2 Error: bare <CR> or <LF> received", "550 5.5.2 Error: bare <CR> or <LF> received",
                        "250 2.0.0 Ok", "221 2.0.0 Bye"));
    }

    @Test void aHugeLineIsDiscardedWithoutBufferingIt() {
        String huge = "X".repeat(5_000_000) + "\r\n";
        assertThat(transcript("EHLO x\r\n", huge, "NOOP\r\n")).isEqualTo(with("500 5.5.2 Line too long", "250 2.0.0 Ok"));
    }

    @Test void normalisingModeAcceptsBareLineFeeds() {
        TestHandler h = new TestHandler();
        List<String> lines = transcript(config().withRejectBareLineEndings(false), h, "EHLO x\n", "NOOP\n",
                "MAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.com>\r\nDATA\r\n", "a\nb\rc\r\n.\n..\r\n.\r\n", "NO\rOP\r\n");
        assertThat(lines).endsWith("250 2.0.0 Ok", "250 2.1.0 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>",
                "250 2.0.0 Ok: queued as 1", "501 5.5.2 Error: NUL or stray CR in command");
        assertThat(h.messages.getFirst().text()).isEqualTo("a\r\nb\r\nc\r\n.\r\n..\r\n");   // no unstuffing after a normalised line end
    }

    @Test void rejectedDataIsFollowedByContentReadAsCommandsUntilTheSessionHangsUp() {
        // Postfix's measured sequence (hostile-input.md 2.4): one write, DATA refused, the rest runs as commands.
        assertThat(transcript("EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<relaytest@other.example>\r\nDATA\r\nRSET\r\n"
                + "MAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.com>\r\n.\r\nQUIT\r\n"))
                .isEqualTo(with("250 2.1.0 Ok", "554 5.7.1 <relaytest@other.example>: Relay access denied",
                        "554 5.5.1 Error: no valid recipients", "250 2.0.0 Ok", "250 2.1.0 Ok", "250 2.1.5 Ok",
                        "221 2.7.0 Error: I can break rules, too. Goodbye."));
        assertThat(transcript("EHLO x\r\nMAIL FROM:<a@b.example>\r\nDATA\r\nSubject: hi\r\nNOOP\r\n"))
                .isEqualTo(with("250 2.1.0 Ok", "554 5.5.1 Error: no valid recipients", "221 2.7.0 Error: I can break rules, too. Goodbye."));
        assertThat(transcript("GET / HTTP/1.1\r\nHost: x\r\n")).containsExactly(GREETING, "221 Error: I can break rules, too. Goodbye.");
    }

    @Test void refusesDeclaredAndActualOversizeMessages() {
        TestHandler h = new TestHandler();
        SmtpConfig small = config().withMaxMessageSize(1000);
        List<String> lines = transcript(small, h, "EHLO x\r\n", "MAIL FROM:<a@b.example> SIZE=1001\r\n", "MAIL FROM:<a@b.example> SIZE=1000\r\n",
                "RCPT TO:<u@example.com>\r\nDATA\r\n", ("y".repeat(98) + "\r\n").repeat(20), ".\r\nNOOP\r\n");
        assertThat(lines).endsWith("552 5.3.4 Message size exceeds fixed maximum message size", "250 2.1.0 Ok", "250 2.1.5 Ok",
                "354 End data with <CR><LF>.<CR><LF>", "552 5.3.4 Message size exceeds fixed maximum message size", "250 2.0.0 Ok");
        assertThat(h.messages).isEmpty();
        List<String> exact = transcript(small, h, ENVELOPE, "DATA\r\n", ("y".repeat(98) + "\r\n").repeat(10), ".\r\n");
        assertThat(exact).endsWith("250 2.0.0 Ok: queued as 1");
    }

    @Test void refusesRecipientsBeyondTheLimitWith452() {
        List<String> lines = transcript(config().withMaxRecipients(3), new TestHandler(), ENVELOPE,
                "RCPT TO:<b@example.com>\r\nRCPT TO:<c@example.com>\r\nRCPT TO:<d@example.com>\r\nRCPT TO:<e@example.com>\r\n");
        assertThat(lines).endsWith("250 2.1.5 Ok", "250 2.1.5 Ok", "250 2.1.5 Ok", "452 4.5.3 Too many recipients", "452 4.5.3 Too many recipients");
    }

    @Test void hangsUpAfterTheHardErrorLimit() {
        List<String> lines = transcript(config().withErrorLimits(3, 100), new TestHandler(), "EHLO x\r\nFOO\r\nBAR\r\nBAZ\r\nNOOP\r\n");
        assertThat(lines).isEqualTo(with("500 5.5.2 Error: command not recognized", "500 5.5.2 Error: command not recognized",
                "500 5.5.2 Error: command not recognized", "421 4.7.0 " + HOST + " Error: too many errors"));
    }

    @Test void hangsUpAfterTheJunkCommandLimit() {
        List<String> lines = transcript(config().withErrorLimits(20, 3), new TestHandler(), "EHLO x\r\nNOOP\r\nRSET\r\nVRFY x\r\nNOOP\r\nNOOP\r\n");
        assertThat(lines).isEqualTo(with("250 2.0.0 Ok", "250 2.0.0 Ok", "252 2.0.0 Cannot VRFY user, but will accept message and attempt delivery",
                "421 4.7.0 " + HOST + " Error: too many errors"));
    }

    @Test void reportsATimeoutWith421() {
        InputStream timesOut = new SequenceInputStream(new ByteArrayInputStream(bytes("EHLO x\r\n")), new InputStream() {
            @Override public int read() throws IOException { throw new SocketTimeoutException("test"); }
        });
        assertThat(Transcripts.run(config(), new TestHandler(), timesOut, null)).isEqualTo(with("421 4.4.2 " + HOST + " Error: timeout exceeded"));
    }

    @Test void handlerFailuresBecome451AndRefusalsPassThrough() {
        MailHandler broken = new MailHandler() {
            @Override public SmtpReply onMailFrom(SessionInfo s, MailFrom f) {
                if (f.address().startsWith("bad")) return SmtpReply.of(550, "5.7.1", "Sender refused");
                if (f.address().startsWith("boom")) throw new IllegalStateException("test");
                return null;
            }
            @Override public RcptDecision onRcptTo(SessionInfo s, MailFrom f, String r) { throw new IllegalStateException("test"); }
            @Override public SmtpReply onData(SessionInfo s, MailTransaction t, byte[] c) { return null; }
        };
        assertThat(transcript(config(), broken, "EHLO x\r\nMAIL FROM:<bad@x.example>\r\nMAIL FROM:<boom@x.example>\r\n"
                + "MAIL FROM:<ok@x.example>\r\nRCPT TO:<u@example.com>\r\n"))
                .isEqualTo(with("550 5.7.1 Sender refused", "451 4.3.0 Error: internal error, try again later", "250 2.1.0 Ok",
                        "451 4.3.0 Error: internal error, try again later"));
    }

    @Test void aConnectRefusalIsSentInsteadOfTheGreeting() {
        MailHandler refusing = new MailHandler() {
            @Override public SmtpReply onConnect(SessionInfo s) { return SmtpReply.of(554, "5.7.1", "Go away"); }
            @Override public RcptDecision onRcptTo(SessionInfo s, MailFrom f, String r) { return null; }
            @Override public SmtpReply onData(SessionInfo s, MailTransaction t, byte[] c) { return null; }
        };
        assertThat(transcript(config(), refusing, "EHLO x\r\n")).containsExactly("554 Go away");
    }

    @Test void pipelinedRepliesAreWrittenTogetherWhenInputRunsOut() {
        MemoryTransport t = new MemoryTransport(new ByteArrayInputStream(bytes(ENVELOPE, "NOOP\r\n")), null);
        new SmtpSession(config(), new TestHandler(), SmtpEvents.NONE, t).run();
        assertThat(t.writes).isEqualTo(2);   // the greeting, then the four replies of the pipelined group
        assertThat(Transcripts.lines(t.out.toString(java.nio.charset.StandardCharsets.UTF_8))).hasSize(1 + 7 + 3);
    }

    @Test void splittingTheInputAnywhereGivesTheSameTranscript() {
        String script = ENVELOPE + "DATA\r\nSubject: x\r\n\r\n..dot\r\nbody\n.\nMAIL FROM:<s@x>\r\n.\r\n" + "MAIL FROM:<a@b.example>\r\n"
                + "RCPT TO:<u@example.com>\r\nBDAT 10\r\n0123456789BDAT 3 LAST\r\nab\nNOOP\r\n" + "NOOP " + "z".repeat(700) + "\r\nQUIT\r\n";
        List<String> whole = transcript(script);
        List<String> trickled = Transcripts.run(config(), new TestHandler(), Transcripts.oneByteAtATime(bytes(script)), null);
        assertThat(trickled).isEqualTo(whole);
        assertThat(whole).endsWith("550 5.5.2 Error: bare <CR> or <LF> received", "250 2.1.0 Ok", "250 2.1.5 Ok",
                "250 2.0.0 10 octets received", "550 5.5.2 Error: bare <CR> or <LF> received", "250 2.0.0 Ok",
                "500 5.5.2 Line too long", "221 2.0.0 Bye");
    }

    @Test void ehloResetsAnOpenTransaction() {
        assertThat(transcript(ENVELOPE, "EHLO again\r\n", "DATA\r\n")).endsWith("250 CHUNKING", "503 5.5.1 Error: need MAIL command");
    }


    @Test void nonAsciiEnvelopesNeedSmtpUtf8() {
        String jorg = new String("jörg".getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.ISO_8859_1);
        TestHandler h = new TestHandler();
        assertThat(transcript(config(), h, "EHLO x\r\n", "MAIL FROM:<" + jorg + "@b.example>\r\n", "MAIL FROM:<" + jorg + "@b.example> SMTPUTF8\r\n",
                "RCPT TO:<" + jorg + "@example.com>\r\n")).endsWith("553 5.6.7 Error: non-ASCII address requires SMTPUTF8", "250 2.1.0 Ok", "250 2.1.5 Ok");
        assertThat(h.recipientsSeen).containsExactly("jörg@example.com");
    }

    @Test void sourceRoutesAreDroppedBeforeTheHandlerSeesTheAddress() {
        TestHandler h = new TestHandler();
        transcript(config(), h, "EHLO x\r\nMAIL FROM:<@a.example,@b.example:a@b.example>\r\nRCPT TO:<@relay.example:u@example.com>\r\n"
                + "DATA\r\nx\r\n.\r\n");
        assertThat(h.messages.getFirst().transaction().from().address()).isEqualTo("a@b.example");
        assertThat(h.recipientsSeen).containsExactly("u@example.com");
    }
}
