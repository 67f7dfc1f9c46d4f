// Test fixture: two organizations with real SMTP mail in their hunting tables (Direct Send and connector mail), shared by the hunting surface tests.
package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.gatehouse.queue.EventFeed;

/**
 * Contoso (contoso.com: Alice, Bob) has an inbound connector "Scanner" for {@link #SCANNER}; Fabrikam (fabrikam.com:
 * Carol) has none. Mail: {@link #DIRECT_SUBJECT} from {@link #DIRECT} through no connector (Direct Send) to Alice and
 * Bob, {@link #CONNECTOR_SUBJECT} through the connector to Alice, and {@link #FABRIKAM_SUBJECT} through no connector to
 * Carol. The article's query must find the first (two rows, one per recipient) and only it, for Contoso.
 */
public final class HuntingFixture {
    private HuntingFixture() {}

    public static final String CONTOSO = "Contoso";
    public static final String FABRIKAM = "Fabrikam";
    public static final String DIRECT = "127.0.0.50";
    public static final String SCANNER = "127.0.0.60";
    public static final String DIRECT_SUBJECT = "Direct send scan 7731";
    public static final String CONNECTOR_SUBJECT = "Scanned through the connector";
    public static final String FABRIKAM_SUBJECT = "Fabrikam's own direct send";
    /** The article's query as printed (seed/direct-send-article.md). */
    public static final String ARTICLE_QUERY = HuntingCmdlets.ARTICLE_QUERY;

    /** Creates both organizations, sends the mail, and waits until the hunting tables have it. */
    public static void start(AdminHarness h) throws IOException {
        h.organization(CONTOSO, "contoso.com", "Alice", "Bob");
        h.ok(CONTOSO, "New-InboundConnector", Map.of("Name", "Scanner", "ConnectorType", "Partner", "SenderDomains", List.of("*"),
                "SenderIPAddresses", List.of(SCANNER)));
        h.organization(FABRIKAM, "fabrikam.com", "Carol");
        send(h, DIRECT, "scanner@printers.example", List.of("alice@contoso.com", "bob@contoso.com"), DIRECT_SUBJECT);
        send(h, SCANNER, "scanner@contoso.com", List.of("alice@contoso.com"), CONNECTOR_SUBJECT);
        send(h, DIRECT, "scanner@printers.example", List.of("carol@fabrikam.com"), FABRIKAM_SUBJECT);
        awaitHunting(h);
    }

    private static void send(AdminHarness h, String ip, String from, List<String> to, String subject) throws IOException {
        try (var smtp = h.smtpFrom(ip)) {
            String reply = smtp.sendMessage(from, to, "From: " + from + "\r\nSubject: " + subject + "\r\nMessage-ID: <"
                    + subject.replace(' ', '-').replace("'", "") + "@test>\r\n\r\nscan\r\n");
            assertThat(reply).startsWith("250");
        }
    }

    /** Waits until the gateway's hunting feed has taken in every event committed so far. */
    public static void awaitHunting(AdminHarness h) {
        long last = new EventFeed(h.gateway.store()).lastId();
        await().atMost(Duration.ofSeconds(30)).until(() -> h.gateway.huntingFeed().position() >= last);
    }
}
