// Outbound relay, NDRs and rule notifications end to end: a real gateway, real sockets, a next hop of our own.
package dev.gatehouse.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.gatehouse.admin.AdminCmdlets;
import dev.gatehouse.admin.AdminContext;
import dev.gatehouse.admin.AdminServices;
import dev.gatehouse.admin.Principal;
import dev.gatehouse.cmdlet.PipelineRunner;
import dev.gatehouse.cmdlet.RunResult;
import dev.gatehouse.config.GatewayConfig;
import dev.gatehouse.delivery.DeliverySettings;
import dev.gatehouse.directory.Tenant;
import dev.gatehouse.it.RawSmtpClient;
import dev.gatehouse.server.Gateway;
import dev.gatehouse.queue.MessageTraceEvent;
import dev.gatehouse.queue.TraceEventType;
import dev.gatehouse.trace.TraceService;

/** Subclasses choose the store (SQLite in the temp dir, or a fresh PostgreSQL schema). */
abstract class RelayEndToEndTest {
    /** Null for SQLite. */
    abstract String storeUrl() throws Exception;

    void dropStore() throws Exception {}

    /** An IP-only OnPremises connector for the hybrid server at 127.0.0.60 (spec scenario 13/14). */
    static final String CO_IP = "New-InboundConnector CO-IP -ConnectorType OnPremises -SenderDomains * -SenderIPAddresses 127.0.0.60";

    Path dir;
    Gateway gateway;
    NextHopServer hop;
    Tenant contoso;

    void start(boolean withHop, Duration maxAge) throws Exception {
        dir = Files.createTempDirectory("gh-relay-");
        if (withHop) hop = new NextHopServer();
        GatewayConfig config = new GatewayConfig(dir, "mx.gatehouse.test", "127.0.0.1", 0, "127.0.0.1", 0, storeUrl(), null, null, List.of(),
                10L << 20, 1000, 100, 100, Duration.ofSeconds(60), Duration.ofSeconds(2), "node-test")
                .withDns(dev.gatehouse.dns.testing.DnsServer.OFF, java.time.Duration.ofSeconds(1)).withRelayHost(withHop ? hop.hostPort() : null);
        gateway = new Gateway(config).withDeliverySettings(DeliverySettings.defaults().withPollInterval(Duration.ofMillis(100))
                .withBackoff(Duration.ofMillis(200), Duration.ofMillis(400)).withMaxAge(maxAge)).start();
        contoso = AdminServices.over(gateway.store()).tenants().create("Contoso");
        ok("New-AcceptedDomain contoso.com -DomainName contoso.com");
        ok("New-Mailbox alice -PrimarySmtpAddress alice@contoso.com");
        ok("New-Mailbox bob -PrimarySmtpAddress bob@contoso.com");
        ok(CO_IP);
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) gateway.close();
        if (hop != null) hop.close();
        dropStore();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    RunResult ok(String script) {
        RunResult r = new PipelineRunner<>(AdminCmdlets.registry())
                .run(script, new AdminContext(new Principal.Operator("test"), contoso, AdminServices.over(gateway.store())));
        assertThat(r.errors()).as(script).isEmpty();
        return r;
    }

