// What the handler leaves behind for every refusal: a refusal log row at RCPT TO, a message trace record for a rule's refusal at DATA.
package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.admin.AdminCmdlets;
import dev.gatehouse.admin.AdminContext;
import dev.gatehouse.admin.AdminServices;
import dev.gatehouse.admin.Principal;
import dev.gatehouse.attribution.RefusalLog;
import dev.gatehouse.cmdlet.PipelineRunner;
import dev.gatehouse.config.GatewayConfig;
import dev.gatehouse.directory.AcceptedDomainService;
import dev.gatehouse.directory.DomainType;
import dev.gatehouse.directory.MailboxService;
import dev.gatehouse.directory.OrganizationConfigService;
import dev.gatehouse.directory.OrganizationSettings;
import dev.gatehouse.directory.Tenant;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.it.RawSmtpClient;
import dev.gatehouse.pipeline.RefusalReason;
import dev.gatehouse.queue.MessageTraceEvent;
import dev.gatehouse.queue.TraceEventType;
import dev.gatehouse.queue.TraceRecipient;
import dev.gatehouse.rules.RuleErrorAction;
import dev.gatehouse.rules.RuleService;
import dev.gatehouse.rules.TransportRule;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.TestDatabase;
import dev.gatehouse.trace.TraceService;

