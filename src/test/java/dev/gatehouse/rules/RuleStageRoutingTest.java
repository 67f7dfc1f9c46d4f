// The rules stage with real stores: redirects and copies become stored recipients, fallbacks and IPs as the pipeline passes them.
package dev.gatehouse.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.attribution.Stamps;
import dev.gatehouse.directory.AcceptedDomainService;
import dev.gatehouse.directory.Directory;
import dev.gatehouse.directory.DomainType;
import dev.gatehouse.directory.Mailbox;
import dev.gatehouse.directory.MailboxService;
import dev.gatehouse.directory.Tenant;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.intake.HeaderFirewall;
import dev.gatehouse.mail.Message;
import dev.gatehouse.pipeline.Accepting;
import dev.gatehouse.pipeline.Attribution;
import dev.gatehouse.pipeline.Refusal;
import dev.gatehouse.pipeline.RefusalReason;
import dev.gatehouse.pipeline.Verdict;
import dev.gatehouse.queue.MessageTraceEvent;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.queue.RecipientStatus;
import dev.gatehouse.queue.TraceEventType;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class RuleStageRoutingTest extends StoreTestBase {
    static final String GATEWAY = "mx.gatehouse.test";
    static final Attribution ANONYMOUS = Attribution.defaultConnector(false);
    static final String HEADER = "From: x@partner.example\r\nTo: bob@contoso.com\r\nSubject: hi\r\n";

    private Tenant contoso;
    private Mailbox alice;
    private Mailbox bob;
    private MailboxService mailboxes;
    private RuleService rules;
    private RuleStage stage;

    @BeforeEach
    void organization() {
        contoso = new TenantService(store).create("Contoso");
        new AcceptedDomainService(store).create(contoso.id(), "contoso.com", DomainType.Authoritative, false);
        mailboxes = new MailboxService(store);
        alice = mailboxes.create(contoso.id(), "Alice", "alice@contoso.com", null);
        bob = mailboxes.create(contoso.id(), "Bob", "bob@contoso.com", null);
        rules = new RuleService(store);
        stage = new RuleStage(new RuleEngine(store), RuleStage.organization(new Directory(store)));
    }

    private TransportRule rule(String name, Map<String, Object> params) {
        return rules.create(contoso.id(), RuleService.RuleInput.named(name, params));
    }

    private Accepting.Recipient rcpt(Mailbox mb) {
        return new Accepting.Recipient(new QueuedRecipient(contoso.id(), mb.PrimarySmtpAddress(), mb.id(), RecipientStatus.Pending,
                ANONYMOUS.connector(), ANONYMOUS.directionality(), ANONYMOUS.authAs(), ANONYMOUS.directSend(),
                Stamps.of(ANONYMOUS, contoso.Guid(), GATEWAY)), Verdict.DELIVER);
    }

    private static Accepting accepting(String clientIp, String content, Accepting.Recipient... recipients) throws Exception {
        Accepting m = new Accepting("8026f7a2-10c7-4894-75d5-08db7c3b05c4", Instant.now(),
                new Accepting.Client("s1", InetAddress.getByName(clientIp), "client.example", true, null, null), "x@partner.example",
                List.of(), Message.parse(content.getBytes(StandardCharsets.UTF_8)));
        assertThat(new HeaderFirewall(GATEWAY).apply(m)).isNull();
        m.recipients(List.of(recipients));
        return m;
    }

    private static Accepting.Recipient of(Accepting m, String address) {
        return m.recipients().stream().filter(r -> r.row().address().equals(address)).findFirst().orElseThrow();
    }

    @Test
    void aRedirectStoresTheOriginalAsRedirectedAndTheTargetAsAPendingRecipientWithItsMailbox() throws Exception {
        rule("Legal", Map.of("SubjectContainsWords", List.of("hi"), "RedirectMessageTo", List.of("Alice"), "PrependSubject", "[LEGAL] "));
        Accepting m = accepting("203.0.113.50", HEADER + "\r\nbody\r\n", rcpt(bob));
        assertThat(stage.apply(m)).isNull();
        assertThat(m.recipients()).extracting(r -> r.row().address(), r -> r.row().status(), r -> r.row().mailboxId()).containsExactly(
                tuple("bob@contoso.com", RecipientStatus.Redirected, bob.id()),
                tuple("alice@contoso.com", RecipientStatus.Pending, alice.id()));
        assertThat(of(m, "bob@contoso.com").verdict()).isEqualTo(new Verdict.Redirected("Redirected to alice@contoso.com by transport rule"));
        Integer variant = of(m, "alice@contoso.com").row().variant();
        assertThat(variant).isNotNull();
        assertThat(new String(m.variant(variant), StandardCharsets.UTF_8)).contains("\r\nSubject: [LEGAL] hi\r\n");
        assertThat(m.events()).filteredOn(e -> e.event() == TraceEventType.Redirect).extracting(MessageTraceEvent::recipient, MessageTraceEvent::detail)
                .containsExactly(tuple("bob@contoso.com", "Message redirected to alice@contoso.com"));
    }

    @Test
    void aBlindCopyOfAQuarantinedRecipientIsQuarantinedWithIt() throws Exception {
        TransportRule hold = rule("Hold", Map.of("BlindCopyTo", List.of("alice@contoso.com"), "Quarantine", true));
        Accepting m = accepting("203.0.113.50", HEADER + "\r\nbody\r\n", rcpt(bob));
        assertThat(stage.apply(m)).isNull();
        assertThat(m.recipients()).extracting(r -> r.row().address(), r -> r.row().status(), Accepting.Recipient::verdict).containsExactly(
                tuple("bob@contoso.com", RecipientStatus.Quarantined, new Verdict.Quarantine("Hold", hold.guid())),
                tuple("alice@contoso.com", RecipientStatus.Quarantined, new Verdict.Quarantine("Hold", hold.guid())));
    }

    @Test
    void aCopyToAMailboxRemovedSinceTheRuleWasSavedIsSkippedWithARuleError() throws Exception {
        rule("Copy", Map.of("CopyTo", List.of("alice@contoso.com")));
        mailboxes.remove(contoso.id(), "Alice");
        Accepting m = accepting("203.0.113.50", HEADER + "\r\nbody\r\n", rcpt(bob));
        assertThat(stage.apply(m)).isNull();
        assertThat(m.recipients()).extracting(r -> r.row().address()).containsExactly("bob@contoso.com");
        assertThat(m.events()).filteredOn(e -> e.event() == TraceEventType.RuleError).singleElement()
                .satisfies(e -> assertThat(e.detail()).endsWith("CopyTo: 'alice@contoso.com' isn't a recipient of the organization"));
    }

    @Test
    void theDisclaimerRejectFallbackRefusesSignedMailAtData() throws Exception {
        rule("Disclaimer", Map.of("ApplyHtmlDisclaimerText", "<p>EXTERNAL</p>", "ApplyHtmlDisclaimerFallbackAction", "Reject"));
        String signed = HEADER + "MIME-Version: 1.0\r\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=s\r\n\r\n"
                + "--s\r\nContent-Type: text/plain\r\n\r\nsigned\r\n--s\r\nContent-Type: application/pkcs7-signature\r\n\r\nMIIB\r\n--s--\r\n";
        Refusal r = stage.apply(accepting("203.0.113.50", signed, rcpt(bob)));
        assertThat(r).isNotNull();
        assertThat(r.reason()).isEqualTo(RefusalReason.TRANSPORT_RULE);
        assertThat(r.reply().toString()).isEqualTo("550 5.7.1 Delivery not authorized, message refused");
        // an unsigned message of the same sender gets the disclaimer and is accepted
        Accepting plain = accepting("203.0.113.50", HEADER + "\r\nbody\r\n", rcpt(bob));
        assertThat(stage.apply(plain)).isNull();
        assertThat(new String(plain.variant(of(plain, "bob@contoso.com").row().variant()), StandardCharsets.UTF_8)).contains("EXTERNAL");
    }

    @Test
    void senderIpRangesReadsTheConnectingClientOfTheSession() throws Exception {
        rule("Gateway", Map.of("ExceptIfSenderIpRanges", List.of("192.0.2.0/24", "2001:db8::/32"), "Quarantine", true));
        Accepting fromGateway = accepting("192.0.2.25", HEADER + "\r\nbody\r\n", rcpt(bob));
        stage.apply(fromGateway);
        assertThat(of(fromGateway, "bob@contoso.com").row().status()).isEqualTo(RecipientStatus.Pending);
        Accepting fromV6Gateway = accepting("2001:db8::25", HEADER + "\r\nbody\r\n", rcpt(bob));
        stage.apply(fromV6Gateway);
        assertThat(of(fromV6Gateway, "bob@contoso.com").row().status()).isEqualTo(RecipientStatus.Pending);
        // a Received field naming the gateway is not the connecting client
        Accepting direct = accepting("203.0.113.50", "Received: from gw (gw [192.0.2.25])\r\n" + HEADER + "\r\nbody\r\n", rcpt(bob));
        stage.apply(direct);
        assertThat(of(direct, "bob@contoso.com").row().status()).isEqualTo(RecipientStatus.Quarantined);
    }

    @Test
    void senderIpRangesReadsTheOriginalClientEnhancedFilteringFoundForEachRecipient() throws Exception {
        rule("Gateway", Map.of("ExceptIfSenderIpRanges", List.of("192.0.2.0/24"), "Quarantine", true));
        // one copy through the gateway with Enhanced Filtering for bob, the other on the connecting address for alice
        Accepting m = accepting("192.0.2.25", HEADER + "\r\nbody\r\n", rcpt(alice), rcpt(bob));
        m.originalClient(contoso.id(), "bob@contoso.com", InetAddress.getByName("203.0.113.50"));
        assertThat(m.clientIpFor(contoso.id(), "bob@contoso.com")).isEqualTo(InetAddress.getByName("203.0.113.50"));
        assertThat(m.clientIpFor(contoso.id(), "alice@contoso.com")).isEqualTo(InetAddress.getByName("192.0.2.25"));
        stage.apply(m);
        assertThat(of(m, "alice@contoso.com").row().status()).isEqualTo(RecipientStatus.Pending);
        assertThat(of(m, "bob@contoso.com").row().status()).isEqualTo(RecipientStatus.Quarantined);
    }

    @Test
    void aRuleChangeAppliesToTheNextMessage() throws Exception {
        rule("Tag", Map.of("PrependSubject", "[ONE] "));
        Accepting first = accepting("203.0.113.50", HEADER + "\r\nbody\r\n", rcpt(bob));
        stage.apply(first);
        assertThat(new String(first.variant(0), StandardCharsets.UTF_8)).contains("Subject: [ONE] hi");
        rules.set(contoso.id(), "Tag", RuleService.RuleInput.named(null, Map.of("PrependSubject", "[TWO] ")));
        Accepting second = accepting("203.0.113.50", HEADER + "\r\nbody\r\n", rcpt(bob));
        stage.apply(second);
        assertThat(new String(second.variant(0), StandardCharsets.UTF_8)).contains("Subject: [TWO] hi");
        rules.setEnabled(contoso.id(), "Tag", false);
        Accepting third = accepting("203.0.113.50", HEADER + "\r\nbody\r\n", rcpt(bob));
        stage.apply(third);
        assertThat(of(third, "bob@contoso.com").row().variant()).isNull();
        assertThat(third.events()).isEmpty();
    }
}
