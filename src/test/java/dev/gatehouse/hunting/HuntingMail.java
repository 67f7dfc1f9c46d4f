// Test fixture: the mail the hunting tests send over SMTP, and how they wait for the feed to show it.
package dev.gatehouse.hunting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.queue.EventFeed;
import dev.gatehouse.server.Gateway;

final class HuntingMail {
    private HuntingMail() {}

    /** The PDF the report mail carries: 3,000 seeded random bytes, base64 on the wire. */
    static final byte[] PDF = bytes(3000);
    static final String PDF_SHA256 = sha256(PDF);

    static final String URL_TEXT = "https://portal.contoso-files.example/report?id=7";
    static final String URL_HREF = "https://portal.contoso-files.example/report?id=7&x=1";
    static final String URL_SRC = "http://cdn.example.net/logo.png";

    /** A multipart message with a text and an HTML body (three distinct URLs, one written twice) and report.pdf attached. */
    static String report(String from, String to, String subject, String messageId) {
        return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: " + messageId + "\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: multipart/alternative; boundary=\"b2\"\r\n\r\n"
                + "--b2\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee " + URL_TEXT + ". Again: " + URL_TEXT + "\r\n"
                + "--b2\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>See <a href=\"" + URL_HREF.replace("&", "&amp;")
                + "\">the report</a> <img src=\"" + URL_SRC + "\"></p>\r\n--b2--\r\n"
                + "--b1\r\nContent-Type: application/pdf; name=\"report.pdf\"\r\nContent-Disposition: attachment; filename=\"report.pdf\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(PDF) + "\r\n--b1--\r\n";
    }

    static String plain(String from, String subject, String messageId) {
        return "From: " + from + "\r\nSubject: " + subject + "\r\nMessage-ID: " + messageId + "\r\n\r\nbody\r\n";
    }

    static void send(AdminHarness h, String ip, String mailFrom, List<String> rcpts, String content) throws Exception {
        try (var smtp = h.smtpFrom(ip)) {
            assertThat(smtp.sendMessage(mailFrom, rcpts, content)).startsWith("250");
        }
    }

    /** Waits until the gateway's feed has looked at every event committed so far. */
    static void caughtUp(Gateway g) {
        long last = new EventFeed(g.store()).lastId();
        await().atMost(Duration.ofSeconds(30)).until(() -> g.huntingFeed().position() >= last);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
