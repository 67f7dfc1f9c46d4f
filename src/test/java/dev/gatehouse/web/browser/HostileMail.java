// Test fixture for the quarantine and trace pages: mail sent over real SMTP (a hostile one among it), the session's own HTTP
// requests (downloads, forged posts), and the checks that nothing in a message ran or loaded in the browser.
package dev.gatehouse.web.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.openqa.selenium.NoAlertPresentException;

import dev.gatehouse.admin.AdminHarness;

final class HostileMail {
    private HostileMail() {}

    /** A subject that would run script twice if it were ever markup. */
    static final String SUBJECT = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    /** Where the message's link points, and the host of its remote image: the browser must never ask it for anything. */
    static final String LINK = "http://phish.example/login";
    static final String REMOTE = "remote.example";

    /** The hostile message: its subject, a text part with a link, an HTML part with a link, a remote image, a script. */
    static String hostile(String to, String messageId) {
        return "From: x@partner.example\r\nTo: " + to + "\r\nSubject: " + SUBJECT + "\r\nMessage-ID: " + messageId + "\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=alt\r\n\r\n"
                + "--alt\r\nContent-Type: text/plain\r\n\r\nYour mailbox is full. Log in at " + LINK + " today.\r\n"
                + "--alt\r\nContent-Type: text/html\r\n\r\n<p onclick=\"alert(4)\">Your mailbox is full. <a href=\"" + LINK + "\">Log in</a></p>"
                + "<img src=\"http://" + REMOTE + "/x.png\"><script>alert(3)</script>\r\n--alt--\r\n";
    }

    /** A plain message. */
    static String plain(String from, String to, String subject, String messageId, String body) {
        return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: " + messageId + "\r\n\r\n" + body + "\r\n";
    }

    /** The admin tokens of the two organizations. */
    record Admins(String contoso, String fabrikam) {}

    /**
     * Contoso (alice@, bob@contoso.com), whose rule "Hold partner mail" quarantines all mail from partner.example, and
     * Fabrikam (carol@fabrikam.com), each with an admin token.
     */
    static Admins organizations(AdminHarness h) {
        h.organization("Contoso", "contoso.com", "Alice", "Bob");
        h.organization("Fabrikam", "fabrikam.com", "Carol");
        h.ok("Contoso", "New-TransportRule", Map.of("Name", "Hold partner mail", "SenderDomainIs", List.of("partner.example"), "Quarantine", true));
        return new Admins(h.adminToken("Contoso", "contoso-admin"),
                h.adminToken("Fabrikam", "fabrikam-admin"));
    }

    /** A new session with {@code token}; what signing in logged to the console is not the caller's. */
    static void signIn(Browser b, String token) {
        b.driver.manage().deleteAllCookies();
        b.signIn(token);
        b.consoleErrors();
    }

    /** Sends {@code content} over SMTP from the loopback address {@code ip}; the gateway must accept it. */
    static void send(AdminHarness h, String ip, String mailFrom, List<String> rcpts, String content) throws IOException {
        try (var smtp = h.smtpFrom(ip)) {
            assertThat(smtp.sendMessage(mailFrom, rcpts, content)).startsWith("250");
        }
    }

    /** The messages delivered to {@code address}'s Maildir (new/), as text. */
    static List<String> delivered(AdminHarness h, String address) throws IOException {
        Path mail = h.db.dir().resolve("data").resolve("mail");
        if (!Files.isDirectory(mail)) return List.of();
        try (Stream<Path> files = Files.walk(mail)) {
            return files.filter(f -> f.getParent().getFileName().toString().equals("new")
                            && f.getParent().getParent().getFileName().toString().equalsIgnoreCase(address))
                    .map(f -> {
                        try {
                            return Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).toList();
        }
    }

    /** No script of the message ran (no alert is open), nothing failed or was refused, and nothing was asked of another host. */
    static void assertNothingRan(Browser b) {
        assertThatThrownBy(() -> b.driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        b.assertNoConsoleErrors(); // a load the CSP refused would be a console error
        Object loaded = b.driver.executeScript("return performance.getEntriesByType('resource').map(e => e.name)"
                + ".concat(Array.from(document.querySelectorAll('[src],[href],[srcdoc]')).map(e => e.getAttribute('src') || e.getAttribute('href') || 'srcdoc'))");
        assertThat(loaded.toString()).doesNotContain(REMOTE).doesNotContain("phish.example").doesNotContain("srcdoc");
        assertThat(b.all("main img, main iframe, main script")).isEmpty();
    }

    /** The text of each element {@code css} finds (a table's column, say). */
    static List<String> texts(Browser b, String css) { return b.all(css).stream().map(org.openqa.selenium.WebElement::getText).toList(); }

    /** The session's own requests, as the browser would send them (its cookie, its CSRF token for a POST). */
    record Session(String base, String cookie, String csrf) {
        static Session of(Browser b) {
            return new Session(b.base, b.driver.manage().getCookieNamed("gatehouse_session").getValue(),
                    b.find("meta[name=csrf-token]").getAttribute("content"));
        }

        HttpResponse<byte[]> get(String path) throws Exception {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", "gatehouse_session=" + cookie)
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
        }

        HttpResponse<String> post(String path, String form) throws Exception {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", "gatehouse_session=" + cookie)
                    .header("X-CSRF-Token", csrf).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
