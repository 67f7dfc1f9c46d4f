// RealClientTest: interoperability with a real SMTP client (Angus Mail): STARTTLS with DATA and with CHUNKING, and the
// refusals (552 size, 554 relay) and SMTPUTF8 addresses as that client sees them.
package dev.gatehouse.smtp;

import static dev.gatehouse.smtp.Transcripts.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RealClientTest {

    static SmtpServer<String> start(SmtpConfig config, TestHandler h) throws Exception {
        return new SmtpServer<>(config.withShutdownGrace(Duration.ofSeconds(1)), h)
                .start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** Angus Mail session properties for the server on {@code port}; STARTTLS required when {@code tls}. */
    static Properties client(int port, boolean tls) {
        Properties p = new Properties();
        p.put("mail.smtp.host", InetAddress.getLoopbackAddress().getHostAddress());
        p.put("mail.smtp.port", String.valueOf(port));
        p.put("mail.smtp.localhost", "client.example");
        p.put("mail.smtp.timeout", "5000");
        if (tls) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
            p.put("mail.smtp.ssl.trust", "*");
            p.put("mail.smtp.ssl.checkserveridentity", "false");
        }
        return p;
    }

    /** An address as given, without Angus Mail's own syntax checks (they would refuse non-ASCII). */
    static InternetAddress address(String text) {
        InternetAddress a = new InternetAddress();
        a.setAddress(text);
        return a;
    }

    static MimeMessage message(Properties p, String from, String text, String... to) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(p));
        m.setFrom(address(from));
        Address[] rcpts = new Address[to.length];
        for (int i = 0; i < to.length; i++) rcpts[i] = address(to[i]);
        m.setRecipients(Message.RecipientType.TO, rcpts);
        m.setSubject("hello");
        m.setText(text);
        return m;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 64})
    void angusMailDeliversOverStartTls(int chunkSize, @TempDir Path dir) throws Exception {
        TestHandler h = new TestHandler();
        try (SmtpServer<String> server = start(config().withSslContext(TestTls.server(dir)), h)) {
            Properties p = client(server.port(), true);
            if (chunkSize > 0) p.put("mail.smtp.chunksize", String.valueOf(chunkSize));
            Transport.send(message(p, "sender@sender.example", "line one\n.line starting with a dot\nlast line\n", "user@example.com"));
        }
        assertThat(h.messages).hasSize(1);
        TestHandler.Delivered d = h.messages.getFirst();
        assertThat(d.session().tls()).isNotNull();
        assertThat(d.transaction().from().address()).isEqualTo("sender@sender.example");
        // Angus Mail 2.0.5 dot-stuffs BDAT chunks too (a client quirk); RFC 3030 octets are kept exactly as sent.
        String dotLine = chunkSize > 0 ? "\r\n..line starting with a dot\r\n" : "\r\n.line starting with a dot\r\n";
        assertThat(d.text()).contains("Subject: hello\r\n", dotLine).endsWith("last line\r\n");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1024})
    void aMessageOverTheSizeLimitIsRefusedWith552AndNothingIsDelivered(int chunkSize) throws Exception {
        TestHandler h = new TestHandler();
        try (SmtpServer<String> server = start(config().withMaxMessageSize(4096), h)) {
            Properties p = client(server.port(), false);
            if (chunkSize > 0) p.put("mail.smtp.chunksize", String.valueOf(chunkSize));
            MimeMessage big = message(p, "sender@sender.example", "0123456789abcdef\n".repeat(1000), "user@example.com");
            // Angus Mail reports a refused DATA as SMTPSendFailedException, a refused BDAT LAST as a nested IOException
            assertThatThrownBy(() -> Transport.send(big)).isInstanceOf(MessagingException.class)
                    .hasStackTraceContaining("552 5.3.4 Message size exceeds fixed maximum message size");
            // the same connection limits let a small message through afterwards
            Transport.send(message(p, "sender@sender.example", "small\n", "user@example.com"));
        }
        assertThat(h.messages).hasSize(1);
        assertThat(h.messages.getFirst().text()).endsWith("small\r\n");
    }

    @Test void aRelayRefusalReachesTheClientAsAnInvalidAddressWithTheServersReply() throws Exception {
        TestHandler h = new TestHandler();
        try (SmtpServer<String> server = start(config(), h)) {
            Properties p = client(server.port(), false);
            MimeMessage m = message(p, "sender@sender.example", "hi\n", "relaytest@external.example");
            assertThatThrownBy(() -> Transport.send(m)).isInstanceOfSatisfying(SendFailedException.class, e -> {
                assertThat(e.getInvalidAddresses()).extracting(Address::toString).containsExactly("relaytest@external.example");
                assertThat(e.getNextException()).isInstanceOfSatisfying(SMTPAddressFailedException.class, f -> {
                    assertThat(f.getReturnCode()).isEqualTo(554);
                    assertThat(f.getMessage()).contains("5.7.1 <relaytest@external.example>: Relay access denied");
                });
            });
            // with sendpartial the accepted recipient still gets the message
            p.put("mail.smtp.sendpartial", "true");
            MimeMessage partial = message(p, "sender@sender.example", "hi\n", "relaytest@external.example", "user@example.com");
            assertThatThrownBy(() -> Transport.send(partial)).isInstanceOfSatisfying(SendFailedException.class,
                    e -> assertThat(e.getValidSentAddresses()).extracting(Address::toString).containsExactly("user@example.com"));
        }
        assertThat(h.messages).singleElement().satisfies(d ->
                assertThat(d.transaction().recipients()).extracting(MailTransaction.AcceptedRecipient::address).containsExactly("user@example.com"));
    }

    @Test void internationalAddressesTravelWithSmtpUtf8AndArriveDecoded() throws Exception {
        TestHandler h = new TestHandler();
        try (SmtpServer<String> server = start(config(), h)) {
            Properties p = client(server.port(), false);
            p.put("mail.mime.allowutf8", "true");
            Transport.send(message(p, "jörg@bücher.example", "grüße\n", "δοκιμή@example.com"));
        }
        MailFrom from = h.messages.getFirst().transaction().from();
        assertThat(from.smtpUtf8()).isTrue();
        assertThat(from.address()).isEqualTo("jörg@bücher.example");
        assertThat(from.domain()).isEqualTo("bücher.example");
        assertThat(h.recipientsSeen).containsExactly("δοκιμή@example.com");
    }
}
