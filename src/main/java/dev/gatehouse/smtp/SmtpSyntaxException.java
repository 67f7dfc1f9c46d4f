// SmtpSyntaxException: a parse failure carrying the exact SMTP reply to send; cheap, no stack trace.
package dev.gatehouse.smtp;

/** Thrown by {@link CommandParser} and {@link AddressParser} when input is malformed; {@link #reply()} says why. */
final class SmtpSyntaxException extends Exception {
    private final transient SmtpReply reply;

    SmtpSyntaxException(SmtpReply reply) {
        super(reply.toString(), null, false, false);
        this.reply = reply;
    }

    SmtpSyntaxException(int code, String enhanced, String text) { this(SmtpReply.of(code, enhanced, text)); }

    SmtpReply reply() { return reply; }
}
