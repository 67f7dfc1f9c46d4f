// SessionRepliesTest: socket-free transcripts of the replies an SMTP client sees for MAIL parameters, RSET/QUIT and
// other housekeeping, line limits, content sent as commands, handler answers, refusal events and shutdown.
package dev.gatehouse.smtp;

import static dev.gatehouse.smtp.Transcripts.HOST;
import static dev.gatehouse.smtp.Transcripts.bytes;
import static dev.gatehouse.smtp.Transcripts.config;
import static dev.gatehouse.smtp.Transcripts.transcript;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SessionRepliesTest {
    static final String GREETING = "220 " + HOST + " ESMTP Gatehouse";
    static final String ENVELOPE = "EHLO client.example\r\nMAIL FROM:<a@sender.example>\r\nRCPT TO:<user@example.com>\r\n";
    static final String BYE = "221 2.0.0 Bye";

    /** The replies after the EHLO reply (the greeting and the seven EHLO lines dropped). */
    private static List<String> afterEhlo(List<String> lines) {
        return lines.subList(1 + Transcripts.EHLO.size(), lines.size());
    }

    /** Runs a session over the input with the given handler and events, returning the transport for inspection. */
    private static MemoryTransport run(SmtpSession<String> session, MemoryTransport t) {
        session.run();
        return t;
    }

    private static List<String> replies(MemoryTransport t) { return Transcripts.lines(t.out.toString(StandardCharsets.UTF_8)); }

    @Test void mailParametersAreCaseInsensitiveAndMaySitAnyNumberOfSpacesApart() {
        TestHandler h = new TestHandler();
        List<String> lines = transcript(config(), h, "EHLO x\r\n", "MAIL FROM:<a@b.example>   size=120  body=7bit   smtputf8\r\n",
                "RCPT TO:<u@example.com>\r\nDATA\r\nhi\r\n.\r\n");
        assertThat(afterEhlo(lines)).containsExactly("250 2.1.0 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>",
                "250 2.0.0 Ok: queued as 1");
        assertThat(h.messages.getFirst().transaction().from()).isEqualTo(new MailFrom("a@b.example", 120, "7BIT", true));
    }

    @Test void eachBadMailParameterGetsItsOwnReplyAndOpensNoTransaction() {
        List<String> lines = transcript("EHLO x\r\n", "MAIL FROM:<a@b.example> SIZE=\r\n", "MAIL FROM:<a@b.example> SIZE\r\n",
                "MAIL FROM:<a@b.example> SIZE=-1\r\n", "MAIL FROM:<a@b.example> SIZE=99999999999999999999999\r\n",
                "MAIL FROM:<a@b.example> BODY\r\n", "MAIL FROM:<a@b.example> body=binarymime\r\n",
                "MAIL FROM:<a@b.example> SMTPUTF8=yes\r\n", "MAIL FROM:<a@b.example> AUTH=<>\r\n",
                "MAIL FROM:<a@b.example> RET=HDRS ENVID=x\r\n", "RCPT TO:<u@example.com>\r\n", "MAIL FROM:<a@b.example>\r\n");
        assertThat(afterEhlo(lines)).containsExactly(
                "501 5.5.4 Syntax: SIZE=octets", "501 5.5.4 Syntax: SIZE=octets", "501 5.5.4 Syntax: SIZE=octets",
                "552 5.3.4 Message size exceeds fixed maximum message size",
                "501 5.5.4 Syntax: BODY=7BIT/8BITMIME", "555 5.5.4 Unsupported option: body=binarymime",
                "555 5.5.4 Unsupported option: SMTPUTF8=yes", "555 5.5.4 Unsupported option: AUTH=<>",
                "555 5.5.4 Unsupported option: RET=HDRS",
                "503 5.5.1 Error: need MAIL command", "250 2.1.0 Ok");
    }

    @Test void anUnsupportedParameterIsEchoedWithoutControlCharactersAndAtMost64Characters() {
        String longParam = "X-" + "A".repeat(200);
        List<String> lines = transcript("EHLO x\r\n", "MAIL FROM:<a@b.example> X-\u001b[2J\u0007\r\n", "MAIL FROM:<a@b.example> " + longParam + "\r\n",
                "MAIL FROM:<a@b.example>\r\n", "RCPT TO:<u@example.com> ORCPT=rfc822;\tu@example.com\r\n");
        assertThat(afterEhlo(lines)).containsExactly("555 5.5.4 Unsupported option: X-?[2J?",
                "555 5.5.4 Unsupported option: " + longParam.substring(0, 64), "250 2.1.0 Ok",
                "555 5.5.4 Unsupported option: ORCPT=rfc822;?u@example.com");
    }

    @Test void aDeclaredSizeOverTheLimitIsRefusedBeforeTheHandlerSeesTheSender() {
        AtomicInteger senders = new AtomicInteger();
        TestHandler delegate = new TestHandler();
        MailHandler<String> counting = new MailHandler<>() {
            @Override public SmtpReply onMailFrom(SessionInfo s, MailFrom f) { senders.incrementAndGet(); return null; }
            @Override public RcptDecision<String> onRcptTo(SessionInfo s, MailFrom f, String r) { return delegate.onRcptTo(s, f, r); }
            @Override public SmtpReply onData(SessionInfo s, MailTransaction<String> t, byte[] c) { return delegate.onData(s, t, c); }
        };
        List<String> lines = transcript(config().withMaxMessageSize(5000), counting, "EHLO x\r\n", "MAIL FROM:<a@b.example> SIZE=5001\r\n",
                "MAIL FROM:<a@b.example> SIZE=5000\r\n");
        assertThat(afterEhlo(lines)).containsExactly("552 5.3.4 Message size exceeds fixed maximum message size", "250 2.1.0 Ok");
        assertThat(senders).hasValue(1);
    }

    @Test void rsetTakesNoArgumentClearsOnlyTheTransactionAndKeepsTheGreeting() {
        List<String> lines = transcript(ENVELOPE, "RSET everything\r\n", "RCPT TO:<second@example.com>\r\n", "RSET\r\n",
                "RCPT TO:<third@example.com>\r\n", "DATA\r\n", "MAIL FROM:<again@sender.example>\r\n", "QUIT\r\n");
        assertThat(afterEhlo(lines)).containsExactly("250 2.1.0 Ok", "250 2.1.5 Ok", "501 5.5.4 Syntax: RSET", "250 2.1.5 Ok",
                "250 2.0.0 Ok", "503 5.5.1 Error: need MAIL command", "503 5.5.1 Error: need MAIL command", "250 2.1.0 Ok", BYE);
    }

    @Test void quitInTheMiddleOfATransactionDeliversNothingAndIgnoresWhatFollows() {
        TestHandler h = new TestHandler();
        MemoryTransport t = new MemoryTransport(new ByteArrayInputStream(bytes(ENVELOPE, "QUIT\r\n", "DATA\r\nhi\r\n.\r\n")), null);
        run(new SmtpSession<>(config(), h, SmtpEvents.NONE, t), t);
        assertThat(afterEhlo(replies(t))).containsExactly("250 2.1.0 Ok", "250 2.1.5 Ok", BYE);
        assertThat(t.closed).isTrue();
        assertThat(h.messages).isEmpty();
    }

    @Test void aConnectionClosedInsideDataDeliversNothing() {
        TestHandler h = new TestHandler();
        assertThat(transcript(config(), h, ENVELOPE, "DATA\r\n", "Subject: cut\r\n\r\nthe client vanished here\r\n."))
                .endsWith("354 End data with <CR><LF>.<CR><LF>");
        assertThat(h.messages).isEmpty();
    }

    @Test void theLineLimitCountsTheCrlfAndIsConfigurable() {
        String at512 = "NOOP " + "y".repeat(505) + "\r\n";
        String at513 = "NOOP " + "y".repeat(506) + "\r\n";
        assertThat(at512).hasSize(512);
        assertThat(afterEhlo(transcript("EHLO x\r\n", at512, at513))).containsExactly("250 2.0.0 Ok", "500 5.5.2 Line too long");
        String at1000 = "NOOP " + "z".repeat(993) + "\r\n";
        SmtpConfig wide = config().withMaxLineLength(1000);
        assertThat(afterEhlo(transcript(wide, new TestHandler(), "EHLO x\r\n", at513, at1000, "NOOP " + "z".repeat(994) + "\r\n")))
                .containsExactly("250 2.0.0 Ok", "250 2.0.0 Ok", "500 5.5.2 Line too long");
    }

    @Test void overlongLinesCountTowardsTheHardErrorLimit() {
        String tooLong = "MAIL FROM:<" + "a".repeat(600) + "@b.example>\r\n";
        assertThat(afterEhlo(transcript(config().withErrorLimits(2, 100), new TestHandler(), "EHLO x\r\n", tooLong, tooLong, "NOOP\r\n")))
                .containsExactly("500 5.5.2 Line too long", "500 5.5.2 Line too long", "421 4.7.0 " + HOST + " Error: too many errors");
    }

    @Test void headerLinesAndHttpRequestsInCommandStateEndTheSession() {
        for (String content : new String[] {"From: boss@example.com", "Bcc: victim@example.com", "X-Mailer: mass", "CONNECT mx:25 HTTP/1.1",
                "POST /adminapi HTTP/1.1"}) {
            assertThat(afterEhlo(transcript("EHLO x\r\n", content + "\r\n", "NOOP\r\n")))
                    .as(content).containsExactly("221 2.7.0 Error: I can break rules, too. Goodbye.");
        }
    }

    @Test void unknownCommandsThatAreNotHeaderLinesGet500AndTheSessionGoesOn() {
        String nonAsciiName = "\u00c3\u00a9t\u00c3\u00a9: x";
        assertThat(afterEhlo(transcript("EHLO x\r\n", "X HEADER: y\r\n", nonAsciiName + "\r\n", ": empty name\r\n", "NOOP\r\n")))
                .containsExactly("500 5.5.2 Error: command not recognized", "500 5.5.2 Error: command not recognized",
                        "500 5.5.2 Error: command not recognized", "250 2.0.0 Ok");
    }

    @Test void extensionsGatehouseDoesNotOfferAre502InAnyCase() {
        assertThat(afterEhlo(transcript("EHLO x\r\n", "ETRN example.com\r\n", "turn\r\n", "ATRN example.com\r\n", "Burl imap://x\r\n",
                "auth login\r\n"))).containsOnly("502 5.5.1 Error: command not implemented").hasSize(5);
    }

    @Test void aDeliveredMessageResetsTheJunkCommandCountButARefusedOneDoesNot() {
        SmtpConfig strict = config().withErrorLimits(20, 2).withMaxMessageSize(100);
        String delivered = "MAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.com>\r\nDATA\r\nhi\r\n.\r\n";
        assertThat(afterEhlo(transcript(strict, new TestHandler(), "EHLO x\r\nNOOP\r\nNOOP\r\n", delivered, "NOOP\r\nNOOP\r\nQUIT\r\n")))
                .containsExactly("250 2.0.0 Ok", "250 2.0.0 Ok", "250 2.1.0 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>",
                        "250 2.0.0 Ok: queued as 1", "250 2.0.0 Ok", "250 2.0.0 Ok", BYE);
        String refused = "MAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.com>\r\nDATA\r\n" + "x".repeat(200) + "\r\n.\r\n";
        assertThat(afterEhlo(transcript(strict, new TestHandler(), "EHLO x\r\nNOOP\r\nNOOP\r\n", refused, "NOOP\r\nQUIT\r\n")))
                .endsWith("552 5.3.4 Message size exceeds fixed maximum message size", "421 4.7.0 " + HOST + " Error: too many errors");
    }

    @Test void handlerAnswersReachTheClientAndMissingAnswersBecome451() {
        List<SessionInfo> seen = new CopyOnWriteArrayList<>();
        MailHandler<String> handler = new MailHandler<>() {
            @Override public SmtpReply onMailFrom(SessionInfo s, MailFrom f) {
                seen.add(s);
                return SmtpReply.of(250, "2.1.0", "Sender <" + f.address() + "> looks fine");
            }
            @Override public RcptDecision<String> onRcptTo(SessionInfo s, MailFrom f, String r) {
                if (r.startsWith("null-reply")) return new RcptDecision.Reject<>(null, "test");
                if (r.startsWith("no-decision")) return null;
                return new RcptDecision.Accept<>("route");
            }
            @Override public SmtpReply onData(SessionInfo s, MailTransaction<String> t, byte[] c) {
                if (new String(c, StandardCharsets.ISO_8859_1).contains("boom")) throw new IllegalStateException("test");
                return null;
            }
        };
        String internal = "451 4.3.0 Error: internal error, try again later";
        List<String> lines = transcript(config(), handler, "EHLO client.example\r\nMAIL FROM:<a@b.example>\r\n",
                "RCPT TO:<null-reply@example.com>\r\nRCPT TO:<no-decision@example.com>\r\nRCPT TO:<u@example.com>\r\n",
                "DATA\r\nquiet\r\n.\r\n", "MAIL FROM:<c@d.example>\r\nRCPT TO:<u@example.com>\r\nDATA\r\nboom\r\n.\r\n",
                "RCPT TO:<u@example.com>\r\n");
        assertThat(afterEhlo(lines)).containsExactly("250 2.1.0 Sender <a@b.example> looks fine", internal, internal, "250 2.1.5 Ok",
                "354 End data with <CR><LF>.<CR><LF>", internal, "250 2.1.0 Sender <c@d.example> looks fine", "250 2.1.5 Ok",
                "354 End data with <CR><LF>.<CR><LF>", internal, "503 5.5.1 Error: need MAIL command");
        SessionInfo info = seen.getFirst();
        assertThat(info.clientIp().getHostAddress()).isEqualTo("192.0.2.1");
        assertThat(info.helo()).isEqualTo("client.example");
        assertThat(info.esmtp()).isTrue();
        assertThat(info.isTls()).isFalse();
    }

    @Test void everyRefusalIsReportedAsAnEventButNoSuccess() {
        List<String> rejected = new CopyOnWriteArrayList<>();
        SmtpEvents events = new SmtpEvents() {
            @Override public void commandRejected(SmtpReply reply) { rejected.add(reply.toString()); }
        };
        MemoryTransport t = new MemoryTransport(new ByteArrayInputStream(bytes("EHLO x\r\nFOO\r\nMAIL FROM:<a@b.example>\r\n",
                "RCPT TO:<u@example.com>\r\nRCPT TO:<v@example.com>\r\nRCPT TO:<r@other.example>\r\nQUIT\r\n")), null);
        run(new SmtpSession<>(config().withMaxRecipients(1), new TestHandler(), events, t), t);
        assertThat(rejected).containsExactly("500 5.5.2 Error: command not recognized", "452 4.5.3 Too many recipients",
                "452 4.5.3 Too many recipients");
    }

    @Test void aShutdownRequestedDuringATransactionLetsItFinishThenSays421() {
        AtomicReference<SmtpSession<String>> session = new AtomicReference<>();
        TestHandler delegate = new TestHandler();
        MailHandler<String> stopping = new MailHandler<>() {
            @Override public SmtpReply onMailFrom(SessionInfo s, MailFrom f) { session.get().requestShutdown(); return null; }
            @Override public RcptDecision<String> onRcptTo(SessionInfo s, MailFrom f, String r) { return delegate.onRcptTo(s, f, r); }
            @Override public SmtpReply onData(SessionInfo s, MailTransaction<String> t, byte[] c) { return delegate.onData(s, t, c); }
        };
        MemoryTransport t = new MemoryTransport(new ByteArrayInputStream(bytes(ENVELOPE, "DATA\r\nfinish me\r\n.\r\n", "NOOP\r\nQUIT\r\n")), null);
        session.set(new SmtpSession<>(config(), stopping, SmtpEvents.NONE, t));
        run(session.get(), t);
        assertThat(afterEhlo(replies(t))).containsExactly("250 2.1.0 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>",
                "250 2.0.0 Ok: queued as 1", "421 4.3.2 " + HOST + " Service shutting down, try again later");
        assertThat(delegate.messages).hasSize(1);
    }

    @Test void aSessionAskedToShutDownBeforeItsFirstCommandGreetsAndSays421() {
        MemoryTransport t = new MemoryTransport(new ByteArrayInputStream(bytes("EHLO x\r\n")), null);
        SmtpSession<String> s = new SmtpSession<>(config(), new TestHandler(), SmtpEvents.NONE, t);
        s.requestShutdown();
        run(s, t);
        assertThat(replies(t)).containsExactly(GREETING, "421 " + HOST + " Service shutting down, try again later");
    }

    @Test void bdatBeforeHeloIsRefusedAndItsChunkIsSkippedNotRun() {
        String chunk = "MAIL FROM:<a@b.example>\r\n";
        assertThat(transcript("BDAT " + chunk.length() + "\r\n", chunk, "NOOP\r\n"))
                .containsExactly(GREETING, "503 Error: send HELO/EHLO first", "250 Ok");
    }
}
