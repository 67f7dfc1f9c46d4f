// A refusal: the reply the client gets and why, so logs, metrics and the refusal log never guess.
package dev.gatehouse.pipeline;

import dev.gatehouse.smtp.SmtpReply;

/**
 * @param reply    the SMTP reply (4xx or 5xx)
 * @param reason   why, as a closed set
 * @param recorded the message is kept in message trace as Failed before the reply (a rule rejected every
 *                 recipient: Exchange records that; RCPT-time refusals go to the refusal log instead)
 */
public record Refusal(SmtpReply reply, RefusalReason reason, boolean recorded) {
    public Refusal(SmtpReply reply, RefusalReason reason) { this(reply, reason, false); }
}
