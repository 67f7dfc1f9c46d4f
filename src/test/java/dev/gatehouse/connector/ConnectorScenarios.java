// Spec scenarios 1-17, 20 and 24 end to end: a real gateway, real sockets from other loopback addresses, real TLS.
package dev.gatehouse.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.gatehouse.admin.AdminCmdlets;
import dev.gatehouse.admin.AdminContext;
import dev.gatehouse.admin.AdminServices;
import dev.gatehouse.admin.Principal;
import dev.gatehouse.attribution.CertificateTrust;
import dev.gatehouse.cmdlet.PipelineRunner;
import dev.gatehouse.cmdlet.RunResult;
import dev.gatehouse.config.GatewayConfig;
import dev.gatehouse.directory.Tenant;
import dev.gatehouse.server.Gateway;

/**
 * The reference configuration of the spec's test scenarios, with the spec's public addresses mapped to
 * loopback addresses the client binds to:
 * <pre>
 *   203.0.113.50 (anonymous sender)   → 127.0.0.50      198.51.100.7 (CP-IP)  → 127.0.0.7
 *   198.51.100.8                      → 127.0.0.8       192.0.2.0/24 (CP-LOCK) → 127.0.2.0/24
 *   203.0.113.99 (not the gateway)    → 127.0.0.99      on-premises IP (IP-only OnPremises) → 127.0.0.60
 * </pre>
 * Connectors are created with the same cmdlets an admin types. Subclasses choose the store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConnectorScenarios {
    static final String DIRECT_SEND = "550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources";
    static final String LOCKDOWN = "550 5.7.51 TenantInboundAttribution; There is a partner connector configured that matched the message's"
            + " recipient domain. The connector had either the RestrictDomainsToIPAddresses or RestrictDomainsToCertificate set";
    static final String RELAY_DENIED = "550 5.7.64 TenantAttribution; Relay Access Denied";
    static final String DBEB = "550 5.4.1 Recipient address rejected: Access denied";
    static final String REQUIRE_TLS = "530 5.7.0 Must issue a STARTTLS command first: an inbound connector of this organization requires TLS (RequireTls)";

    Path dir;
    Gateway gateway;
    Tenant t1;
    Tenant t2;
    TestPki pki;

    /** Null for SQLite; a JDBC URL (with a fresh schema) for PostgreSQL. */
    abstract String storeUrl() throws Exception;

    void dropStore() throws Exception {}

    @BeforeAll
    void startGateway() throws Exception {
        dir = Files.createTempDirectory("gh-conn-");
        pki = new TestPki("Gatehouse Test CA");
        Path ca = pki.writeCaPem(dir.resolve("test-ca.pem"));
        gateway = new Gateway(new GatewayConfig(dir.resolve("data"), "mx.gatehouse.test", "127.0.0.1", 0, "127.0.0.1", 0, storeUrl(),
                null, null, List.of(ca), 10 << 20, 100, 100, 50, Duration.ofSeconds(30), Duration.ofSeconds(2), "node-test")
                .withDns(dev.gatehouse.dns.testing.DnsServer.OFF, java.time.Duration.ofSeconds(1))).start();
        var services = AdminServices.over(gateway.store());
        t1 = services.tenants().create("Contoso");
        t2 = services.tenants().create("Fabrikam");
        ok(t1, "New-AcceptedDomain contoso.com -DomainName contoso.com");
        ok(t1, "New-AcceptedDomain contoso.onmicrosoft.com -DomainName contoso.onmicrosoft.com");
        ok(t1, "New-Mailbox alice -PrimarySmtpAddress alice@contoso.com");
        ok(t1, "New-Mailbox bob -PrimarySmtpAddress bob@contoso.com");
        ok(t2, "New-AcceptedDomain fabrikam.com -DomainName fabrikam.com");
        ok(t2, "New-Mailbox carol -PrimarySmtpAddress carol@fabrikam.com");
    }

    @AfterAll
    void stopGateway() throws Exception {
        if (gateway != null) gateway.close();
        dropStore();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Every scenario starts from the reference configuration: no connectors, RejectDirectSend off. */
    @BeforeEach
    void reset() {
        for (Tenant t : List.of(t1, t2)) {
            ok(t, "Get-InboundConnector | Remove-InboundConnector");
            ok(t, "Set-OrganizationConfig -RejectDirectSend $false -RejectDirectSendHeaderFrom $false");
        }
        ok(t1, "Set-AcceptedDomain contoso.com -DomainType Authoritative -MatchSubDomains $false");
    }

    // ---- helpers ----

    RunResult run(Tenant t, String script) {
        return new PipelineRunner<>(AdminCmdlets.registry(), PipelineRunner.Options.defaults().withStopOnError(true))
                .run(script, new AdminContext(new Principal.Operator("test"), t, AdminServices.over(gateway.store())));
    }

    RunResult ok(Tenant t, String script) {
        RunResult r = run(t, script);
        assertThat(r.errors()).as(script).isEmpty();
        return r;
    }

    String error(Tenant t, String script) {
        RunResult r = run(t, script);
        assertThat(r.errors()).as(script).isNotEmpty();
        return r.errors().getFirst().message();
    }

    static final String CP_IP = "New-InboundConnector CP-IP -ConnectorType Partner -SenderDomains * -SenderIPAddresses 127.0.0.7"
            + " -RestrictDomainsToIPAddresses $false";
    static final String CP_DOM = "New-InboundConnector CP-DOM -ConnectorType Partner -SenderDomains contoso.com";
    static final String CP_LOCK = "New-InboundConnector CP-LOCK -ConnectorType Partner -SenderDomains * -RestrictDomainsToIPAddresses $true"
            + " -SenderIPAddresses 127.0.2.0/24";
    static final String CP_CERT = "New-InboundConnector CP-CERT -ConnectorType Partner -SenderDomains * -RestrictDomainsToCertificate $true"
            + " -TlsSenderCertificateName *.gw.example.net -RequireTls $true";
    static final String CO_HYB = "New-InboundConnector CO-HYB -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName *.contoso.com"
            + " -CloudServicesMailEnabled $true";

    SmtpTestClient connect(String fromIp) throws IOException { return new SmtpTestClient(fromIp, gateway.smtpPort()); }

    SmtpTestClient connectTls(String fromIp, TestPki.Identity id) throws Exception {
        SmtpTestClient c = connect(fromIp);
        return c.startTls(id == null ? TestPki.selfSigned("unused.test").clientContext() : id.clientContext());
    }

    /** MAIL FROM + one RCPT; returns the RCPT reply. */
    static String rcpt(SmtpTestClient c, String from, String to) throws IOException {
        SmtpTestClient.expect(c.cmd("MAIL FROM:<" + from + ">"), "250");
        return c.cmd("RCPT TO:<" + to + ">");
    }

    /** The one delivered file of this network message id in the mailbox's Maildir, once delivered. */
    String delivered(Tenant t, String mailbox, String queuedReply) {
        String id = queuedReply.substring(queuedReply.lastIndexOf(' ') + 1);
        Path neu = gateway.store() == null ? null : dir.resolve("data").resolve("mail").resolve(t.Guid()).resolve(mailbox).resolve("new");
        String[] found = new String[1];
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (!Files.isDirectory(neu)) return false;
            try (Stream<Path> files = Files.list(neu)) {
                for (Path f : files.toList()) {
                    String s = Files.readString(f, StandardCharsets.ISO_8859_1);
                    if (s.contains("X-MS-Exchange-Organization-Network-Message-Id: " + id)) { found[0] = s; return true; }
                }
            }
            return false;
        });
        return found[0];
    }

    /** Header lines (unfolded enough for our single-line stamps) whose name is {@code name}. */
    static List<String> header(String message, String name) {
        List<String> out = new ArrayList<>();
        String head = message.substring(0, message.indexOf("\r\n\r\n"));
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) out.add(line.substring(name.length() + 1).strip());
        }
        return out;
    }

    /** Column values of the recipient rows of one message (by network message id); Pending and Delivered show as Local. */
    List<String> recipientFacts(String queuedReply) {
        String id = queuedReply.substring(queuedReply.lastIndexOf(' ') + 1);
        return gateway.store().read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT r.address, r.status, r.inbound_connector, r.directionality, r.auth_as,"
                    + " r.direct_send FROM recipients r JOIN messages m ON m.id = r.message_id WHERE m.network_message_id = ? ORDER BY r.address")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String status = rs.getString(2);
                        out.add(rs.getString(1) + "|" + (status.equals("Pending") || status.equals("Delivered") ? "Local" : status) + "|" + rs.getString(3) + "|" + rs.getString(4) + "|"
                                + rs.getString(5) + "|" + rs.getBoolean(6));
                    }
                }
            }
            return out;
        });
    }

    long count(String sql) {
        return gateway.store().read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    static String from(String address) { return "From: <" + address + ">\r\nTo: <bob@contoso.com>\r\n"; }

    // ---- scenarios ----

    @Test
    void scenario01_directSendIsAcceptedAndStampedAnonymousWhenRejectDirectSendIsOff() throws Exception {
        String reply;
        try (SmtpTestClient c = connect("127.0.0.50")) {
            assertThat(rcpt(c, "alice@contoso.com", "bob@contoso.com")).startsWith("250");
            reply = c.data(from("alice@contoso.com"));
        }
        assertThat(reply).startsWith("250 2.0.0 OK: queued as ");
        String msg = delivered(t1, "bob@contoso.com", reply);
        assertThat(header(msg, "X-MS-Exchange-Organization-AuthAs")).containsExactly("Anonymous");
        assertThat(header(msg, "X-MS-Exchange-Organization-MessageDirectionality")).containsExactly("Incoming");
        assertThat(header(msg, "X-MS-Exchange-Organization-AuthSource")).containsExactly("mx.gatehouse.test");
        assertThat(header(msg, "X-MS-Exchange-Organization-AuthMechanism")).isEmpty();
        assertThat(header(msg, "X-MS-Exchange-CrossTenant-FromEntityHeader")).containsExactly("Internet");
        assertThat(header(msg, "X-MS-Exchange-CrossTenant-AuthAs")).containsExactly("Anonymous");
        assertThat(header(msg, "X-MS-Exchange-CrossTenant-Id")).containsExactly(t1.Guid());
        assertThat(header(msg, "X-EOPTenantAttributedMessage")).containsExactly(t1.Guid() + ":0");
        assertThat(header(msg, "X-EOPAttributedMessage")).containsExactly("0");
        assertThat(recipientFacts(reply)).containsExactly("bob@contoso.com|Local||Incoming|Anonymous|true");
    }

    @Test
    void scenario02_rejectsDirectSendFromAcceptedDomainWhenEnabledAndLeavesNoTrace() throws Exception {
        ok(t1, "Set-OrganizationConfig -RejectDirectSend $true");
        assertThat(ok(t1, "Get-OrganizationConfig").objects().getFirst().toString()).contains("RejectDirectSend=true");
        long events = count("SELECT COUNT(*) FROM message_events");
        long messages = count("SELECT COUNT(*) FROM messages");
        try (SmtpTestClient c = connect("127.0.0.50")) {
            assertThat(rcpt(c, "alice@contoso.com", "bob@contoso.com")).isEqualTo(DIRECT_SEND);
            assertThat(c.cmd("DATA")).startsWith("554");
        }
        assertThat(count("SELECT COUNT(*) FROM message_events")).isEqualTo(events);
        assertThat(count("SELECT COUNT(*) FROM messages")).isEqualTo(messages);
    }

    @Test
    void scenario03_headerFromIsNotCheckedByRejectDirectSend() throws Exception {
        ok(t1, "Set-OrganizationConfig -RejectDirectSend $true");
        try (SmtpTestClient c = connect("127.0.0.50")) {
            assertThat(rcpt(c, "x@evil.example", "bob@contoso.com")).startsWith("250");
            String reply = c.data(from("alice@contoso.com"));
            assertThat(reply).startsWith("250");
            assertThat(header(delivered(t1, "bob@contoso.com", reply), "X-MS-Exchange-Organization-AuthAs")).containsExactly("Anonymous");
        }
    }

    @Test
    void headerFromOptInRefusesAnonymousMailClaimingAnAcceptedDomainInFrom() throws Exception {
        ok(t1, "Set-OrganizationConfig -RejectDirectSend $true -RejectDirectSendHeaderFrom $true");
        long events = count("SELECT COUNT(*) FROM message_events");
        try (SmtpTestClient c = connect("127.0.0.50")) {
            assertThat(rcpt(c, "x@evil.example", "bob@contoso.com")).startsWith("250");
            assertThat(c.data("From: \"Alice\" <alice@contoso.com>\r\n")).isEqualTo(DIRECT_SEND);
            assertThat(rcpt(c, "x@evil.example", "bob@contoso.com")).startsWith("250");
            assertThat(c.data("From: <x@evil.example>\r\n")).startsWith("250");
        }
        assertThat(count("SELECT COUNT(*) FROM message_events")).isEqualTo(events + 1);
    }

    @Test
    void scenario04_subdomainIsNotRejectedWithoutMatchSubDomains() throws Exception {
        ok(t1, "Set-OrganizationConfig -RejectDirectSend $true");
        try (SmtpTestClient c = connect("127.0.0.50")) {
            assertThat(rcpt(c, "scan@sub.contoso.com", "bob@contoso.com")).startsWith("250");
        }
    }

    @Test
    void scenario05_subdomainIsRejectedWithMatchSubDomains() throws Exception {
        ok(t1, "Set-OrganizationConfig -RejectDirectSend $true");
        ok(t1, "Set-AcceptedDomain contoso.com -DomainType InternalRelay -MatchSubDomains $true");
        try (SmtpTestClient c = connect("127.0.0.50")) {
            assertThat(rcpt(c, "scan@sub.contoso.com", "bob@contoso.com")).isEqualTo(DIRECT_SEND);
        }
    }

    @Test
    void scenario06_nullSenderIsExempt() throws Exception {
        ok(t1, "Set-OrganizationConfig -RejectDirectSend $true");
        try (SmtpTestClient c = connect("127.0.0.50")) {
            assertThat(rcpt(c, "", "bob@contoso.com")).startsWith("250");
            assertThat(c.data(from("alice@contoso.com"))).startsWith("250");
        }
    }

    @Test
    void scenario07_partnerConnectorMatchedByIpExemptsAndIsRecorded() throws Exception {
        ok(t1, "Set-OrganizationConfig -RejectDirectSend $true");
        ok(t1, CP_IP);
        String reply;
        try (SmtpTestClient c = connect("127.0.0.7")) {
            assertThat(rcpt(c, "scanner@contoso.com", "bob@contoso.com")).startsWith("250");
            reply = c.data(from("scanner@contoso.com"));
        }
        assertThat(reply).startsWith("250");
        String msg = delivered(t1, "bob@contoso.com", reply);
        assertThat(header(msg, "X-MS-Exchange-Organization-AuthAs")).containsExactly("Anonymous");
        assertThat(header(msg, "X-MS-Exchange-Organization-MessageDirectionality")).containsExactly("Incoming");
        assertThat(recipientFacts(reply)).containsExactly("bob@contoso.com|Local|CP-IP|Incoming|Anonymous|false");
        assertThat(count("SELECT COUNT(*) FROM message_events WHERE event_type = 'Receive' AND detail LIKE '%connector=CP-IP%'")).isPositive();
    }

    @Test
    void scenario08_otherIpFallsToDefaultConnectorAndIsRejected_thenAConnectorChangeAppliesToTheNextTransaction() throws Exception {
        ok(t1, "Set-OrganizationConfig -RejectDirectSend $true");
        ok(t1, CP_IP);
        try (SmtpTestClient c = connect("127.0.0.8")) {
            assertThat(rcpt(c, "scanner@contoso.com", "bob@contoso.com")).isEqualTo(DIRECT_SEND);
            assertThat(c.cmd("RSET")).startsWith("250");
            ok(t1, "Set-InboundConnector CP-IP -SenderIPAddresses @{Add='127.0.0.8'}");
            assertThat(rcpt(c, "scanner@contoso.com", "bob@contoso.com")).startsWith("250");
            assertThat(c.cmd("RSET")).startsWith("250");
            ok(t1, "Set-InboundConnector CP-IP -Enabled $false");
            assertThat(rcpt(c, "scanner@contoso.com", "bob@contoso.com")).isEqualTo(DIRECT_SEND);
        }
    }

    @Test
    void scenario09_domainOnlyPartnerConnectorDoesNotExempt() throws Exception {
        ok(t1, "Set-OrganizationConfig -RejectDirectSend $true");
        ok(t1, CP_DOM);
        try (SmtpTestClient c = connect("127.0.0.50")) {
            assertThat(rcpt(c, "scanner@contoso.com", "bob@contoso.com")).isEqualTo(DIRECT_SEND);
        }
    }

    @Test
    void scenario10_partnerLockdownRefusesOtherSourcesAtRcptTo() throws Exception {
        ok(t1, CP_LOCK);
        try (SmtpTestClient c = connect("127.0.0.99")) {
            SmtpTestClient.expect(c.cmd("MAIL FROM:<news@partner.example>"), "250");
            assertThat(c.cmd("RCPT TO:<bob@contoso.com>")).isEqualTo(LOCKDOWN);
            // the lockdown is per tenant: Fabrikam has no such connector
            assertThat(c.cmd("RCPT TO:<carol@fabrikam.com>")).startsWith("250");
        }
    }

    @Test
    void scenario11_partnerLockdownAcceptsTheGateway() throws Exception {
        ok(t1, CP_LOCK);
        String reply;
        try (SmtpTestClient c = connect("127.0.2.25")) {
            assertThat(rcpt(c, "news@partner.example", "bob@contoso.com")).startsWith("250");
            reply = c.data(from("news@partner.example"));
        }
        assertThat(recipientFacts(reply)).containsExactly("bob@contoso.com|Local|CP-LOCK|Incoming|Anonymous|false");
    }

    @Test
    void scenario12_partnerCertificateConnector() throws Exception {
        ok(t1, CP_CERT);
        // a certificate from a trusted CA with a matching name
        try (SmtpTestClient c = connectTls("127.0.0.50", pki.issue("mx1.gw.example.net"))) {
            assertThat(rcpt(c, "news@partner.example", "bob@contoso.com")).startsWith("250");
            String reply = c.data(from("news@partner.example"));
            assertThat(recipientFacts(reply)).containsExactly("bob@contoso.com|Local|CP-CERT|Incoming|Anonymous|false");
        }
        // another name
        try (SmtpTestClient c = connectTls("127.0.0.50", pki.issue("mx.other.example"))) {
            assertThat(rcpt(c, "news@partner.example", "bob@contoso.com")).isEqualTo(LOCKDOWN);
        }
        // no STARTTLS
        try (SmtpTestClient c = connect("127.0.0.50")) {
            assertThat(rcpt(c, "news@partner.example", "bob@contoso.com")).isEqualTo(REQUIRE_TLS);
        }
    }

    @Test
    void badCertificatesNeverAttribute() throws Exception {
        ok(t1, CP_CERT);
        var expired = pki.issue("mx1.gw.example.net", java.time.Instant.now().minus(Duration.ofDays(30)), java.time.Instant.now().minus(Duration.ofDays(1)));
        var selfSigned = TestPki.selfSigned("mx1.gw.example.net");
        var otherCa = new TestPki("Untrusted CA").issue("mx1.gw.example.net");
        for (var id : List.of(expired, selfSigned, otherCa)) {
            try (SmtpTestClient c = connectTls("127.0.0.50", id)) {
                assertThat(rcpt(c, "news@partner.example", "bob@contoso.com")).as(id.leaf().getSubjectX500Principal().getName()).isEqualTo(LOCKDOWN);
            }
        }
    }

    @Test
    void aPinnedThumbprintNeedsNoCa() throws Exception {
        var selfSigned = TestPki.selfSigned("scanner.vendor.example");
        String thumb = CertificateTrust.sha256(selfSigned.leaf());
        ok(t1, "Set-OrganizationConfig -RejectDirectSend $true");
        ok(t1, "New-InboundConnector PIN -SenderDomains * -TlsSenderCertificateThumbprint " + thumb + " -RestrictDomainsToCertificate $true");
        try (SmtpTestClient c = connectTls("127.0.0.50", selfSigned)) {
            assertThat(rcpt(c, "scanner@contoso.com", "bob@contoso.com")).startsWith("250");
            assertThat(recipientFacts(c.data(from("scanner@contoso.com")))).containsExactly("bob@contoso.com|Local|PIN|Incoming|Anonymous|false");
        }
        try (SmtpTestClient c = connectTls("127.0.0.50", TestPki.selfSigned("scanner.vendor.example"))) {
            assertThat(rcpt(c, "scanner@contoso.com", "bob@contoso.com")).isEqualTo(LOCKDOWN);
        }
    }

    @Test
    void scenario13_hybridServerIsOriginatingInternalAndMayRelay() throws Exception {
        ok(t1, "Set-OrganizationConfig -RejectDirectSend $true");
        ok(t1, CO_HYB);
        String reply;
        try (SmtpTestClient c = connectTls("127.0.0.50", pki.issue("mail.contoso.com"))) {
            assertThat(rcpt(c, "alice@contoso.com", "dave@gmail.com")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<bob@contoso.com>")).startsWith("250");
            reply = c.data("X-MS-Exchange-CrossPremises-AuthSource: exch01.corp.contoso.com\r\n"
                    + "X-MS-Exchange-CrossPremises-OriginalClientIPAddress: 10.1.2.3\r\n" + from("alice@contoso.com"));
        }
        assertThat(reply).startsWith("250");
        assertThat(recipientFacts(reply)).containsExactly("bob@contoso.com|Local|CO-HYB|Originating|Internal|false",
                "dave@gmail.com|AwaitingRelay|CO-HYB|Originating|Internal|false");
        String msg = delivered(t1, "bob@contoso.com", reply);
        assertThat(header(msg, "X-MS-Exchange-Organization-AuthAs")).containsExactly("Internal");
        assertThat(header(msg, "X-MS-Exchange-Organization-AuthMechanism")).containsExactly("10");
        assertThat(header(msg, "X-MS-Exchange-Organization-MessageDirectionality")).containsExactly("Originating");
        assertThat(header(msg, "X-MS-Exchange-CrossTenant-FromEntityHeader")).containsExactly("HybridOnPrem");
        // CloudServicesMailEnabled: the on-premises server's cross-premises headers are promoted, not kept
        assertThat(header(msg, "X-MS-Exchange-Organization-AuthSource")).containsExactly("exch01.corp.contoso.com");
        assertThat(header(msg, "X-MS-Exchange-Organization-OriginalClientIPAddress")).containsExactly("10.1.2.3");
        assertThat(header(msg, "X-CrossPremisesHeadersPromoted")).hasSize(1);
        assertThat(header(msg, "X-CrossPremisesHeadersFiltered")).hasSize(1);
        assertThat(msg).doesNotContainIgnoringCase("X-MS-Exchange-CrossPremises-");
    }

    @Test
    void scenario14_relayNeedsTheCertificateDomainOrAnAcceptedMailFromDomain() throws Exception {
        ok(t1, CO_HYB);
        ok(t1, "New-InboundConnector CO-IP -ConnectorType OnPremises -SenderDomains * -SenderIPAddresses 127.0.0.60");
        try (SmtpTestClient c = connectTls("127.0.0.50", pki.issue("mail.contoso.com"))) {
            assertThat(rcpt(c, "x@unrelated.example", "dave@gmail.com")).startsWith("250");
        }
        try (SmtpTestClient c = connect("127.0.0.60")) {
            assertThat(rcpt(c, "x@unrelated.example", "dave@gmail.com")).isEqualTo(RELAY_DENIED);
            assertThat(c.cmd("RSET")).startsWith("250");
            assertThat(rcpt(c, "app@contoso.com", "dave@gmail.com")).startsWith("250");
        }
        // a non-wildcard name that is not itself an accepted domain never attributes (spec §3.2)
        ok(t1, "Set-InboundConnector CO-HYB -TlsSenderCertificateName mail.contoso.com");
        try (SmtpTestClient c = connectTls("127.0.0.50", pki.issue("mail.contoso.com"))) {
            assertThat(rcpt(c, "alice@contoso.com", "dave@gmail.com")).isEqualTo(RELAY_DENIED);
        }
    }

    @Test
    void scenario15_noTenantMeansRelayDenied() throws Exception {
        try (SmtpTestClient c = connect("127.0.0.50")) {
            assertThat(rcpt(c, "x@evil.example", "dave@gmail.com")).isEqualTo(RELAY_DENIED);
        }
    }

    @Test
    void scenario16_theRecipientsTenantDecides_andEachTenantGetsItsOwnStamps() throws Exception {
        ok(t1, "Set-OrganizationConfig -RejectDirectSend $true");
        ok(t1, CP_LOCK);
        String reply;
        try (SmtpTestClient c = connect("127.0.0.50")) {
            assertThat(rcpt(c, "x@contoso.com", "carol@fabrikam.com")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<bob@contoso.com>")).isEqualTo(LOCKDOWN);
            reply = c.data(from("x@contoso.com"));
        }
        String carol = delivered(t2, "carol@fabrikam.com", reply);
        assertThat(header(carol, "X-MS-Exchange-CrossTenant-Id")).containsExactly(t2.Guid());
        ok(t1, "Get-InboundConnector | Remove-InboundConnector");
        try (SmtpTestClient c = connect("127.0.0.50")) {
            assertThat(rcpt(c, "x@fabrikam.com", "carol@fabrikam.com")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<bob@contoso.com>")).startsWith("250");
            reply = c.data(from("x@fabrikam.com"));
        }
        String toCarol = delivered(t2, "carol@fabrikam.com", reply);
        String toBob = delivered(t1, "bob@contoso.com", reply);
        assertThat(header(toCarol, "X-EOPTenantAttributedMessage")).containsExactly(t2.Guid() + ":0");
        assertThat(header(toBob, "X-EOPTenantAttributedMessage")).containsExactly(t1.Guid() + ":0");
        assertThat(header(toBob, "X-MS-Exchange-CrossTenant-Id")).containsExactly(t1.Guid());
        assertThat(recipientFacts(reply)).containsExactly("bob@contoso.com|Local||Incoming|Anonymous|false",
                "carol@fabrikam.com|Local||Incoming|Anonymous|true");
    }

    @Test
    void scenario17_unknownRecipientIsRefusedByDbeb() throws Exception {
        try (SmtpTestClient c = connect("127.0.0.50")) {
            assertThat(rcpt(c, "x@evil.example", "nobody@contoso.com")).isEqualTo(DBEB);
        }
    }

    @Test
    void scenario20_forgedOrganizationHeadersNeverSurvive() throws Exception {
        String reply;
        try (SmtpTestClient c = connect("127.0.0.50")) {
            assertThat(rcpt(c, "x@evil.example", "bob@contoso.com")).startsWith("250");
            reply = c.data("X-MS-Exchange-Organization-AuthAs: Internal\r\nX-MS-Exchange-Organization-MessageDirectionality: Originating\r\n"
                    + "X-EOPTenantAttributedMessage: 00000000-0000-0000-0000-000000000000:0\r\n"
                    + "X-MS-Exchange-CrossTenant-AuthAs: Internal\r\n" + from("alice@contoso.com"));
        }
        String msg = delivered(t1, "bob@contoso.com", reply);
        assertThat(header(msg, "X-MS-Exchange-Organization-AuthAs")).containsExactly("Anonymous");
        assertThat(header(msg, "X-MS-Exchange-Organization-MessageDirectionality")).containsExactly("Incoming");
        assertThat(header(msg, "X-MS-Exchange-CrossTenant-AuthAs")).containsExactly("Anonymous");
        assertThat(header(msg, "X-EOPTenantAttributedMessage")).containsExactly(t1.Guid() + ":0");
    }

    @Test
    void scenario24_connectorValidation() {
        assertThat(error(t1, "New-InboundConnector V1 -SenderDomains * -SenderIPAddresses 192.0.2.1-192.0.2.254"))
                .isEqualTo("-SenderIPAddresses '192.0.2.1-192.0.2.254': address ranges are not supported; give an IPv4 address or a CIDR block /24 to /32");
        assertThat(error(t1, "New-InboundConnector V1 -SenderDomains * -SenderIPAddresses 192.0.2.0/23"))
                .isEqualTo("-SenderIPAddresses '192.0.2.0/23': a connector accepts only a single IPv4 address or a CIDR block /24 to /32");
        assertThat(error(t1, "New-InboundConnector V1 -SenderDomains * -SenderIPAddresses 2001:db8::1"))
                .isEqualTo("-SenderIPAddresses '2001:db8::1': IPv6 addresses are not supported; give an IPv4 address or a CIDR block /24 to /32");
        assertThat(error(t1, "New-InboundConnector V1 -ConnectorType Partner -SenderDomains * -TreatMessagesAsInternal $true"))
                .isEqualTo("-TreatMessagesAsInternal $true is allowed only on an OnPremises connector (this one is Partner)");
        assertThat(error(t1, "New-InboundConnector V1 -ConnectorType OnPremises -SenderDomains * -TreatMessagesAsInternal $true -CloudServicesMailEnabled $true"))
                .isEqualTo("-TreatMessagesAsInternal $true can't be combined with -CloudServicesMailEnabled $true");
        assertThat(error(t1, "New-InboundConnector V1 -SenderDomains domain.*.contoso.com"))
                .isEqualTo("-SenderDomains 'domain.*.contoso.com': a wildcard is allowed only as the first label (*.contoso.com)");
        assertThat(error(t1, "New-InboundConnector V1 -SenderDomains * -TlsSenderCertificateName mail*.contoso.com"))
                .isEqualTo("-TlsSenderCertificateName 'mail*.contoso.com': a wildcard is allowed only as the first label (*.contoso.com)");
        assertThat(error(t1, "New-InboundConnector V1 -SenderDomains * -TlsSenderCertificateThumbprint abc"))
                .isEqualTo("-TlsSenderCertificateThumbprint 'abc' is not a SHA-256 fingerprint (64 hexadecimal digits)");
        ok(t1, "New-InboundConnector V1 -SenderDomains *.contoso.com,partner.example -SenderIPAddresses 192.0.2.0/24,198.51.100.7");
        assertThat(ok(t1, "Get-InboundConnector V1").output()).contains("*.contoso.com").contains("192.0.2.0/24");
        assertThat(error(t1, "New-InboundConnector v1 -SenderDomains *")).isEqualTo("An inbound connector with the name 'v1' already exists");
        assertThat(run(t2, "Get-InboundConnector V1").errors()).isNotEmpty(); // tenant-scoped
    }

    @Test
    void directSendReportListsWhatRejectDirectSendWouldRefuse() throws Exception {
        ok(t1, CP_IP);
        try (SmtpTestClient c = connect("127.0.0.50")) {
            rcpt(c, "scanner@contoso.com", "bob@contoso.com");
            assertThat(c.data(from("scanner@contoso.com"))).startsWith("250");
            rcpt(c, "x@evil.example", "bob@contoso.com");
            assertThat(c.data(from("x@evil.example"))).startsWith("250");
        }
        try (SmtpTestClient c = connect("127.0.0.7")) {
            rcpt(c, "scanner@contoso.com", "bob@contoso.com");
            assertThat(c.data(from("scanner@contoso.com"))).startsWith("250");
        }
        RunResult r = ok(t1, "Get-DirectSendReport -StartDate 2020-01-01 -EndDate 2100-01-01");
        assertThat(r.objects()).isNotEmpty();
        assertThat(r.objects().stream().map(Object::toString).toList())
                .anyMatch(s -> s.contains("SenderIP=127.0.0.50") && s.contains("MailFromDomain=contoso.com"))
                .noneMatch(s -> s.contains("127.0.0.7"))
                .noneMatch(s -> s.contains("evil.example"));
        assertThat(ok(t2, "Get-DirectSendReport -StartDate 2020-01-01 -EndDate 2100-01-01").objects()).isEmpty();
    }
    @Test
    void onPremisesIpConnectorWithTreatMessagesAsInternalStampsInternalWithoutAuthMechanism() throws Exception {
        ok(t1, "Set-OrganizationConfig -RejectDirectSend $true");
        ok(t1, "New-InboundConnector CO-APP -ConnectorType OnPremises -SenderDomains * -SenderIPAddresses 127.0.0.60 -TreatMessagesAsInternal $true");
        String reply;
        try (SmtpTestClient c = connect("127.0.0.60")) {
            assertThat(rcpt(c, "app@contoso.com", "bob@contoso.com")).startsWith("250");
            reply = c.data(from("app@contoso.com"));
        }
        String msg = delivered(t1, "bob@contoso.com", reply);
        assertThat(header(msg, "X-MS-Exchange-Organization-AuthAs")).containsExactly("Internal");
        assertThat(header(msg, "X-MS-Exchange-Organization-MessageDirectionality")).containsExactly("Originating");
        assertThat(header(msg, "X-MS-Exchange-Organization-AuthMechanism")).isEmpty();
        assertThat(recipientFacts(reply)).containsExactly("bob@contoso.com|Local|CO-APP|Originating|Internal|false");
        // the MAIL FROM domain must be accepted for IP attribution: otherwise Incoming, default connector
        try (SmtpTestClient c = connect("127.0.0.60")) {
            assertThat(rcpt(c, "app@unrelated.example", "bob@contoso.com")).startsWith("250");
            assertThat(recipientFacts(c.data(from("app@unrelated.example")))).containsExactly("bob@contoso.com|Local||Incoming|Anonymous|false");
        }
    }

    @Test
    void associatedAcceptedDomainsScopeAPartnerConnectorToSomeRecipientDomains() throws Exception {
        ok(t1, "New-Mailbox ops -PrimarySmtpAddress ops@contoso.onmicrosoft.com");
        try {
            ok(t1, CP_LOCK + " -AssociatedAcceptedDomains contoso.onmicrosoft.com");
            assertThat(error(t1, "Set-InboundConnector CP-LOCK -AssociatedAcceptedDomains fabrikam.com"))
                    .isEqualTo("-AssociatedAcceptedDomains 'fabrikam.com' is not an accepted domain of this organization");
            try (SmtpTestClient c = connect("127.0.0.99")) {
                SmtpTestClient.expect(c.cmd("MAIL FROM:<news@partner.example>"), "250");
                assertThat(c.cmd("RCPT TO:<ops@contoso.onmicrosoft.com>")).isEqualTo(LOCKDOWN);
                assertThat(c.cmd("RCPT TO:<bob@contoso.com>")).startsWith("250");
            }
        } finally {
            ok(t1, "Remove-Mailbox ops");
        }
    }

    @Test
    void anOriginatingTransactionToAnotherTenantIsIncomingThere() throws Exception {
        ok(t1, CO_HYB);
        ok(t2, "Set-OrganizationConfig -RejectDirectSend $true");
        ok(t2, "New-AcceptedDomain fabrikam.net -DomainName fabrikam.net");
        String reply;
        try (SmtpTestClient c = connectTls("127.0.0.50", pki.issue("mail.contoso.com"))) {
            assertThat(rcpt(c, "alice@contoso.com", "carol@fabrikam.com")).startsWith("250");
            reply = c.data(from("alice@contoso.com"));
        }
        String msg = delivered(t2, "carol@fabrikam.com", reply);
        assertThat(header(msg, "X-MS-Exchange-Organization-AuthAs")).containsExactly("Anonymous");
        assertThat(header(msg, "X-MS-Exchange-CrossTenant-Id")).containsExactly(t2.Guid());
        try (SmtpTestClient c = connectTls("127.0.0.50", pki.issue("mail.contoso.com"))) {
            assertThat(rcpt(c, "x@fabrikam.net", "carol@fabrikam.com")).isEqualTo(DIRECT_SEND);
        } finally {
            ok(t2, "Remove-AcceptedDomain fabrikam.net");
        }
    }
}
