// Replies: the fixed SMTP reply texts of the Gatehouse session, in one place (Postfix wording where it has one).
package dev.gatehouse.smtp;

/** Reply constants and small factories; the session never builds reply text inline. */
final class Replies {
    private Replies() {}

    static final SmtpReply OK = SmtpReply.of(250, "2.0.0", "Ok");
    static final SmtpReply MAIL_OK = SmtpReply.of(250, "2.1.0", "Ok");
    static final SmtpReply RCPT_OK = SmtpReply.of(250, "2.1.5", "Ok");
    static final SmtpReply START_DATA = SmtpReply.of(354, null, "End data with <CR><LF>.<CR><LF>");
    static final SmtpReply BYE = SmtpReply.of(221, "2.0.0", "Bye");
    static final SmtpReply VRFY = SmtpReply.of(252, "2.0.0", "Cannot VRFY user, but will accept message and attempt delivery");
    static final SmtpReply EXPN = SmtpReply.of(502, "5.5.1", "EXPN not available");
    static final SmtpReply HELP = SmtpReply.of(214, "2.0.0", "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY STARTTLS");
    static final SmtpReply UNKNOWN = SmtpReply.of(500, "5.5.2", "Error: command not recognized");
    static final SmtpReply NOT_IMPLEMENTED = SmtpReply.of(502, "5.5.1", "Error: command not implemented");
    static final SmtpReply LINE_TOO_LONG = SmtpReply.of(500, "5.5.2", "Line too long");
    static final SmtpReply BARE_LINE_ENDING = SmtpReply.of(550, "5.5.2", "Error: bare <CR> or <LF> received");
    static final SmtpReply NUL_IN_COMMAND = SmtpReply.of(501, "5.5.2", "Error: NUL or stray CR in command");
    static final SmtpReply NEED_HELO = SmtpReply.of(503, "5.5.1", "Error: send HELO/EHLO first");
    static final SmtpReply NEED_EHLO = SmtpReply.of(503, "5.5.1", "Error: send EHLO first");
    static final SmtpReply NESTED_MAIL = SmtpReply.of(503, "5.5.1", "Error: nested MAIL command");
    static final SmtpReply NEED_MAIL = SmtpReply.of(503, "5.5.1", "Error: need MAIL command");
    static final SmtpReply RCPT_AFTER_BDAT = SmtpReply.of(503, "5.5.1", "Error: RCPT after BDAT");
    static final SmtpReply NO_VALID_RCPT = SmtpReply.of(554, "5.5.1", "Error: no valid recipients");
    static final SmtpReply TOO_MANY_RCPT = SmtpReply.of(452, "4.5.3", "Too many recipients");
    static final SmtpReply TOO_BIG = SmtpReply.of(552, "5.3.4", "Message size exceeds fixed maximum message size");
    static final SmtpReply BREAK_RULES = SmtpReply.of(221, "2.7.0", "Error: I can break rules, too. Goodbye.");
    static final SmtpReply READY_TLS = SmtpReply.of(220, "2.0.0", "Ready to start TLS");
    static final SmtpReply TLS_ACTIVE = SmtpReply.of(554, "5.5.1", "Error: TLS already active");
    static final SmtpReply TLS_IN_TRANSACTION = SmtpReply.of(503, "5.5.1", "Error: MAIL transaction in progress");
    static final SmtpReply DATA_AFTER_BDAT = SmtpReply.of(503, "5.5.1", "Error: DATA not allowed after BDAT");
    static final SmtpReply BDAT_AFTER_DATA = SmtpReply.of(503, "5.5.1", "Error: BDAT not allowed after DATA");
    static final SmtpReply PROXY_NOT_ACCEPTED = SmtpReply.of(554, "5.7.0", "Error: PROXY protocol is not accepted from this address");
    static final SmtpReply PROXY_AGAIN = SmtpReply.of(554, "5.7.0", "Error: PROXY protocol header already received on this connection");
    static final SmtpReply INTERNAL = SmtpReply.of(451, "4.3.0", "Error: internal error, try again later");

    static SmtpReply syntax(String usage) { return SmtpReply.of(501, "5.5.4", "Syntax: " + usage); }

    static SmtpReply greeting(String host) { return SmtpReply.of(220, null, host + " ESMTP Gatehouse"); }

    static SmtpReply tooManyErrors(String host) { return SmtpReply.of(421, "4.7.0", host + " Error: too many errors"); }

    static SmtpReply timeout(String host) { return SmtpReply.of(421, "4.4.2", host + " Error: timeout exceeded"); }

    static SmtpReply shuttingDown(String host) { return SmtpReply.of(421, "4.3.2", host + " Service shutting down, try again later"); }

    static SmtpReply tooManyConnectionsFrom(String host, String ip) {
        return SmtpReply.of(421, "4.7.0", host + " Error: too many connections from " + ip);
    }

    static SmtpReply tooManyConnections(String host) { return SmtpReply.of(421, "4.7.0", host + " Error: too many connections"); }

    static SmtpReply chunkReceived(long n) { return SmtpReply.of(250, "2.0.0", n + " octets received"); }
}
