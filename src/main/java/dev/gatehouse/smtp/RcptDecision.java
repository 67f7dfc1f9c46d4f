package dev.gatehouse.smtp;

/**
 * The handler's answer to one RCPT TO. {@link Accept} carries the handler's route for the recipient (for
 * Gatehouse: the tenant, mailbox and attribution it resolved to), which the session keeps with the
 * recipient and hands back, typed, in the {@link MailTransaction}; the session itself never looks inside
 * it. {@link Reject} carries the reply and a short stable reason for logs and metrics.
 *
 * @param <R> the handler's route type
 */
public sealed interface RcptDecision<R> {
    record Accept<R>(R route) implements RcptDecision<R> {}

    /** @param reason a short stable label, e.g. {@code relay_denied} */
    record Reject<R>(SmtpReply reply, String reason) implements RcptDecision<R> {}
}
