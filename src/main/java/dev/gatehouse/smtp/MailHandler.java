package dev.gatehouse.smtp;

/**
 * The seam between the SMTP protocol engine and the rest of the gateway. The session calls it at each
 * decision point; it never sees sockets or bytes of protocol, only parsed values.
 *
 * @param <R> the route the handler gives each accepted recipient at RCPT TO and gets back at end of data
 *
 * <p>Thread-safety: one handler instance serves every session concurrently (each session runs on its
 * own virtual thread), so implementations must be thread-safe. Calls may block: {@link #onData} blocks
 * until the message is durably committed.
 */
public interface MailHandler<R> {

    /** Called after the TCP connection is accepted, before the greeting. Null lets the session greet. */
    default SmtpReply onConnect(SessionInfo session) { return null; }

    /** Called for a syntactically valid MAIL FROM. Null accepts ({@code 250 2.1.0}); a reply refuses. */
    default SmtpReply onMailFrom(SessionInfo session, MailFrom from) { return null; }

    /** Called for each syntactically valid RCPT TO within the recipient limit. */
    RcptDecision<R> onRcptTo(SessionInfo session, MailFrom from, String recipient);

    /**
     * Called at end of data (DATA's {@code CRLF.CRLF} or BDAT LAST) with the complete content: every
     * line ends in CRLF, dot-stuffing is undone, no bare CR or LF is present. Returns the final reply; a
     * 250 must only be returned once the message is durable (fsynced).
     */
    SmtpReply onData(SessionInfo session, MailTransaction<R> transaction, byte[] content);
}