/** An in-process gateway on each store: Contoso (contoso.com: alice, bob), Fabrikam (fabrikam.com: carol); clients connect from 127.0.0.50. */
@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class GatewayMailHandlerTest {

    static final String CLIENT_IP = "127.0.0.50";
    static final String RELAY_DENIED = "550 5.7.64 TenantAttribution; Relay Access Denied";
    static final String UNKNOWN_RECIPIENT = "550 5.4.1 Recipient address rejected: Access denied";
    static final String DIRECT_SEND = "550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources";

    @Parameter
    TestDatabase.Kind kind;
    TestDatabase db;
    Gateway gateway;
    Store store;
    Tenant contoso;
    Tenant fabrikam;

    @BeforeEach
    void start() throws IOException {
        db = new TestDatabase(kind);
        gateway = new Gateway(new GatewayConfig(db.dir(), "mx.gatehouse.test", "127.0.0.1", 0, "127.0.0.1", 0, db.url(), null, null, List.of(),
                10L << 20, 1000, 100, 100, Duration.ofSeconds(60), Duration.ofSeconds(2), "node-test")
                .withDns(dev.gatehouse.dns.testing.DnsServer.OFF, java.time.Duration.ofSeconds(1))).start();
        store = gateway.store();
        contoso = new TenantService(store).create("Contoso");
        fabrikam = new TenantService(store).create("Fabrikam");
        new AcceptedDomainService(store).create(contoso.id(), "contoso.com", DomainType.Authoritative, false);
        new AcceptedDomainService(store).create(fabrikam.id(), "fabrikam.com", DomainType.Authoritative, false);
        new MailboxService(store).create(contoso.id(), "Alice", "alice@contoso.com", null);
        new MailboxService(store).create(contoso.id(), "Bob", "bob@contoso.com", null);
        new MailboxService(store).create(fabrikam.id(), "Carol", "carol@fabrikam.com", null);
    }

    @AfterEach
    void stop() {
        if (gateway != null) gateway.close();
        db.close();
    }

    // --- helpers ------------------------------------------------------------------------------------

    private RawSmtpClient connect() throws IOException {
        RawSmtpClient c = new RawSmtpClient("127.0.0.1", gateway.smtpPort(), CLIENT_IP);
        RawSmtpClient.expect(c.reply(), "220");
        RawSmtpClient.expect(c.cmd("EHLO client.example"), "250");
        return c;
    }

    /** One transaction: MAIL FROM, each RCPT (all must be accepted), DATA; returns the reply to the end of data. */
    private String send(String mailFrom, List<String> rcpts, String content) throws IOException {
        try (RawSmtpClient c = connect()) {
            return c.sendMessage(mailFrom, rcpts, content);
        }
    }

    /** The reply to one RCPT TO after MAIL FROM. */
    private String rcpt(String mailFrom, String recipient) throws IOException {
        try (RawSmtpClient c = connect()) {
            RawSmtpClient.expect(c.cmd("MAIL FROM:<" + mailFrom + ">"), "250");
            String reply = c.cmd("RCPT TO:<" + recipient + ">");
            c.cmd("QUIT");
            return reply;
        }
    }

    record Row(Long tenantId, String clientIp, String helo, String mailFrom, String recipient, String reason, String reply, String connector) {}

    private List<Row> refusals() {
        return store.read(c -> {
            List<Row> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT tenant_id, client_ip, helo, mail_from, recipient, reason, reply, connector"
                    + " FROM refusals ORDER BY id"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long t = rs.getLong(1);
                    out.add(new Row(rs.wasNull() ? null : t, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                            rs.getString(7), rs.getString(8)));
                }
            }
            return out;
        });
    }

    private long count(String sql) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private record Content(long length, long size) {}

    private Content content(String networkMessageId) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT content, size FROM messages WHERE network_message_id = ?")) {
                ps.setString(1, networkMessageId);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    return new Content(rs.getBytes(1).length, rs.getLong(2));
                }
            }
        });
    }

    private static String message(String from, String subject) {
        return "From: " + from + "\r\nTo: bob@contoso.com\r\nSubject: " + subject + "\r\nMessage-ID: <" + System.nanoTime() + "@client.example>\r\n\r\nbody\r\n";
    }

    private TransportRule rule(Tenant t, String name, Map<String, Object> params) {
        return new RuleService(store).create(t.id(), RuleService.RuleInput.named(name, params));
    }

    private static String ruleDetail(TransportRule r) {
        return "Transport rule: '" + r.name() + "', ID: ('" + r.guid() + "'), DLP policy: '', ID: (00000000-0000-0000-0000-000000000000).";
    }

    // --- RCPT TO: the refusal log --------------------------------------------------------------------

    @Test
    void anUnknownDomainIsRefusedWith5764AndLoggedForNoTenant() throws Exception {
        assertThat(rcpt("x@evil.example", "someone@nowhere.example")).isEqualTo(RELAY_DENIED);
        await().atMost(Duration.ofSeconds(10)).until(() -> refusals().size() == 1);
        assertThat(refusals()).containsExactly(new Row(null, CLIENT_IP, "client.example", "x@evil.example", "someone@nowhere.example",
                "relay_denied", RELAY_DENIED, null));
        Instant now = Instant.now();
        assertThat(new RefusalLog(store).list(contoso.id(), now.minusSeconds(600), now.plusSeconds(60), 10)).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM messages")).isZero();
    }

    @Test
    void anUnknownMailboxInAnAuthoritativeDomainIsRefusedWith541AndLoggedForItsTenant() throws Exception {
        assertThat(rcpt("x@evil.example", "ghost@contoso.com")).isEqualTo(UNKNOWN_RECIPIENT);
        await().atMost(Duration.ofSeconds(10)).until(() -> refusals().size() == 1);
        assertThat(refusals()).containsExactly(new Row(contoso.id(), CLIENT_IP, "client.example", "x@evil.example", "ghost@contoso.com",
                "unknown_recipient", UNKNOWN_RECIPIENT, null));
        Instant now = Instant.now();
        assertThat(new RefusalLog(store).list(contoso.id(), now.minusSeconds(600), now.plusSeconds(60), 10)).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(RefusalReason.UNKNOWN_RECIPIENT);
            assertThat(r.recipient()).isEqualTo("ghost@contoso.com");
            assertThat(r.tlsProtocol()).isNull();
        });
        assertThat(new RefusalLog(store).list(fabrikam.id(), now.minusSeconds(600), now.plusSeconds(60), 10)).isEmpty();
    }

    @Test
    void rejectDirectSendRefusesAnonymousMailFromAnAcceptedDomainWith5768AndLogsIt() throws Exception {
        new OrganizationConfigService(store).set(contoso.id(), OrganizationSettings.REJECT_DIRECT_SEND, "true");
        assertThat(rcpt("alice@contoso.com", "bob@contoso.com")).isEqualTo(DIRECT_SEND);
        await().atMost(Duration.ofSeconds(10)).until(() -> refusals().size() == 1);
        assertThat(refusals()).containsExactly(new Row(contoso.id(), CLIENT_IP, "client.example", "alice@contoso.com", "bob@contoso.com",
                "reject_direct_send", DIRECT_SEND, null));
        // the same sender to another tenant, which did not turn it on, is accepted and logs nothing
        assertThat(rcpt("alice@contoso.com", "carol@fabrikam.com")).startsWith("250");
        assertThat(refusals()).hasSize(1);
    }

    @Test
    void aRestrictingPartnerConnectorRefusesWith5751AndTheConnectorIsLogged() throws Exception {
        var r = new PipelineRunner<>(AdminCmdlets.registry(), PipelineRunner.Options.defaults().withStopOnError(true))
                .run("New-InboundConnector CP-LOCK -ConnectorType Partner -SenderDomains * -RestrictDomainsToIPAddresses $true"
                        + " -SenderIPAddresses 127.0.2.0/24", new AdminContext(new Principal.Operator("test"), contoso, AdminServices.over(store)));
        assertThat(r.errors()).isEmpty();
        String reply = rcpt("scanner@partner.example", "bob@contoso.com");
        assertThat(reply).startsWith("550 5.7.51 TenantInboundAttribution; There is a partner connector");
        await().atMost(Duration.ofSeconds(10)).until(() -> refusals().size() == 1);
        assertThat(refusals()).containsExactly(new Row(contoso.id(), CLIENT_IP, "client.example", "scanner@partner.example", "bob@contoso.com",
                "partner_lockdown", reply, "CP-LOCK"));
    }

    @Test
    void anAcceptedRecipientLeavesNoRefusalRow() throws Exception {
        assertThat(send("x@partner.example", List.of("bob@contoso.com"), message("x@partner.example", "hi"))).startsWith("250");
        assertThat(rcpt("x@evil.example", "ghost@contoso.com")).isEqualTo(UNKNOWN_RECIPIENT); // a marker written after it
        await().atMost(Duration.ofSeconds(10)).until(() -> !refusals().isEmpty());
        assertThat(refusals()).extracting(Row::recipient).containsExactly("ghost@contoso.com");
    }

    @Test
    void anOriginatingMessageToTheSameOutsideMailboxInTwoDomainSpellingsIsRelayedOnce() throws Exception {
        var r = new PipelineRunner<>(AdminCmdlets.registry(), PipelineRunner.Options.defaults().withStopOnError(true))
                .run("New-InboundConnector CO-APP -ConnectorType OnPremises -SenderDomains * -SenderIPAddresses 127.0.0.50"
                        + " -TreatMessagesAsInternal $true", new AdminContext(new Principal.Operator("test"), contoso, AdminServices.over(store)));
        assertThat(r.errors()).isEmpty();
        String reply = send("alice@contoso.com", List.of("partner@Elsewhere.Example", "partner@elsewhere.example", "Bob@Contoso.com",
                "bob@contoso.com"), message("alice@contoso.com", "out"));
        assertThat(reply).startsWith("250");
        assertThat(new TraceService(store).recentRecipients(contoso.id(), 10)).extracting(TraceRecipient::status)
                .containsExactlyInAnyOrder("AwaitingRelay", "Pending");
    }

    // --- end of data --------------------------------------------------------------------------------

    @Test
    void aMessageEveryRecipientOfWhichARuleRejectsGets550AndAFailedTraceRecordWithoutContent() throws Exception {
        TransportRule block = rule(contoso, "Block", Map.of("RejectMessageReasonText", "Blocked by policy"));
        String reply = send("x@partner.example", List.of("alice@contoso.com", "bob@contoso.com"), message("x@partner.example", "blocked"));
        assertThat(reply).isEqualTo("550 5.7.1 Blocked by policy");

        TraceService trace = new TraceService(store);
        List<TraceRecipient> rows = trace.recentRecipients(contoso.id(), 10);
        assertThat(rows).extracting(TraceRecipient::recipient, TraceRecipient::status, TraceRecipient::lastError).containsExactlyInAnyOrder(
                tuple("alice@contoso.com", "Failed", "550 5.7.1 Blocked by policy"),
                tuple("bob@contoso.com", "Failed", "550 5.7.1 Blocked by policy"));
        String nmid = rows.getFirst().networkMessageId();
        assertThat(rows).extracting(TraceRecipient::networkMessageId).containsOnly(nmid);

        List<MessageTraceEvent> events = trace.events(contoso.id(), nmid);
        assertThat(events).filteredOn(e -> e.event() == TraceEventType.Fail)
                .extracting(MessageTraceEvent::recipient, MessageTraceEvent::detail).containsExactlyInAnyOrder(
                        tuple("alice@contoso.com", "Refused at end of data: 550 5.7.1 Blocked by policy (transport rule 'Block')"),
                        tuple("bob@contoso.com", "Refused at end of data: 550 5.7.1 Blocked by policy (transport rule 'Block')"));
        assertThat(events).filteredOn(e -> e.event() == TraceEventType.TransportRule)
                .extracting(MessageTraceEvent::recipient, MessageTraceEvent::detail).containsExactlyInAnyOrder(
                        tuple("alice@contoso.com", ruleDetail(block)), tuple("bob@contoso.com", ruleDetail(block)));
        assertThat(events).filteredOn(e -> e.event() == TraceEventType.Receive).hasSize(2);
        assertThat(events).extracting(MessageTraceEvent::event).doesNotContain(TraceEventType.Deliver, TraceEventType.Ndr);

        Content c = content(nmid);
        assertThat(c.length()).isZero();
        assertThat(c.size()).isGreaterThan(message("x@partner.example", "blocked").length());
        assertThat(count("SELECT COUNT(*) FROM message_variants")).isZero();
        // a rule's refusal is message trace, not the RCPT-time refusal log; and no NDR was written
        assertThat(refusals()).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM messages")).isEqualTo(1);
        assertThat(trace.recipients(fabrikam.id(), nmid)).isEmpty();
    }

    @Test
    void eachTenantsTraceRecordOfARefusedMessageShowsItsOwnRulesReply() throws Exception {
        rule(contoso, "Block", Map.of("RejectMessageReasonText", "Go away"));
        rule(fabrikam, "Block2", Map.of("RejectMessageReasonText", "No thanks"));
        String reply = send("x@partner.example", List.of("bob@contoso.com", "carol@fabrikam.com"), message("x@partner.example", "two"));
        assertThat(reply).isEqualTo("550 5.7.1 Go away");
        TraceService trace = new TraceService(store);
        List<TraceRecipient> theirs = trace.recentRecipients(fabrikam.id(), 10);
        assertThat(theirs).extracting(TraceRecipient::recipient, TraceRecipient::status, TraceRecipient::lastError)
                .containsExactly(tuple("carol@fabrikam.com", "Failed", "550 5.7.1 No thanks"));
        assertThat(trace.events(fabrikam.id(), theirs.getFirst().networkMessageId())).extracting(MessageTraceEvent::detail)
                .noneMatch(d -> d.contains("Go away"));
    }

    @Test
    void aHeaderFromRefusalAtDataIsLoggedAndNotTraced() throws Exception {
        new OrganizationConfigService(store).set(contoso.id(), OrganizationSettings.REJECT_DIRECT_SEND_HEADER_FROM, "true");
        assertThat(send("x@evil.example", List.of("bob@contoso.com"), message("CEO <ceo@contoso.com>", "wire transfer"))).isEqualTo(DIRECT_SEND);
        await().atMost(Duration.ofSeconds(10)).until(() -> refusals().size() == 1);
        assertThat(refusals()).containsExactly(new Row(contoso.id(), CLIENT_IP, "client.example", "x@evil.example", "bob@contoso.com",
                "reject_direct_send_header_from", DIRECT_SEND, null));
        assertThat(count("SELECT COUNT(*) FROM messages")).isZero();
    }

    @Test
    void aDeferringRuleThatFailsGets451AndNothingIsStored() throws Exception {
        new RuleService(store).create(contoso.id(), new RuleService.RuleInput("Fragile", null, null, null, null, null, false, false, null, null, null,
                RuleErrorAction.Defer, Map.of("HeaderMatchesMessageHeader", "X-Long", "HeaderMatchesPatterns", List.of("(.|..)*z"), "Quarantine", true)));
        StringBuilder folded = new StringBuilder("X-Long: a");
        for (int i = 0; i < 300; i++) folded.append("\r\n ").append("a".repeat(900));
        String content = "From: x@partner.example\r\nTo: bob@contoso.com\r\nSubject: long\r\n" + folded + "\r\n\r\nbody\r\n";
        assertThat(send("x@partner.example", List.of("bob@contoso.com"), content))
                .isEqualTo("451 4.7.500 Server busy, rule evaluation failed, please try again later");
        assertThat(count("SELECT COUNT(*) FROM messages")).isZero();
        assertThat(count("SELECT COUNT(*) FROM message_events")).isZero();
        assertThat(refusals()).isEmpty();
    }
}
