package dev.gatehouse.smtp;

/**
 * The handler's answer to one RCPT TO. {@link Accept} carries an opaque route (for Gatehouse: the
 * tenant and mailbox the recipient resolved to) that the session keeps with the recipient and hands
 * back in the {@link MailTransaction}; the session itself never looks inside it.
 */
public sealed interface RcptDecision {
    record Accept(Object route) implements RcptDecision {}
    record Reject(SmtpReply reply) implements RcptDecision {}
}
