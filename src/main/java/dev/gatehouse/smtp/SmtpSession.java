// SmtpSession: the SMTP server state machine for one connection, from greeting to QUIT, over any SmtpTransport.
package dev.gatehouse.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one SMTP conversation (RFC 5321 with PIPELINING, SIZE, 8BITMIME, SMTPUTF8, ENHANCEDSTATUSCODES,
 * CHUNKING and STARTTLS) on the calling thread and returns when it is over. It never throws: I/O errors,
 * timeouts and handler failures end or answer the session.
 *
 * <p>Replies are collected in a small buffer and written when the session is about to block for input,
 * so a pipelined group gets its replies in one write and no buffered input is ever dropped. The only
 * exception is STARTTLS, where input buffered after the command is discarded on purpose (CVE-2011-0411).
 *
 * <p>Choices: a lone {@code .}, a header-looking line ({@code Subject: x}) or CONNECT/GET/POST in command
 * state is answered {@code 221 2.7.0 Error: I can break rules, too. Goodbye.} and the session closed, as
 * Postfix does (content sent after a refused DATA, or a cross-protocol attack). A malformed BDAT size
 * gets 501 and the session is closed, since the chunk length that follows is unknowable. A PROXY protocol header
 * in command state (a line starting {@code PROXY }, or the v2 signature as the first input) gets {@code 554 5.7.0}
 * and the session closed: a trusted balancer's header was consumed before the session began, so this one comes
 * from a peer that is not trusted, or is a second one.
 */
