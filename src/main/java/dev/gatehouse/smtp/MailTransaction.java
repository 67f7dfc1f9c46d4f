package dev.gatehouse.smtp;

import java.util.List;

/** One mail transaction as it stands at end of data: the sender and the recipients that were accepted. */
public record MailTransaction<R>(MailFrom from, List<AcceptedRecipient<R>> recipients) {
    public MailTransaction { recipients = List.copyOf(recipients); }

    /** @param address the forward-path as given (without brackets), @param route the handler's route */
    public record AcceptedRecipient<R>(String address, R route) {}
}
