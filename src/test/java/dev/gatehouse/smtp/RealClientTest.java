// RealClientTest: interoperability with a real SMTP client (Angus Mail) over STARTTLS, with DATA and with CHUNKING.
package dev.gatehouse.smtp;

import static dev.gatehouse.smtp.Transcripts.config;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RealClientTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 64})
    void angusMailDeliversOverStartTls(int chunkSize, @TempDir Path dir) throws Exception {
        TestHandler h = new TestHandler();
        try (SmtpServer server = new SmtpServer(config().withSslContext(TestTls.server(dir)).withShutdownGrace(Duration.ofSeconds(1)), h)
                .start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Properties p = new Properties();
            p.put("mail.smtp.host", InetAddress.getLoopbackAddress().getHostAddress());
            p.put("mail.smtp.port", String.valueOf(server.port()));
            p.put("mail.smtp.localhost", "client.example");
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
            p.put("mail.smtp.ssl.trust", "*");
            p.put("mail.smtp.ssl.checkserveridentity", "false");
            p.put("mail.smtp.timeout", "5000");
            if (chunkSize > 0) p.put("mail.smtp.chunksize", String.valueOf(chunkSize));
            MimeMessage m = new MimeMessage(Session.getInstance(p));
            m.setFrom(new InternetAddress("sender@sender.example"));
            m.setRecipient(Message.RecipientType.TO, new InternetAddress("user@example.com"));
            m.setSubject("hello");
            m.setText("line one\n.line starting with a dot\nlast line\n");
            Transport.send(m);
        }
        assertThat(h.messages).hasSize(1);
        TestHandler.Delivered d = h.messages.getFirst();
        assertThat(d.session().tls()).isNotNull();
        assertThat(d.transaction().from().address()).isEqualTo("sender@sender.example");
        // Angus Mail 2.0.5 dot-stuffs BDAT chunks too (a client quirk); RFC 3030 octets are kept exactly as sent.
        String dotLine = chunkSize > 0 ? "\r\n..line starting with a dot\r\n" : "\r\n.line starting with a dot\r\n";
        assertThat(d.text()).contains("Subject: hello\r\n", dotLine).endsWith("last line\r\n");
    }
}