    String send(String fromIp, String mailFrom, List<String> rcpts, String content) throws IOException {
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", gateway.smtpPort(), fromIp)) {
            RawSmtpClient.expect(c.reply(), "220");
            RawSmtpClient.expect(c.cmd("EHLO onprem.contoso.com"), "250");
            return c.sendMessage(mailFrom, rcpts, content);
        }
    }

    static String message(String from, String to, String subject, String body) {
        return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\n"
                + "Message-ID: <" + System.nanoTime() + "@onprem.contoso.com>\r\n\r\n" + body + "\r\n";
    }

    static String nmid(String reply) { return reply.substring(reply.indexOf("queued as ") + 10).strip(); }

    List<MessageTraceEvent> events(String nmid) { return new TraceService(gateway.store()).events(contoso.id(), nmid); }

    List<String> maildir(String primary) throws IOException {
        Path neu = dir.resolve("mail").resolve(contoso.Guid()).resolve(primary).resolve("new");
        if (!Files.isDirectory(neu)) return List.of();
        try (Stream<Path> files = Files.list(neu)) {
            return files.sorted().map(p -> {
                try { return Files.readString(p, StandardCharsets.UTF_8); } catch (IOException e) { throw new RuntimeException(e); }
            }).toList();
        }
    }

    List<String> ndrs(String primary) throws IOException {
        return maildir(primary).stream().filter(m -> m.contains("report-type=delivery-status")).toList();
    }

    @Test
    void scenario13_onPremisesMailToAnExternalRecipientIsRelayedWithTheOriginalEnvelope() throws Exception {
        start(true, Duration.ofDays(1));
        String reply = send("127.0.0.60", "alice@contoso.com", List.of("dave@gmail.com", "bob@contoso.com"),
                message("alice@contoso.com", "dave@gmail.com, bob@contoso.com", "Hybrid", "hello\r\n.a line starting with a dot\r\n."));
        assertThat(reply).startsWith("250");
        await().atMost(Duration.ofSeconds(10)).until(() -> hop.transactions.size() == 1 && maildir("bob@contoso.com").size() == 1);
        NextHopServer.Transaction t = hop.transactions.getFirst();
        assertThat(t.mailFrom()).isEqualTo("alice@contoso.com");
        assertThat(t.rcpts()).containsExactly("dave@gmail.com"); // bob is delivered locally, not relayed
        String wire = new String(t.wire(), StandardCharsets.UTF_8);
        assertThat(wire).contains("\r\n..a line starting with a dot\r\n").contains("\r\n..\r\n").endsWith("\r\n.\r\n");
        assertThat(wire.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
        assertThat(t.data()).contains("Subject: Hybrid").contains("\r\n.a line starting with a dot\r\n")
                .doesNotContainIgnoringCase("X-MS-Exchange-Organization-"); // internal stamps stay inside
        await().atMost(Duration.ofSeconds(5)).until(() -> events(nmid(reply)).stream().anyMatch(e -> e.event() == TraceEventType.Send));
        assertThat(events(nmid(reply))).filteredOn(e -> e.event() == TraceEventType.Send).singleElement().satisfies(e -> {
            assertThat(e.recipient()).isEqualTo("dave@gmail.com");
            assertThat(e.detail()).startsWith("Message transferred.").contains("250 2.0.0 Ok: queued as NH1").contains("next_hop=" + hop.hostPort())
                    .contains("tls=none (not offered)");
        });
        assertThat(hop.commands).anyMatch(c -> c.startsWith("EHLO mx.gatehouse.test"));
    }

    @Test
    void starttlsIsUsedWhenTheHopOffersItAndTheOutcomeIsTraced() throws Exception {
        start(true, Duration.ofDays(1));
        Path cert = dir.resolve("hop.crt");
        Path key = dir.resolve("hop.key");
        dev.gatehouse.smtp.Tls.generateSelfSigned("nexthop.test", cert, key);
        hop.tls = dev.gatehouse.smtp.Tls.serverContext(cert, key);
        String reply = send("127.0.0.60", "alice@contoso.com", List.of("dave@gmail.com"), message("alice@contoso.com", "dave@gmail.com", "Secret", "x"));
        await().atMost(Duration.ofSeconds(10)).until(() -> hop.transactions.size() == 1);
        assertThat(hop.tlsProtocols).hasSize(1);
        assertThat(hop.commands).containsSubsequence("STARTTLS", "EHLO mx.gatehouse.test", "MAIL FROM:<alice@contoso.com>");
        await().atMost(Duration.ofSeconds(5)).until(() -> events(nmid(reply)).stream().anyMatch(e -> e.event() == TraceEventType.Send));
        assertThat(events(nmid(reply))).filteredOn(e -> e.event() == TraceEventType.Send).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("tls=" + hop.tlsProtocols.getFirst()).contains("(certificate not verified)"));
    }

    @Test
    void aTemporaryRefusalIsRetriedWithBackoffThenSent() throws Exception {
        start(true, Duration.ofDays(1));
        AtomicInteger tries = new AtomicInteger();
        hop.rcptReply = a -> tries.incrementAndGet() == 1 ? "451 4.7.1 greylisted, try again" : "250 2.1.5 Ok";
        String reply = send("127.0.0.60", "alice@contoso.com", List.of("dave@gmail.com"), message("alice@contoso.com", "dave@gmail.com", "Retry", "x"));
        await().atMost(Duration.ofSeconds(10)).until(() -> hop.transactions.size() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> events(nmid(reply)).stream().anyMatch(e -> e.event() == TraceEventType.Send));
        assertThat(events(nmid(reply))).extracting(MessageTraceEvent::event)
                .containsSubsequence(TraceEventType.Receive, TraceEventType.Defer, TraceEventType.Send);
        assertThat(events(nmid(reply))).filteredOn(e -> e.event() == TraceEventType.Defer).first()
                .satisfies(e -> assertThat(e.detail()).contains("451 4.7.1 greylisted"));
        assertThat(ndrs("alice@contoso.com")).isEmpty();
    }

    @Test
    void aPermanentRefusalFailsTheRecipientAndBouncesToTheLocalSender() throws Exception {
        start(true, Duration.ofDays(1));
        hop.rcptReply = a -> a.startsWith("nobody") ? "550 5.1.1 <" + a + ">: Recipient address rejected: User unknown" : "250 2.1.5 Ok";
        String reply = send("127.0.0.60", "alice@contoso.com", List.of("nobody@gmail.com", "dave@gmail.com"),
                message("alice@contoso.com", "nobody@gmail.com", "Bounce me", "x"));
        await().atMost(Duration.ofSeconds(10)).until(() -> ndrs("alice@contoso.com").size() == 1);
        String ndr = ndrs("alice@contoso.com").getFirst();
        assertThat(ndr).contains("From: Mail Delivery System <postmaster@mx.gatehouse.test>", "Subject: Undeliverable: Bounce me",
                "Content-Type: message/delivery-status", "Reporting-MTA: dns; mx.gatehouse.test",
                "Final-Recipient: rfc822; nobody@gmail.com", "Action: failed", "Status: 5.1.1",
                "Diagnostic-Code: smtp; 550 5.1.1 <nobody@gmail.com>: Recipient address rejected: User unknown",
                "Content-Type: text/rfc822-headers", "Subject: Bounce me").doesNotContain("dave@gmail.com;");
        assertThat(hop.transactions).singleElement().satisfies(t -> assertThat(t.rcpts()).containsExactly("dave@gmail.com"));
        assertThat(events(nmid(reply))).filteredOn(e -> "nobody@gmail.com".equals(e.recipient())).extracting(MessageTraceEvent::event)
                .contains(TraceEventType.Fail, TraceEventType.Ndr);
        // the NDR itself went out with the null reverse-path
        String ndrFrom = gateway.store().read(c -> {
            try (var ps = c.prepareStatement("SELECT mail_from FROM messages WHERE subject = 'Undeliverable: Bounce me'"); var rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
        assertThat(ndrFrom).isEmpty();
    }

    @Test
    void withoutARelayHostOutboundMailIsDeferredWithTheReasonThenExpiresWithAnNdr() throws Exception {
        start(false, Duration.ofSeconds(3));
        String reply = send("127.0.0.60", "alice@contoso.com", List.of("dave@gmail.com"), message("alice@contoso.com", "dave@gmail.com", "Nowhere", "x"));
        assertThat(reply).startsWith("250");
        await().atMost(Duration.ofSeconds(5)).until(() -> events(nmid(reply)).stream().anyMatch(e -> e.event() == TraceEventType.Defer));
        assertThat(events(nmid(reply))).filteredOn(e -> e.event() == TraceEventType.Defer).first()
                .satisfies(e -> assertThat(e.detail()).isEqualTo("no relay host configured"));
        await().atMost(Duration.ofSeconds(10)).until(() -> ndrs("alice@contoso.com").size() == 1);
        assertThat(ndrs("alice@contoso.com").getFirst()).contains("Final-Recipient: rfc822; dave@gmail.com", "Status: 5.4.7",
                "delivery expired (last error: no relay host configured)");
        assertThat(events(nmid(reply))).extracting(MessageTraceEvent::event).contains(TraceEventType.Fail, TraceEventType.Ndr);
    }

    @Test
    void aRulePartialRejectBouncesWithTheRulesStatusAndANullSenderGetsNone() throws Exception {
        start(true, Duration.ofDays(1));
        ok("New-TransportRule -Name NoBob -SentTo bob@contoso.com -RejectMessageReasonText 'Blocked'");
        String reply = send("127.0.0.60", "alice@contoso.com", List.of("alice@contoso.com", "bob@contoso.com"),
                message("alice@contoso.com", "bob@contoso.com", "Partial", "x"));
        assertThat(reply).startsWith("250");
        await().atMost(Duration.ofSeconds(10)).until(() -> ndrs("alice@contoso.com").size() == 1);
        assertThat(ndrs("alice@contoso.com").getFirst()).contains("Final-Recipient: rfc822; bob@contoso.com", "Status: 5.7.1",
                "Diagnostic-Code: smtp; 550 5.7.1 Blocked", "Subject: Undeliverable: Partial");
        String attached = ndrs("alice@contoso.com").getFirst().split("Content-Type: text/rfc822-headers", 2)[1];
        assertThat(attached).as("the original's headers, without the gateway's tenant stamps")
                .contains("Subject: Partial").doesNotContain("X-MS-Exchange-CrossTenant-").doesNotContain("X-EOPTenantAttributedMessage")
                .doesNotContain("X-MS-Exchange-Organization-");
        assertThat(events(nmid(reply))).filteredOn(e -> e.event() == TraceEventType.Ndr).singleElement()
                .satisfies(e -> assertThat(e.detail()).startsWith("550 5.7.1 Blocked (non-delivery report "));
        assertThat(events(nmid(reply))).noneMatch(e -> e.event() == TraceEventType.NdrPending);

        String nullSender = send("127.0.0.60", "", List.of("alice@contoso.com", "bob@contoso.com"),
                message("alice@contoso.com", "bob@contoso.com", "From nobody", "x"));
        assertThat(nullSender).startsWith("250");
        assertThat(events(nmid(nullSender))).filteredOn(e -> e.event() == TraceEventType.Ndr).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo("550 5.7.1 Blocked (null sender: no NDR)"));
        await().atMost(Duration.ofSeconds(10)).until(() -> maildir("alice@contoso.com").stream().anyMatch(m -> m.contains("Subject: From nobody")));
        assertThat(ndrs("alice@contoso.com")).hasSize(1);
        assertThat(hop.transactions).isEmpty();
    }

    @Test
    void generateNotificationSendsTheExpandedTextFromPostmaster() throws Exception {
        start(true, Duration.ofDays(1));
        ok("New-TransportRule -Name Tell -SubjectContainsWords invoice -GenerateNotification 'Held: %%Subject%% from %%From%% to %%To%% on %%MessageDate%%'");
        String reply = send("127.0.0.1", "x@partner.example", List.of("bob@contoso.com"),
                message("Mallory <x@partner.example>", "bob@contoso.com", "Your invoice", "x"));
        assertThat(reply).startsWith("250");
        await().atMost(Duration.ofSeconds(10)).until(() -> maildir("bob@contoso.com").size() == 2);
        String note = maildir("bob@contoso.com").stream().filter(m -> m.contains("From: <postmaster@mx.gatehouse.test>")).findFirst().orElseThrow();
        assertThat(note).contains("To: <bob@contoso.com>", "Subject: Notification: Your invoice",
                "Held: Your invoice from Mallory <x@partner.example> to bob@contoso.com on Sat, 28 Nov 2026 10:00:00 +0000");
        assertThat(events(nmid(reply))).filteredOn(e -> e.event() == TraceEventType.Notification).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("queued to bob@contoso.com"));
        assertThat(hop.transactions).isEmpty();
    }
}
