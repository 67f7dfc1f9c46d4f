// Test fixture: the seed article's scenarios 1, 3 and 7 sent over real SMTP to Contoso (Fabrikam beside it), for the tests that run the article's search or query.
package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Contoso (contoso.com: alice, bob, admin) has the inbound connector "CP-IP" for {@link #CONNECTOR_IP}; Fabrikam
 * (fabrikam.com) has an admin token and nothing else. Each scenario is one message to bob@contoso.com: 1, anonymous
 * with MAIL FROM and From in contoso.com (its subject a spreadsheet formula, {@link #SCENARIO_1_SUBJECT}); 3, MAIL FROM
 * elsewhere and From contoso.com; both from {@link #NO_CONNECTOR_IP} through no connector; 7, through CP-IP. The
 * article's search and query must find 1 and 3, never 7.
 *
 * @param noConnector      the MessageTraceIds of scenarios 1 and 3 (they are also the NetworkMessageIds)
 * @param throughConnector scenario 7's
 */
public record ArticleScenarios(String contosoGuid, String contosoToken, String fabrikamToken, List<String> noConnector,
                               String throughConnector) {
    public static final String CONTOSO = "Contoso";
    public static final String FABRIKAM = "Fabrikam";
    public static final String NO_CONNECTOR_IP = "127.0.0.50";
    public static final String CONNECTOR_IP = "127.0.0.60";
    public static final String SCENARIO_1_SUBJECT = "=HYPERLINK(\"http://evil.example\",\"pay\")";
    public static final String SCENARIO_3_SUBJECT = "Scenario 3";
    public static final String SCENARIO_7_SUBJECT = "Scenario 7";

    /** Creates both organizations and sends the three scenarios (each is traced before this returns). */
    public static ArticleScenarios start(AdminHarness h) throws IOException {
        String contosoGuid = h.ok(null, "New-Tenant", Map.of("Name", CONTOSO)).get(0).path("Guid").asText();
        h.ok(CONTOSO, "New-AcceptedDomain", Map.of("Name", "contoso.com", "DomainName", "contoso.com"));
        for (String user : List.of("alice", "bob", "admin")) {
            h.ok(CONTOSO, "New-Mailbox", Map.of("Name", user, "PrimarySmtpAddress", user + "@contoso.com"));
        }
        h.ok(CONTOSO, "New-InboundConnector", Map.of("Name", "CP-IP", "ConnectorType", "Partner", "SenderDomains", "*",
                "SenderIPAddresses", CONNECTOR_IP));
        String contosoToken = h.ok(null, "New-AdminToken", Map.of("Name", "contoso-admin", "Organization", CONTOSO)).get(0).path("Token").asText();
        h.ok(null, "New-Tenant", Map.of("Name", FABRIKAM));
        h.ok(FABRIKAM, "New-AcceptedDomain", Map.of("Name", "fabrikam.com", "DomainName", "fabrikam.com"));
        String fabrikamToken = h.ok(null, "New-AdminToken", Map.of("Name", "fabrikam-admin", "Organization", FABRIKAM)).get(0).path("Token").asText();

        String one = toBob(h, NO_CONNECTOR_IP, "alice@contoso.com", "alice@contoso.com", SCENARIO_1_SUBJECT, "<s1@x>");
        String three = toBob(h, NO_CONNECTOR_IP, "x@evil.example", "alice@contoso.com", SCENARIO_3_SUBJECT, "<s3@x>");
        String seven = toBob(h, CONNECTOR_IP, "scanner@contoso.com", "scanner@contoso.com", SCENARIO_7_SUBJECT, "<s7@x>");
        return new ArticleScenarios(contosoGuid, contosoToken, fabrikamToken, List.of(one, three), seven);
    }

    /** Sends one message from {@code ip} to bob@contoso.com; answers its MessageTraceId. */
    public static String toBob(AdminHarness h, String ip, String mailFrom, String from, String subject, String messageId) throws IOException {
        send(h, ip, mailFrom, "bob@contoso.com", from, subject, messageId);
        return h.ok(CONTOSO, "Get-MessageTraceV2", Map.of("MessageId", messageId)).get(0).path("MessageTraceId").asText();
    }

    /** Sends one message from {@code ip} over SMTP; it must be accepted. */
    public static void send(AdminHarness h, String ip, String mailFrom, String to, String from, String subject, String messageId)
            throws IOException {
        try (var smtp = h.smtpFrom(ip)) {
            assertThat(smtp.sendMessage(mailFrom, List.of(to), "From: " + from + "\r\nSubject: " + subject
                    + "\r\nMessage-ID: " + messageId + "\r\n\r\nbody\r\n")).startsWith("250");
        }
    }
}
