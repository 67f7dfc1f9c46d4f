// TestHandler: a MailHandler for tests that accepts recipients in example.com, refuses others, records messages.
package dev.gatehouse.smtp;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/** Thread-safe; {@link #messages} holds every transaction and content the session delivered. */
final class TestHandler implements MailHandler<String> {
    record Delivered(MailTransaction<String> transaction, byte[] content, SessionInfo session) {
        String text() { return new String(content, java.nio.charset.StandardCharsets.ISO_8859_1); }
    }

    final List<Delivered> messages = new CopyOnWriteArrayList<>();
    final List<String> recipientsSeen = new CopyOnWriteArrayList<>();

    @Override public RcptDecision<String> onRcptTo(SessionInfo session, MailFrom from, String recipient) {
        recipientsSeen.add(recipient);
        if (AddressParser.domainOf(recipient).toLowerCase(Locale.ROOT).equals("example.com")) {
            return new RcptDecision.Accept<>("route:" + recipient);
        }
        return new RcptDecision.Reject<>(SmtpReply.of(554, "5.7.1", "<" + recipient + ">: Relay access denied"), "relay");
    }

    @Override public SmtpReply onData(SessionInfo session, MailTransaction<String> transaction, byte[] content) {
        messages.add(new Delivered(transaction, content, session));
        return SmtpReply.of(250, "2.0.0", "Ok: queued as " + messages.size());
    }
}
