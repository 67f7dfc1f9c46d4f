// Enhanced Filtering end to end: a tenant whose MX is a third-party filter, real SMTP from the filter's address, real admin API.
package dev.gatehouse.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.store.TestDatabase;

/**
 * The seed article's "MX records point to different services" case (spec scenario 11 with Enhanced Filtering): Contoso's
 * connector CP-LOCK accepts mail only from the filtering service (192.0.2.0/24, mapped to loopback 127.0.2.0/24 here, as
 * in {@link ConnectorScenarios}) and skips the service's hops with {@code -EFSkipIPs 192.0.2.0/24}: the public addresses
 * its internal relays write in the Received fields. The connecting loopback address is skipped as any loopback address
 * is. The rule {@code -SenderIpRanges 203.0.113.0/24 -SetHeaderName X-Original -SetHeaderValue yes} shows, in the
 * delivered copy, which address the rules saw. Every command is typed as an admin types it, with a tenant admin token
 * over the admin API. Subclasses choose the store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EnhancedFilteringScenarios {
    static final String CONTOSO = "Contoso";
    static final String FABRIKAM = "Fabrikam";
    static final String FILTER = "127.0.2.25";
    static final String CP_LOCK = "New-InboundConnector CP-LOCK -ConnectorType Partner -SenderDomains * -RestrictDomainsToIPAddresses $true"
            + " -SenderIPAddresses 127.0.2.0/24";
    /** The filtering service's outbound relay received the message from its inbound server, 192.0.2.26. */
    static final String FILTER_OUT = "Received: from mx1.filter.example (mx1.filter.example [192.0.2.26])\r\n"
            + "\tby out1.filter.example (Postfix) with ESMTP id 4Xa1; Tue, 1 Dec 2026 10:00:01 +0000\r\n";
    /** The service's inbound server received it from the Internet sender. */
    static final String FILTER_IN = "Received: from mail.example.com (mail.example.com [203.0.113.50])\r\n"
            + "\tby mx1.filter.example (Postfix) with ESMTPS id 4Xa0; Tue, 1 Dec 2026 10:00:00 +0000\r\n";

    AdminHarness h;
    String contosoGuid;
    String contosoToken;
    String fabrikamToken;

    abstract TestDatabase.Kind kind();

    @BeforeAll
    void start() throws IOException {
        h = new AdminHarness(kind());
        contosoGuid = h.ok(null, "New-Tenant", Map.of("Name", CONTOSO)).get(0).path("Guid").asText();
        h.ok(CONTOSO, "New-AcceptedDomain", Map.of("Name", "contoso.com", "DomainName", "contoso.com"));
        h.ok(CONTOSO, "New-Mailbox", Map.of("Name", "alice", "PrimarySmtpAddress", "alice@contoso.com"));
        h.ok(CONTOSO, "New-Mailbox", Map.of("Name", "bob", "PrimarySmtpAddress", "bob@contoso.com", "EmailAddresses",
                List.of("smtp:robert@contoso.com")));
        contosoToken = h.adminToken(CONTOSO, "contoso-admin");
        h.organization(FABRIKAM, "fabrikam.com", "carol");
        fabrikamToken = h.adminToken(FABRIKAM, "fabrikam-admin");
        ps(contosoToken, CONTOSO, "New-TransportRule \"Original sender\" -SenderIpRanges 203.0.113.0/24 -SetHeaderName X-Original"
                + " -SetHeaderValue yes");
        ps(fabrikamToken, FABRIKAM, "New-TransportRule \"Original sender\" -SenderIpRanges 203.0.113.0/24 -SetHeaderName X-Original"
                + " -SetHeaderValue yes");
    }

    @AfterAll
    void stop() {
        if (h != null) h.close();
    }

    /** Every test starts from the gateway connector with Enhanced Filtering on the service's addresses. */
    @BeforeEach
    void reset() {
        ps(contosoToken, CONTOSO, "Get-InboundConnector | Remove-InboundConnector");
        ps(contosoToken, CONTOSO, CP_LOCK + " -EFSkipIPs 192.0.2.0/24");
    }

    // ---- the article's case ----

    @Test
    void theRuleSeesTheOriginalClientBehindTheFilter() throws Exception {
        String id = send(FILTER, List.of("bob@contoso.com"), FILTER_OUT + FILTER_IN);
        String copy = delivered("bob@contoso.com", id);
        assertThat(header(copy, "X-Original")).containsExactly("yes");
        assertThat(header(copy, "X-MS-Exchange-ExternalOriginalInternetSender")).containsExactly("ip=[203.0.113.50];domain=mail.example.com");
        assertThat(header(copy, "X-MS-Exchange-SkipListedInternetSender")).containsExactly("ip=[203.0.113.50];domain=mail.example.com");
        assertThat(enhancedFilteringEvents(id, "bob@contoso.com")).containsExactly("Enhanced Filtering: original client 203.0.113.50,"
                + " skipped 127.0.2.25, 192.0.2.26 (connector 'CP-LOCK')");
        // message trace still shows where the message came from: the filter
        assertThat(trace(id).path("FromIP").asText()).isEqualTo(FILTER);
    }

    @Test
    void withoutEnhancedFilteringTheRuleSeesTheFilter() throws Exception {
        ps(contosoToken, CONTOSO, "Set-InboundConnector CP-LOCK -EFSkipIPs $null");
        String id = send(FILTER, List.of("bob@contoso.com"), FILTER_OUT + FILTER_IN);
        String copy = delivered("bob@contoso.com", id);
        assertThat(header(copy, "X-Original")).isEmpty();
        assertThat(header(copy, "X-MS-Exchange-ExternalOriginalInternetSender")).isEmpty();
        assertThat(header(copy, "X-MS-Exchange-SkipListedInternetSender")).isEmpty();
        assertThat(enhancedFilteringEvents(id, "bob@contoso.com")).isEmpty();
    }

    @Test
    void skippingTheWrongAddressesFindsTheFiltersOwnHop() throws Exception {
        ps(contosoToken, CONTOSO, "Set-InboundConnector CP-LOCK -EFSkipIPs 198.51.100.0/24");
        String id = send(FILTER, List.of("bob@contoso.com"), FILTER_OUT + FILTER_IN);
        assertThat(header(delivered("bob@contoso.com", id), "X-Original")).isEmpty();
        assertThat(enhancedFilteringEvents(id, "bob@contoso.com"))
                .containsExactly("Enhanced Filtering: original client 192.0.2.26, skipped 127.0.2.25 (connector 'CP-LOCK')");
    }

    @Test
    void skipLastIpTakesTheAddressTheConnectingServerWrote() throws Exception {
        ps(contosoToken, CONTOSO, "Set-InboundConnector CP-LOCK -EFSkipIPs $null -EFSkipLastIP $true");
        String id = send(FILTER, List.of("bob@contoso.com"), FILTER_IN);
        assertThat(header(delivered("bob@contoso.com", id), "X-Original")).containsExactly("yes");
        // only the last hop: the service's own second hop is now the "original client"
        id = send(FILTER, List.of("bob@contoso.com"), FILTER_OUT + FILTER_IN);
        assertThat(header(delivered("bob@contoso.com", id), "X-Original")).isEmpty();
        assertThat(enhancedFilteringEvents(id, "bob@contoso.com"))
                .containsExactly("Enhanced Filtering: original client 192.0.2.26, skipped 127.0.2.25 (connector 'CP-LOCK')");
    }

    // ---- EFUsers ----

    @Test
    void efUsersLimitsItToMessagesWhoseRecipientsAreAllListed() throws Exception {
        ps(contosoToken, CONTOSO, "Set-InboundConnector CP-LOCK -EFUsers alice@contoso.com");
        String toAlice = send(FILTER, List.of("alice@contoso.com"), FILTER_OUT + FILTER_IN);
        assertThat(header(delivered("alice@contoso.com", toAlice), "X-Original")).containsExactly("yes");

        String toBob = send(FILTER, List.of("bob@contoso.com"), FILTER_OUT + FILTER_IN);
        String bobsCopy = delivered("bob@contoso.com", toBob);
        assertThat(header(bobsCopy, "X-Original")).isEmpty();
        assertThat(header(bobsCopy, "X-MS-Exchange-ExternalOriginalInternetSender")).isEmpty();
        assertThat(header(bobsCopy, "X-MS-Exchange-SkipListedInternetSender")).as("what if").containsExactly("ip=[203.0.113.50];domain=mail.example.com");
        assertThat(enhancedFilteringEvents(toBob, "bob@contoso.com")).singleElement().asString()
                .endsWith("; not applied: EFUsers doesn't list every recipient of the message, so the connecting address 127.0.2.25 is used");

        // Exchange: with any recipient not listed, nobody's copy uses the original client
        String toBoth = send(FILTER, List.of("alice@contoso.com", "bob@contoso.com"), FILTER_OUT + FILTER_IN);
        assertThat(header(delivered("alice@contoso.com", toBoth), "X-Original")).isEmpty();
        assertThat(header(delivered("bob@contoso.com", toBoth), "X-Original")).isEmpty();

        // another address of a listed mailbox stands for the mailbox
        ps(contosoToken, CONTOSO, "Set-InboundConnector CP-LOCK -EFUsers @{Add='robert@contoso.com'; Remove='alice@contoso.com'}");
        assertThat(efUsers()).containsExactly("robert@contoso.com");
        String toRobert = send(FILTER, List.of("robert@contoso.com"), FILTER_OUT + FILTER_IN);
        assertThat(header(delivered("bob@contoso.com", toRobert), "X-Original")).containsExactly("yes");
    }

    // ---- attacks ----

    @Test
    void aForgedChainCannotPushTheOriginalClientPastTheFirstHopThatIsNotSkipped() throws Exception {
        // the sender, at 203.0.114.9, wrote fields claiming the message came from 203.0.113.50 through the service;
        // the service's own field below its outbound hop names the sender's real address
        String forged = FILTER_OUT
                + "Received: from mail.example.com (unknown [203.0.114.9]) by mx1.filter.example (Postfix) with ESMTP id 4Xb0\r\n"
                + "Received: from mx1.filter.example (mx1.filter.example [192.0.2.27]) by out1.filter.example\r\n"
                + FILTER_IN;
        String id = send(FILTER, List.of("bob@contoso.com"), forged);
        String copy = delivered("bob@contoso.com", id);
        assertThat(header(copy, "X-Original")).isEmpty();
        assertThat(header(copy, "X-MS-Exchange-ExternalOriginalInternetSender")).containsExactly("ip=[203.0.114.9];domain=mail.example.com");
        // a HELO naming a skipped address is the client's word, not the service's
        id = send(FILTER, List.of("bob@contoso.com"), FILTER_OUT
                + "Received: from [192.0.2.28] (unknown [203.0.114.9]) by mx1.filter.example (Postfix) with ESMTP id 4Xb1\r\n" + FILTER_IN);
        assertThat(header(delivered("bob@contoso.com", id), "X-MS-Exchange-ExternalOriginalInternetSender"))
                .containsExactly("ip=[203.0.114.9]");
    }

    @Test
    void forgedEnhancedFilteringFieldsAreRemovedAndReplaced() throws Exception {
        String id = send(FILTER, List.of("bob@contoso.com"), "X-MS-Exchange-ExternalOriginalInternetSender: ip=[203.0.113.77];domain=x\r\n"
                + "X-MS-Exchange-SkipListedInternetSender: ip=[203.0.113.77];domain=x\r\n" + FILTER_OUT + FILTER_IN);
        String copy = delivered("bob@contoso.com", id);
        assertThat(header(copy, "X-MS-Exchange-ExternalOriginalInternetSender")).containsExactly("ip=[203.0.113.50];domain=mail.example.com");
        assertThat(header(copy, "X-MS-Exchange-SkipListedInternetSender")).containsExactly("ip=[203.0.113.50];domain=mail.example.com");
    }

    @Test
    void aFloodOfSkippedHopsOrAMalformedFieldLeavesTheConnectingAddress() throws Exception {
        StringBuilder flood = new StringBuilder();
        for (int i = 0; i < 40; i++) flood.append("Received: from relay").append(i).append(" (relay [192.0.2.").append(100 + i).append("]) by relay\r\n");
        String id = send(FILTER, List.of("bob@contoso.com"), flood + FILTER_IN);
        assertThat(header(delivered("bob@contoso.com", id), "X-Original")).isEmpty();
        assertThat(enhancedFilteringEvents(id, "bob@contoso.com")).singleElement().asString()
                .startsWith("Enhanced Filtering: no original client found in the first 20 Received fields, skipped 127.0.2.25, 192.0.2.100,")
                .endsWith("; the connecting address 127.0.2.25 is used (connector 'CP-LOCK')");

        id = send(FILTER, List.of("bob@contoso.com"), "Received: from mail.example.com (mail.example.com [203.0.113.50) by mx1\r\n"
                + FILTER_IN);
        assertThat(header(delivered("bob@contoso.com", id), "X-Original")).isEmpty();
        assertThat(enhancedFilteringEvents(id, "bob@contoso.com")).containsExactly("Enhanced Filtering: no original client found, Received"
                + " field 1 names no usable sending address, skipped 127.0.2.25; the connecting address 127.0.2.25 is used (connector 'CP-LOCK')");
    }

    @Test
    void withoutAConnectorAReceivedFieldIsJustText() throws Exception {
        // Fabrikam has no connector: a direct sender's own Received field is never believed
        String id = send("127.0.0.50", List.of("carol@fabrikam.com"), FILTER_IN);
        String copy = deliveredTo(fabrikamGuid(), "carol@fabrikam.com", id);
        assertThat(header(copy, "X-Original")).isEmpty();
        assertThat(header(copy, "X-MS-Exchange-SkipListedInternetSender")).isEmpty();
    }

    @Test
    void anotherTenantsCopyOfTheSameTransactionKeepsTheConnectingAddress() throws Exception {
        String id = send(FILTER, List.of("bob@contoso.com", "carol@fabrikam.com"), FILTER_OUT + FILTER_IN);
        assertThat(header(delivered("bob@contoso.com", id), "X-Original")).containsExactly("yes");
        String carols = deliveredTo(fabrikamGuid(), "carol@fabrikam.com", id);
        assertThat(header(carols, "X-Original")).isEmpty();
        assertThat(header(carols, "X-MS-Exchange-ExternalOriginalInternetSender")).isEmpty();
    }

    // ---- the cmdlets ----

    @Test
    void parametersAreValidatedStoredAndShown() {
        ps(contosoToken, CONTOSO, "Set-InboundConnector CP-LOCK -EFSkipIPs 192.0.2.25,198.51.100.1-198.51.100.30,2001:DB8:25::/48"
                + " -EFUsers Alice@Contoso.com,bob@contoso.com");
        String shown = output(contosoToken, CONTOSO, "Get-InboundConnector CP-LOCK | Format-List");
        assertThat(shown).containsPattern("EFSkipLastIP\\s*: False").contains("192.0.2.25", "198.51.100.1-198.51.100.30", "2001:db8:25::/48",
                "Alice@contoso.com", "bob@contoso.com");
        ps(contosoToken, CONTOSO, "Set-InboundConnector CP-LOCK -EFSkipIPs @{Add='203.0.113.200'; Remove='2001:db8:25::/48','192.0.2.25'}");
        assertThat(efSkipIps()).containsExactly("198.51.100.1-198.51.100.30", "203.0.113.200");

        assertThat(error("Set-InboundConnector CP-LOCK -EFSkipIPs 10.0.0.0/8")).isEqualTo("Set-InboundConnector: -EFSkipIPs '10.0.0.0/8':"
                + " it includes 10.0.0.0/8 (RFC 1918 private) addresses, which Enhanced Filtering always skips; list only the public"
                + " addresses of the servers in front of Gatehouse");
        assertThat(error("New-InboundConnector V1 -SenderDomains * -EFSkipIPs 203.0.113.1,192.168.10.1-192.168.10.20"))
                .isEqualTo("New-InboundConnector: -EFSkipIPs '192.168.10.1-192.168.10.20': it includes 192.168.0.0/16 (RFC 1918 private)"
                        + " addresses, which Enhanced Filtering always skips; list only the public addresses of the servers in front of Gatehouse");
        assertThat(error("Set-InboundConnector CP-LOCK -EFSkipIPs fe80::1")).contains("-EFSkipIPs 'fe80::1': it includes fe80::/10 (link-local)");
        assertThat(error("Set-InboundConnector CP-LOCK -EFSkipIPs 127.0.2.25")).contains("-EFSkipIPs '127.0.2.25': it includes 127.0.0.0/8 (loopback)");
        assertThat(error("Set-InboundConnector CP-LOCK -EFSkipIPs mx.filter.example")).isEqualTo("Set-InboundConnector: -EFSkipIPs"
                + " 'mx.filter.example': not an IP address, a range (192.0.2.1-192.0.2.254) or a CIDR block (192.0.2.0/24, 2001:db8::/32)");
        assertThat(error("Set-InboundConnector CP-LOCK -EFSkipIPs 192.0.2.0/40")).contains("-EFSkipIPs '192.0.2.0/40': not an IP address");
        assertThat(error("Set-InboundConnector CP-LOCK -EFUsers bob")).isEqualTo("Set-InboundConnector: -EFUsers 'bob' is not a valid"
                + " SMTP address (give recipients such as bob@contoso.com)");
        assertThat(efSkipIps()).as("a refused change changes nothing").containsExactly("198.51.100.1-198.51.100.30", "203.0.113.200");
        assertThat(error("New-InboundConnector V1 -SenderDomains * -EFSkipLastIP maybe")).contains("EFSkipLastIP");
        assertThat(h.runScript(fabrikamToken, FABRIKAM, "Get-InboundConnector CP-LOCK", false).json().path("Success").asBoolean())
                .as("tenant-scoped").isFalse();
    }

    @Test
    void settingsThatDoNothingAreNamedInAWarning() {
        JsonNode both = h.runScript(contosoToken, CONTOSO, "Set-InboundConnector CP-LOCK -EFSkipLastIP $true", false).json();
        assertThat(both.path("Success").asBoolean()).isTrue();
        assertThat(both.path("Warnings").toString()).contains("-EFSkipIPs of 'CP-LOCK' is kept but not used while -EFSkipLastIP is $true");
        JsonNode off = h.runScript(contosoToken, CONTOSO, "New-InboundConnector V2 -SenderDomains contoso.com -EFUsers bob@contoso.com", false).json();
        assertThat(off.path("Success").asBoolean()).isTrue();
        assertThat(off.path("Warnings").toString()).contains("-EFUsers of 'V2' has no effect: Enhanced Filtering is off");
        JsonNode fine = h.runScript(contosoToken, CONTOSO, "Set-InboundConnector CP-LOCK -EFSkipLastIP $false", false).json();
        assertThat(fine.path("Warnings").size()).isZero();
    }

    // ---- helpers ----

    void ps(String token, String tenant, String script) {
        AdminHarness.Response r = h.runScript(token, tenant, script, false);
        assertThat(r.json().path("Success").asBoolean()).as("%s -> %s", script, r).isTrue();
    }

    String output(String token, String tenant, String script) {
        AdminHarness.Response r = h.runScript(token, tenant, script, false);
        assertThat(r.json().path("Success").asBoolean()).as("%s -> %s", script, r).isTrue();
        return r.json().path("Output").asText();
    }

    String error(String script) {
        JsonNode r = h.runScript(contosoToken, CONTOSO, script, false).json();
        assertThat(r.path("Success").asBoolean()).as(script).isFalse();
        return r.path("Errors").get(0).asText();
    }

    List<String> efSkipIps() { return strings(connector().path("EFSkipIPs")); }

    List<String> efUsers() { return strings(connector().path("EFUsers")); }

    JsonNode connector() { return h.ok(CONTOSO, "Get-InboundConnector", Map.of("Identity", "CP-LOCK")).get(0); }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Sends one message from {@code ip} (after the given trace fields); answers its network message id. */
    String send(String ip, List<String> rcpts, String receivedFields) throws IOException {
        try (var smtp = h.smtpFrom(ip)) {
            String reply = smtp.sendMessage("news@partner.example", rcpts, receivedFields + "From: news@partner.example\r\nSubject: EF test\r\n"
                    + "Message-ID: <" + System.nanoTime() + "@partner.example>\r\n\r\nbody\r\n");
            assertThat(reply).startsWith("250");
            return reply.substring(reply.lastIndexOf(' ') + 1);
        }
    }

    String fabrikamGuid() { return h.ok(null, "Get-Tenant", Map.of("Identity", FABRIKAM)).get(0).path("Guid").asText(); }

    String delivered(String mailbox, String networkMessageId) { return deliveredTo(contosoGuid, mailbox, networkMessageId); }

    /** The delivered copy of this message in the mailbox's Maildir, once delivered. */
    String deliveredTo(String tenantGuid, String mailbox, String networkMessageId) {
        Path neu = h.db.dir().resolve("data").resolve("mail").resolve(tenantGuid).resolve(mailbox).resolve("new");
        String[] found = new String[1];
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(25)).until(() -> {
            if (!Files.isDirectory(neu)) return false;
            try (Stream<Path> files = Files.list(neu)) {
                for (Path f : files.toList()) {
                    String s = Files.readString(f, StandardCharsets.ISO_8859_1);
                    if (s.contains("X-MS-Exchange-Organization-Network-Message-Id: " + networkMessageId)) {
                        found[0] = s;
                        return true;
                    }
                }
            }
            return false;
        });
        return found[0];
    }

    /** The values of the header fields named {@code name} (single-line fields). */
    static List<String> header(String message, String name) {
        List<String> out = new ArrayList<>();
        for (String line : message.substring(0, message.indexOf("\r\n\r\n")).split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) out.add(line.substring(name.length() + 1).strip());
        }
        return out;
    }

    JsonNode trace(String id) {
        JsonNode rows = h.ok(CONTOSO, "Get-MessageTraceV2", Map.of("MessageTraceId", id));
        assertThat(rows.size()).as("%s", rows).isGreaterThanOrEqualTo(1);
        return rows.get(0);
    }

    /** The Detail of the recipient's "Enhanced Filtering" trace events. */
    List<String> enhancedFilteringEvents(String id, String recipient) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : h.ok(CONTOSO, "Get-MessageTraceDetailV2", Map.of("MessageTraceId", id, "RecipientAddress", recipient))) {
            if (e.path("Event").asText().equals("Enhanced Filtering")) out.add(e.path("Detail").asText());
        }
        return out;
    }
}