final class SmtpSession<R> implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);

    private enum Body { NONE, DATA, BDAT }

    private static final byte[] V2_SIGNATURE = ProxyHeader.v2Signature();

    private final SmtpConfig config;
    private final MailHandler<R> handler;
    private final SmtpEvents events;
    private final SmtpTransport transport;
    private final String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    private SmtpInput in;

    private String helo;
    private boolean esmtp;
    private TlsInfo tls;
    private MailFrom from;
    private List<MailTransaction.AcceptedRecipient<R>> recipients;
    private Body body = Body.NONE;
    private BdatReader chunks;
    private int errors;
    /** When the current transaction's BDAT content must be complete ({@link System#nanoTime()}). */
    private long transferDeadline;
    private int junk;
    private boolean closing;
    private boolean firstCommand = true;
    private volatile boolean idle;
    private volatile boolean shutdownRequested;
    private volatile long writeStartedNanos;

    SmtpSession(SmtpConfig config, MailHandler<R> handler, SmtpEvents events, SmtpTransport transport) {
        this.config = config;
        this.handler = handler;
        this.events = events;
        this.transport = transport;
    }

    String id() { return id; }

    /** Asks the session to end after its current transaction (it then says 421 4.3.2). */
    void requestShutdown() { shutdownRequested = true; }

    /** Closes the connection if the session is waiting for a command outside a transaction. */
    void closeIfIdle() {
        if (idle) transport.close();
    }

    /** Cuts a read still waiting past its deadline (the server's watchdog calls this every tick). */
    void expireRead(long nowNanos) { transport.expireRead(nowNanos); }

    /** Closes the connection now, whatever the session is doing (end of the shutdown grace period). */
    void abort() { transport.close(); }

    @Override public void run() {
        try {
            in = new SmtpInput(transport, this::flush);
            log.debug("smtp connect session={} client={}", id, transport.remote());
            SmtpReply refusal = call(() -> handler.onConnect(info()),
                    SmtpReply.of(421, "4.3.0", config.hostname() + " Service temporarily unavailable"));
            if (refusal != null) {
                reply(refusal);
                return;
            }
            reply(Replies.greeting(config.hostname()));
            while (!closing) {
                if (errors >= config.hardErrorLimit()) { reply(Replies.tooManyErrors(config.hostname())); break; }
                if (in.buffered() == 0) flush();             // nothing pending once we may block
                idle = from == null && in.buffered() == 0;   // only then may a shutdown close us from outside
                if (shutdownRequested && from == null) { reply(Replies.shuttingDown(config.hostname())); break; }
                in.setDeadline(config.commandTimeout());
                if (firstCommand) {
                    firstCommand = false;
                    if (in.startsWith(V2_SIGNATURE)) { refuseProxyHeader("v2"); continue; }
                }
                SmtpInput.Line line = in.readLine(config.maxLineLength());
                idle = false;
                if (line == null) break;
                command(line);
            }
        } catch (SocketTimeoutException e) {
            log.info("smtp timeout session={} client={}", id, transport.remote());
            reply(Replies.timeout(config.hostname()));
        } catch (IOException e) {
            log.debug("smtp io-error session={} error={}", id, e.toString());
        } catch (RuntimeException e) {
            log.warn("smtp internal-error session={}", id, e);
        } finally {
            try { flush(); } catch (IOException | RuntimeException ignored) { /* peer is gone */ }
            transport.close();
            log.debug("smtp disconnect session={} errors={}", id, errors);
        }
    }

    private void command(SmtpInput.Line line) throws IOException {
        if (line.text().startsWith("PROXY ")) { refuseProxyHeader("v1"); return; }
        boolean reject = config.rejectBareLineEndings();
        switch (line.problem()) {
            case TOO_LONG -> { reply(Replies.LINE_TOO_LONG); return; }
            case STRAY_CR -> { reply(reject ? Replies.BARE_LINE_ENDING : Replies.NUL_IN_COMMAND); return; }
            case BARE_LF -> { if (reject) { reply(Replies.BARE_LINE_ENDING); return; } }
            case NUL -> { reply(Replies.NUL_IN_COMMAND); return; }
            case NONE -> { }
        }
        if (line.text().indexOf('\0') >= 0) { reply(Replies.NUL_IN_COMMAND); return; }
        CommandParser.Command c = CommandParser.split(line.text());
        String arg = c.argument();
        switch (c.verb()) {
            case "EHLO" -> helo(arg, true);
            case "HELO" -> helo(arg, false);
            case "MAIL" -> mail(arg);
            case "RCPT" -> rcpt(arg);
            case "DATA" -> data(arg);
            case "BDAT" -> bdat(arg);
            case "RSET" -> { if (!junk()) rset(arg); }
            case "NOOP" -> { if (!junk()) reply(Replies.OK); }
            case "VRFY" -> { if (!junk()) reply(Replies.VRFY); }
            case "EXPN" -> { if (!junk()) reply(Replies.EXPN); }
            case "HELP" -> { if (!junk()) reply(Replies.HELP); }
            case "QUIT" -> { reply(Replies.BYE); closing = true; }
            case "STARTTLS" -> startTls(arg);
            case "AUTH", "ETRN", "TURN", "ATRN", "BURL" -> reply(Replies.NOT_IMPLEMENTED);
            default -> {
                if (looksLikeContent(line.text(), c.verb())) {
                    log.info("smtp content-as-command session={} client={}", id, transport.remote());
                    reply(Replies.BREAK_RULES);
                    closing = true;
                } else {
                    reply(Replies.UNKNOWN);
                }
            }
        }
    }

    /**
     * A PROXY protocol header where none may be: from a peer not in the trusted list, or a second one from a balancer.
     * It never changes the client address; the session ends, as a client this confused can't be trusted with more.
     */
    private void refuseProxyHeader(String version) {
        log.info("smtp proxy-refused session={} client={} header={} reason={}", id, transport.remote(), version,
                transport.proxied() ? "repeated" : "peer-not-listed");
        // with its enhanced code even before EHLO, like the listener's 421s: it refuses the connection, not a command
        reply(transport.proxied() ? Replies.PROXY_AGAIN : Replies.PROXY_NOT_ACCEPTED, true, true);
        closing = true;
    }

    /** A lone dot, a header field ({@code Name: ...}) or an HTTP verb: message text or another protocol. */
    static boolean looksLikeContent(String line, String verb) {
        if (line.equals(".") || verb.equals("CONNECT") || verb.equals("GET") || verb.equals("POST")) return true;
        int colon = line.indexOf(':');
        if (colon <= 0) return false;
        for (int i = 0; i < colon; i++) {
            char ch = line.charAt(i);
            if (ch <= ' ' || ch >= 127) return false;
        }
        return true;
    }

    private boolean junk() {
        if (++junk <= config.junkCommandLimit()) return false;
        reply(Replies.tooManyErrors(config.hostname()));
        closing = true;
        return true;
    }

    private void rset(String arg) {
        if (!arg.isEmpty()) { reply(Replies.syntax("RSET")); return; }
        resetTransaction();
        reply(Replies.OK);
    }

    private void helo(String arg, boolean extended) {
        if (arg.isEmpty()) { reply(Replies.syntax(extended ? "EHLO hostname" : "HELO hostname")); return; }
        resetTransaction();
        helo = arg;
        esmtp = extended;
        if (!extended) { reply(SmtpReply.of(250, null, config.hostname())); return; }
        List<String> lines = new ArrayList<>(List.of(config.hostname(), "PIPELINING", "SIZE " + config.maxMessageSize(),
                "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "CHUNKING"));
        if (config.sslContext() != null && tls == null) lines.add("STARTTLS");
        reply(new SmtpReply(250, null, lines));
    }

    private void mail(String arg) {
        if (helo == null) { reply(Replies.NEED_HELO); return; }
        if (from != null) { reply(Replies.NESTED_MAIL); return; }
        MailFrom m;
        try {
            m = CommandParser.mailFrom(arg);
        } catch (SmtpSyntaxException e) {
            reply(e.reply());
            return;
        }
        if (m.declaredSize() > config.maxMessageSize()) { reply(Replies.TOO_BIG); return; }
        SmtpReply verdict = call(() -> handler.onMailFrom(info(), m), Replies.INTERNAL);
        if (verdict != null && !verdict.isPositive()) { reply(verdict); return; }
        from = m;
        recipients = new ArrayList<>();
        body = Body.NONE;
        reply(verdict != null ? verdict : Replies.MAIL_OK);
    }

    private void rcpt(String arg) {
        if (from == null) { reply(Replies.NEED_MAIL); return; }
        if (body == Body.BDAT) { reply(Replies.RCPT_AFTER_BDAT); return; }
        String address;
        try {
            address = CommandParser.rcptTo(arg, from.smtpUtf8());
        } catch (SmtpSyntaxException e) {
            reply(e.reply());
            return;
        }
        // not an error: a pipelining sender's first maxRecipients are taken and it retries the rest later (as Postfix)
        if (recipients.size() >= config.maxRecipients()) { reply(Replies.TOO_MANY_RCPT, false); return; }
        MailFrom sender = from;
        RcptDecision<R> decision = call(() -> handler.onRcptTo(info(), sender, address), new RcptDecision.Reject<>(Replies.INTERNAL, "internal_error"));
        switch (decision) {
            case RcptDecision.Accept<R> a -> {
                recipients.add(new MailTransaction.AcceptedRecipient<>(address, a.route()));
                reply(Replies.RCPT_OK);
            }
            case RcptDecision.Reject<R> r -> reply(r.reply() != null ? r.reply() : Replies.INTERNAL);
            case null -> reply(Replies.INTERNAL);
        }
    }

    private void data(String arg) throws IOException {
        if (!arg.isEmpty()) { reply(Replies.syntax("DATA")); return; }
        if (from == null) { reply(helo == null ? Replies.NEED_HELO : Replies.NEED_MAIL); return; }
        if (body == Body.BDAT) { reply(Replies.DATA_AFTER_BDAT); return; }
        body = Body.DATA;
        if (recipients.isEmpty()) { reply(Replies.NO_VALID_RCPT); return; }
        reply(Replies.START_DATA);
        in.setDeadline(config.dataTimeout(), config.commandTimeout());
        MessageBuffer content = new MessageBuffer(config.maxMessageSize(), config.rejectBareLineEndings());
        DataReader.read(in, content);
        endOfData(content);
    }

    private void bdat(String arg) throws IOException {
        CommandParser.Bdat b;
        try {
            b = CommandParser.bdat(arg);
        } catch (SmtpSyntaxException e) {
            reply(e.reply());
            closing = true;     // the chunk that follows has an unknown length: it cannot be skipped
            return;
        }
        // one deadline for the transaction's whole content, set at its first chunk: a client can't stretch the
        // transfer by sending many slow chunks (a refused chunk is skipped against its own deadline)
        if (chunks == null) transferDeadline = System.nanoTime() + config.dataTimeout().toNanos();
        in.setDeadlineAt(transferDeadline, config.commandTimeout());
        SmtpReply refusal = helo == null ? Replies.NEED_HELO : from == null ? Replies.NEED_MAIL
                : body == Body.DATA ? Replies.BDAT_AFTER_DATA : recipients.isEmpty() ? Replies.NO_VALID_RCPT : null;
        if (refusal != null) {
            in.skip(b.size());
            reply(refusal);
            return;
        }
        body = Body.BDAT;
        if (chunks == null) chunks = new BdatReader(new MessageBuffer(config.maxMessageSize(), config.rejectBareLineEndings()));
        chunks.readChunk(in, b.size());
        if (b.last()) endOfData(chunks.finish());
        else reply(Replies.chunkReceived(b.size()));
    }

    private void endOfData(MessageBuffer content) {
        SmtpReply result = content.refusal();
        if (result == null) {
            MailTransaction<R> txn = new MailTransaction<>(from, recipients);
            byte[] bytes = content.toByteArray();
            result = call(() -> handler.onData(info(), txn, bytes), Replies.INTERNAL);
            if (result == null) result = Replies.INTERNAL;
            if (result.isPositive()) junk = 0;
        }
        log.debug("smtp message session={} client={} from=<{}> rcpts={} octets={} reply=\"{}\"",
                id, transport.remote(), from.address(), recipients.size(), content.total(), result);
        reply(result);
        resetTransaction();
    }

    private void startTls(String arg) throws IOException {
        if (config.sslContext() == null) { reply(Replies.NOT_IMPLEMENTED); return; }
        if (tls != null) { reply(Replies.TLS_ACTIVE); return; }
        if (!arg.isEmpty()) { reply(Replies.syntax("STARTTLS")); return; }
        if (!esmtp) { reply(Replies.NEED_EHLO); return; }
        if (from != null) { reply(Replies.TLS_IN_TRANSACTION); return; }
        reply(Replies.READY_TLS);
        flush();
        int dropped = in.discardBuffered();
        if (dropped > 0) log.warn("smtp starttls-injection session={} client={} discarded={}", id, transport.remote(), dropped);
        transport.setReadTimeout((int) Math.max(1, config.commandTimeout().toMillis()));
        try {
            tls = transport.startTls();
        } catch (IOException e) {
            log.info("smtp tls-failed session={} client={} error={}", id, transport.remote(), e.toString());
            closing = true;
            out.reset();
            return;
        }
        in.reattach();
        helo = null;
        esmtp = false;
        resetTransaction();
        log.debug("smtp tls session={} protocol={} cipher={} client-certs={}", id, tls.protocol(), tls.cipherSuite(),
                tls.peerCertificates().size());
    }

    private void resetTransaction() {
        from = null;
        recipients = null;
        body = Body.NONE;
        chunks = null;
    }

    private SessionInfo info() {
        return new SessionInfo(id, transport.remote().getAddress(), transport.remote().getPort(), transport.localPort(),
                helo, esmtp, tls);
    }

    /** Runs a handler call; a handler that throws gets the client a 451 (via {@code failure}), never a dead session. */
    private <T> T call(java.util.function.Supplier<T> call, T failure) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            log.error("smtp handler-error session={}", id, e);
            return failure;
        }
    }

    private void reply(SmtpReply r) { reply(r, true); }

    /** @param countsAsError a 4xx/5xx the client's error count includes (every one but the recipient limit's) */
    private void reply(SmtpReply r, boolean countsAsError) { reply(r, countsAsError, esmtp); }

    /** @param enhanced with the enhanced status code (after EHLO, or for a refusal of the connection itself) */
    private void reply(SmtpReply r, boolean countsAsError, boolean enhanced) {
        if (r.code() >= 400) {
            if (countsAsError) errors++;
            events.commandRejected(r);
            log.debug("smtp reject session={} reply=\"{}\"", id, r);
        }
        out.writeBytes(r.render(enhanced).getBytes(StandardCharsets.UTF_8));
    }

    private void flush() throws IOException {
        if (out.size() == 0) return;
        writeStartedNanos = System.nanoTime() | 1;   // never 0 while writing
        try {
            transport.out().write(out.toByteArray());
            transport.out().flush();
        } finally {
            writeStartedNanos = 0;
        }
        out.reset();
    }

    /**
     * True when a reply write has been blocked longer than {@code limit}: the client stopped reading.
     * Socket writes have no timeout, so {@link SmtpServer}'s watchdog uses this to {@link #abort()}.
     */
    boolean writeStalled(java.time.Duration limit) {
        long started = writeStartedNanos;
        return started != 0 && System.nanoTime() - started > limit.toNanos();
    }
}
