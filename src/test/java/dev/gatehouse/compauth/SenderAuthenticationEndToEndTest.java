// Scenarios 1 and 3 of the spec end to end: real DNS (Knot), a PROXY-protocol source, stamps, Junk, quarantine, DMARC reject.
package dev.gatehouse.compauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.dns.testing.DnsServer;
import dev.gatehouse.it.RawSmtpClient;
import dev.gatehouse.store.TestDatabase;

/**
 * The reference configuration of spec "Test scenarios": tenant T1 owns contoso.com (SPF {@code include:
 * spf.protection.outlook.com ~all}, DMARC {@code p=none}); a stranger at 203.0.113.50, seen through a PROXY
 * protocol header from the loopback balancer, claims alice@contoso.com. Each test uses its own recipient, so
 * the Maildirs it reads hold only its own message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SenderAuthenticationEndToEndTest {
    private static final String ZONE = """
            contoso.com.                  TXT "v=spf1 include:spf.protection.outlook.com ~all"
            _dmarc.contoso.com.           TXT "v=DMARC1; p=none; rua=mailto:d@contoso.com"
            spf.protection.outlook.com.   TXT "v=spf1 ip4:40.92.0.0/15 ip4:40.107.0.0/16 -all"
            evil.example.                 TXT "v=spf1 ip4:203.0.113.0/24 -all"
            fabrikam.example.             TXT "v=spf1 ip4:198.51.100.0/24 -all"
            _dmarc.fabrikam.example.      TXT "v=DMARC1; p=reject"
            50.113.0.203.in-addr.arpa.    PTR mail.evil.example.
            """;

    private DnsServer dns;
    private AdminHarness h;

    @BeforeAll
    void start() throws IOException {
        dns = DnsServer.start(Map.of(".", ZONE));
        h = new AdminHarness(TestDatabase.Kind.SQLITE, Map.of("dns-server", "127.0.0.1:" + dns.address().getPort(),
                "proxy-protocol-from", "127.0.0.1"));
        h.organization("T1", "contoso.com", "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy");
    }

    @AfterAll
    void stop() {
        if (h != null) h.close();
        if (dns != null) dns.close();
    }

    @Test
    void scenarioOneIsStampedAsAnIntraOrgSpoofAndFiledUnderJunk() throws IOException {
        assertThat(send("203.0.113.50", "alice@contoso.com", "bob@contoso.com", "alice@contoso.com", "Invoice")).startsWith("250");
        String copy = awaitCopy("bob@contoso.com", ".Junk");
        String ar = field(copy, "Authentication-Results");
        assertThat(ar).isEqualTo("spf=softfail (sender IP is 203.0.113.50) smtp.mailfrom=contoso.com; dkim=none (message not signed) "
                + "header.d=none; dmarc=fail action=none header.from=contoso.com; compauth=fail reason=601");
        assertThat(field(copy, "Received-SPF")).startsWith("SoftFail (mx.gatehouse.test: domain of transitioning contoso.com discourages use of "
                + "203.0.113.50 as permitted sender)").contains("client-ip=203.0.113.50;", "helo=sender.example;");
        assertThat(field(copy, "X-Forefront-Antispam-Report")).startsWith("CIP:203.0.113.50;").contains("SCL:5;", "SFV:SPM;",
                "PTR:mail.evil.example;", "CAT:SPOOF;", "SFTY:9.11;", "DIR:INB;");
        assertThat(field(copy, "X-MS-Exchange-Organization-AuthAs")).isEqualTo("Anonymous");
        assertThat(field(copy, "X-MS-Exchange-Organization-MessageDirectionality")).isEqualTo("Incoming");
        assertThat(field(copy, "X-MS-Exchange-CrossTenant-FromEntityHeader")).isEqualTo("Internet");
        assertThat(copies("bob@contoso.com", "")).as("not in the inbox").isEmpty();
    }

    /** The second message from a client finds its reverse name in the cache (answered on the session's thread). */
    @Test
    void aRepeatClientsReverseNameIsReportedLikeTheFirst() throws IOException {
        for (String to : List.of("ivan@contoso.com", "judy@contoso.com")) {
            assertThat(send("203.0.113.50", "alice@contoso.com", to, "alice@contoso.com", "Again")).startsWith("250");
            assertThat(field(awaitCopy(to, ".Junk"), "X-Forefront-Antispam-Report")).as(to).contains("PTR:mail.evil.example;");
        }
    }

    @Test
    void scenarioThreePassesSpfForTheStrangersDomainAndStillFailsCompauth() throws IOException {
        h.ok("T1", "Set-OrganizationConfig", Map.of("RejectDirectSend", true));
        try {
            assertThat(send("203.0.113.50", "x@evil.example", "carol@contoso.com", "alice@contoso.com", "Payroll")).startsWith("250");
            String ar = field(awaitCopy("carol@contoso.com", ".Junk"), "Authentication-Results");
            assertThat(ar).startsWith("spf=pass (sender IP is 203.0.113.50) smtp.mailfrom=evil.example;")
                    .contains("dmarc=fail action=none header.from=contoso.com;").endsWith("compauth=fail reason=601");
        } finally {
            h.ok("T1", "Set-OrganizationConfig", Map.of("RejectDirectSend", false));
        }
    }

    @Test
    void aDisplayNameShowingYourOwnDomainIsASpoofEvenWhenTheRealDomainPasses() throws IOException {
        // evil.example passes SPF and has no DMARC record (bestguesspass), but the reader sees alice@contoso.com
        String content = "From: \"alice@contoso.com\" <x@evil.example>\r\nSubject: Invoice\r\nMessage-ID: <dn@test>\r\n\r\nPay.\r\n";
        assertThat(sendRaw("203.0.113.50", "x@evil.example", "heidi@contoso.com", content)).startsWith("250");
        String ar = field(awaitCopy("heidi@contoso.com", ".Junk"), "Authentication-Results");
        assertThat(ar).contains("header.from=evil.example").endsWith("compauth=fail reason=601");
    }

    @Test
    void theTenantsPolicyCanQuarantineSpoofsInstead() throws IOException {
        h.ok("T1", "Set-AntiPhishPolicy", Map.of("Identity", "Office365 AntiPhish Default", "AuthenticationFailAction", "Quarantine"));
        try {
            assertThat(send("203.0.113.50", "alice@contoso.com", "dave@contoso.com", "alice@contoso.com", "Held as phish")).startsWith("250");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                var held = h.ok("T1", "Get-QuarantineMessage", Map.of("QuarantineTypes", "Phish", "RecipientAddress", "dave@contoso.com"));
                assertThat(held).hasSize(1);
                assertThat(held.get(0).path("PolicyType").asText()).isEqualTo("AntiPhishPolicy");
                assertThat(held.get(0).path("Subject").asText()).isEqualTo("Held as phish");
            });
            assertThat(copies("dave@contoso.com", "")).isEmpty();
            assertThat(copies("dave@contoso.com", ".Junk")).isEmpty();
        } finally {
            h.ok("T1", "Set-AntiPhishPolicy", Map.of("Identity", "Office365 AntiPhish Default", "AuthenticationFailAction", "MoveToJmf"));
        }
    }

    @Test
    void aDomainWhosePolicyIsRejectIsRefusedWithExchangesReply() throws IOException {
        String reply = send("203.0.113.50", "billing@fabrikam.example", "erin@contoso.com", "billing@fabrikam.example", "Pay now");
        assertThat(reply).startsWith("550 5.7.509 Access denied, sending domain [FABRIKAM.EXAMPLE] does not pass DMARC verification");
        assertThat(copies("erin@contoso.com", "")).isEmpty();
    }

    @Test
    void aSendersOwnAuthenticationResultsNeverReachTheMailbox() throws IOException {
        String forged = "Authentication-Results: spf=pass (sender IP is 40.92.0.1) smtp.mailfrom=contoso.com; compauth=pass reason=100\r\n"
                + "X-Forefront-Antispam-Report: SFV:SKN;CAT:NONE;\r\n";
        assertThat(sendRaw("203.0.113.50", "alice@contoso.com", "frank@contoso.com", forged + message("alice@contoso.com", "forged")))
                .startsWith("250");
        String copy = awaitCopy("frank@contoso.com", ".Junk");
        assertThat(copy).doesNotContain("compauth=pass", "SFV:SKN");
        assertThat(copy.split("\r\nAuthentication-Results:", -1)).hasSize(2);
    }

    @Test
    void behindAThirdPartyFilterSpfJudgesTheOriginalClientThatEnhancedFilteringFinds() throws IOException {
        h.ok("T1", "New-InboundConnector", Map.of("Name", "CP-LOCK", "ConnectorType", "Partner", "SenderDomains", "*",
                "RestrictDomainsToIPAddresses", true, "SenderIPAddresses", "192.0.2.0/24", "EFSkipIPs", "192.0.2.0/24"));
        try {
            // the filter at 192.0.2.25 relays what it got from 203.0.113.50 (SPF for contoso.com does not list either)
            String filtered = "Received: from mail.evil.example (mail.evil.example [203.0.113.50]) by filter.example.net"
                    + " with ESMTPS id 1; Sun, 6 Dec 2026 06:00:00 +0000\r\n" + message("alice@contoso.com", "Through the filter");
            assertThat(sendRaw("192.0.2.25", "alice@contoso.com", "grace@contoso.com", filtered)).startsWith("250");
            String copy = awaitCopy("grace@contoso.com", ".Junk");
            assertThat(field(copy, "Authentication-Results")).startsWith("spf=softfail (sender IP is 203.0.113.50) smtp.mailfrom=contoso.com;");
            assertThat(field(copy, "X-Forefront-Antispam-Report")).startsWith("CIP:203.0.113.50;");
        } finally {
            h.ok("T1", "Remove-InboundConnector", Map.of("Identity", "CP-LOCK", "Confirm", false));
        }
    }

    @Test
    void testMessageAuthenticationExplainsEachVerdictAndTheAction() {
        var lines = h.ok("T1", "Test-MessageAuthentication", Map.of("ClientIp", "203.0.113.50", "Helo", "mail.evil.example",
                "MailFrom", "x@evil.example", "Message", "From: Alice <alice@contoso.com>\r\nSubject: hi\r\n\r\nbody\r\n"));
        Map<String, String> result = new java.util.LinkedHashMap<>();
        Map<String, String> reason = new java.util.LinkedHashMap<>();
        for (var l : lines) {
            result.put(l.path("Check").asText(), l.path("Result").asText());
            reason.put(l.path("Check").asText(), l.path("Reason").asText());
        }
        assertThat(result).containsEntry("SPF", "pass").containsEntry("DKIM", "none").containsEntry("DMARC", "fail")
                .containsEntry("ARC", "none").containsEntry("CompAuth", "fail").containsEntry("Action", "MoveToJmf");
        assertThat(reason.get("SPF")).contains("ip4:203.0.113.0/24");
        assertThat(reason.get("DMARC")).contains("header.from=contoso.com", "p=none", "SPF not aligned");
        assertThat(reason.get("CompAuth")).startsWith("reason=601").contains("one of your accepted domains");
        assertThat(reason.get("Authentication-Results")).endsWith("compauth=fail reason=601");

        var bad = h.invoke(h.adminToken("T1", "checker"), "T1", "Test-MessageAuthentication",
                Map.of("ClientIp", "not-an-ip", "Helo", "h", "MailFrom", "a@b.example"));
        assertThat(bad.errorMessage()).contains("-ClientIp 'not-an-ip'");
    }

    // --- helpers -------------------------------------------------------------------------------------

    private String send(String clientIp, String mailFrom, String rcpt, String headerFrom, String subject) throws IOException {
        return sendRaw(clientIp, mailFrom, rcpt, message(headerFrom, subject));
    }

    private static String message(String headerFrom, String subject) {
        return "From: <" + headerFrom + ">\r\nTo: <someone@contoso.com>\r\nSubject: " + subject + "\r\nMessage-ID: <" + System.nanoTime()
                + "@test>\r\n\r\nHello.\r\n";
    }

    /** One SMTP transaction behind a PROXY v1 header naming {@code clientIp} as the source. */
    private String sendRaw(String clientIp, String mailFrom, String rcpt, String content) throws IOException {
        try (var smtp = new RawSmtpClient("127.0.0.1", h.gateway.smtpPort())) {
            smtp.send("PROXY TCP4 " + clientIp + " 127.0.0.1 40000 25\r\n");
            RawSmtpClient.expect(smtp.reply(), "220");
            smtp.cmd("EHLO sender.example");
            RawSmtpClient.expect(smtp.cmd("MAIL FROM:<" + mailFrom + ">"), "250");
            RawSmtpClient.expect(smtp.cmd("RCPT TO:<" + rcpt + ">"), "250");
            RawSmtpClient.expect(smtp.cmd("DATA"), "354");
            smtp.send(content + ".\r\n");
            return smtp.reply();
        }
    }

    private String awaitCopy(String address, String folder) throws IOException {
        await().atMost(Duration.ofSeconds(10)).until(() -> !copies(address, folder).isEmpty());
        List<String> all = copies(address, folder);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    /** Copies in {@code address}'s Maildir folder ("" for the inbox, ".Junk") under new/. */
    private List<String> copies(String address, String folder) throws IOException {
        Path mail = h.db.dir().resolve("data").resolve("mail");
        if (!Files.isDirectory(mail)) return List.of();
        try (Stream<Path> files = Files.walk(mail)) {
            return files.filter(Files::isRegularFile).filter(f -> f.getParent().getFileName().toString().equals("new"))
                    .filter(f -> folder.isEmpty()
                            ? f.getParent().getParent().getFileName().toString().equalsIgnoreCase(address)
                            : f.getParent().getParent().getFileName().toString().equals(folder)
                                    && f.getParent().getParent().getParent().getFileName().toString().equalsIgnoreCase(address))
                    .map(f -> {
                        try {
                            return Files.readString(f, StandardCharsets.ISO_8859_1);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).toList();
        }
    }

    /** The first field of that name in the header section, unfolded. */
    static String field(String message, String name) {
        String header = message.substring(0, message.indexOf("\r\n\r\n") + 2);
        for (String f : header.split("\r\n(?![ \t])")) {
            int colon = f.indexOf(':');
            if (colon > 0 && f.substring(0, colon).equalsIgnoreCase(name)) return f.substring(colon + 1).replace("\r\n", "").replaceAll("[ \t]+", " ").strip();
        }
        return null;
    }
}
