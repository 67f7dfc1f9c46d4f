// The mail flow rules stage without sockets: real rules in a real store, an Accepting made by hand with two tenants' recipients.
package dev.gatehouse.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
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
import dev.gatehouse.mail.AuthAs;
import dev.gatehouse.mail.Directionality;
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

/** Contoso (contoso.com: alice, bob) and Fabrikam (fabrikam.com: carol, dave), rules made through RuleService. */
@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class RuleStageTest extends StoreTestBase {

    static final String GATEWAY = "mx.gatehouse.test";
    static final Attribution ANONYMOUS = Attribution.defaultConnector(false);
    /** An OnPremises connector with TreatMessagesAsInternal: Originating, AuthAs Internal. */
    static final Attribution INTERNAL = new Attribution("CO-APP", "IP", Directionality.Originating, AuthAs.Internal, null, "HybridOnPrem",
            false, false);

    private Tenant contoso;
    private Tenant fabrikam;
    private Mailbox alice;
    private Mailbox bob;
    private Mailbox carol;
    private Mailbox dave;
    private RuleService rules;
    private RuleStage stage;

    @BeforeEach
    void organizations() {
        TenantService tenants = new TenantService(store);
        AcceptedDomainService domains = new AcceptedDomainService(store);
        MailboxService mailboxes = new MailboxService(store);
        contoso = tenants.create("Contoso");
        fabrikam = tenants.create("Fabrikam");
        domains.create(contoso.id(), "contoso.com", DomainType.Authoritative, false);
        domains.create(fabrikam.id(), "fabrikam.com", DomainType.Authoritative, false);
        alice = mailboxes.create(contoso.id(), "Alice", "alice@contoso.com", null);
        bob = mailboxes.create(contoso.id(), "Bob", "bob@contoso.com", null);
        carol = mailboxes.create(fabrikam.id(), "Carol", "carol@fabrikam.com", null);
        dave = mailboxes.create(fabrikam.id(), "Dave", "dave@fabrikam.com", null);
        rules = new RuleService(store);
        stage = new RuleStage(new RuleEngine(store), RuleStage.organization(new Directory(store)));
    }

    // --- helpers ------------------------------------------------------------------------------------

    private TransportRule rule(Tenant t, String name, Map<String, Object> params) {
        return rules.create(t.id(), RuleService.RuleInput.named(name, params));
    }

    private TransportRule rule(Tenant t, String name, RuleErrorAction onError, Map<String, Object> params) {
        return rules.create(t.id(), new RuleService.RuleInput(name, null, null, null, null, null, false, false, null, null, null, onError, params));
    }

    private Accepting.Recipient rcpt(Tenant t, Mailbox mb, Attribution a) {
        return new Accepting.Recipient(new QueuedRecipient(t.id(), mb.PrimarySmtpAddress(), mb.id(), RecipientStatus.Pending, a.connector(),
                a.directionality(), a.authAs(), a.directSend(), Stamps.of(a, t.Guid(), GATEWAY)), Verdict.DELIVER);
    }

    /** The received message through the header firewall (as the pipeline orders it), with the recipients set. */
    private static Accepting accepting(String header, Accepting.Recipient... recipients) throws Exception {
        Accepting m = new Accepting("8026f7a2-10c7-4894-75d5-08db7c3b05c4", Instant.now(),
                new Accepting.Client("s1", InetAddress.getByName("203.0.113.50"), "client.example", true, null, null), "x@partner.example",
                List.of(), Message.parse((header + "\r\nbody\r\n").getBytes(StandardCharsets.UTF_8)));
        assertThat(new HeaderFirewall(GATEWAY).apply(m)).isNull();
        m.recipients(List.of(recipients));
        return m;
    }

    private static final String HEADER = "From: x@partner.example\r\nTo: bob@contoso.com\r\nSubject: hi\r\n";

    private static Accepting.Recipient of(Accepting m, String address) {
        return m.recipients().stream().filter(r -> r.row().address().equals(address)).findFirst().orElseThrow();
    }

    private static String transportRuleDetail(TransportRule r) {
        return "Transport rule: '" + r.name() + "', ID: ('" + r.guid() + "'), DLP policy: '', ID: (00000000-0000-0000-0000-000000000000).";
    }

    private static String text(byte[] b) { return new String(b, StandardCharsets.UTF_8); }

    // --- verdicts -----------------------------------------------------------------------------------

    @Test
    void aQuarantineRuleMarksTheRecipientQuarantinedWithTheRuleNamed() throws Exception {
        TransportRule hold = rule(contoso, "Hold", Map.of("SentTo", List.of("bob@contoso.com"), "Quarantine", true));
        Accepting m = accepting(HEADER, rcpt(contoso, alice, ANONYMOUS), rcpt(contoso, bob, ANONYMOUS));
        assertThat(stage.apply(m)).isNull();
        Accepting.Recipient b = of(m, "bob@contoso.com");
        assertThat(b.verdict()).isEqualTo(new Verdict.Quarantine("Hold", hold.guid()));
        assertThat(b.row().status()).isEqualTo(RecipientStatus.Quarantined);
        assertThat(b.row().lastError()).isEqualTo("Message quarantined by transport rule 'Hold'");
        assertThat(b.row().mailboxId()).isEqualTo(bob.id());
        Accepting.Recipient a = of(m, "alice@contoso.com");
        assertThat(a.verdict()).isEqualTo(Verdict.DELIVER);
        assertThat(a.row().status()).isEqualTo(RecipientStatus.Pending);
        assertThat(a.row().lastError()).isNull();
        assertThat(m.events()).filteredOn(e -> e.event() == TraceEventType.TransportRule)
                .extracting(MessageTraceEvent::tenantId, MessageTraceEvent::recipient, MessageTraceEvent::detail)
                .containsExactly(tuple(contoso.id(), "bob@contoso.com", transportRuleDetail(hold)));
    }

    @Test
    void rejectingSomeRecipientsFailsThemWithTheRulesStatusAndTextAndAcceptsTheMessage() throws Exception {
        // a text that itself looks like a status and has spaces: the verdict carries both fields as the rule gave them
        TransportRule away = rule(contoso, "Away", Map.of("SentTo", List.of("bob@contoso.com"), "RejectMessageEnhancedStatusCode", "5.7.950",
                "RejectMessageReasonText", "5.7.1 Bob  is away"));
        Accepting m = accepting(HEADER, rcpt(contoso, alice, ANONYMOUS), rcpt(contoso, bob, ANONYMOUS));
        assertThat(stage.apply(m)).isNull();
        Accepting.Recipient b = of(m, "bob@contoso.com");
        assertThat(b.verdict()).isEqualTo(new Verdict.Reject("5.7.950", "5.7.1 Bob  is away", "Away", away.guid()));
        assertThat(((Verdict.Reject) b.verdict()).reason()).isEqualTo("5.7.950 5.7.1 Bob  is away");
        assertThat(b.row().status()).isEqualTo(RecipientStatus.Failed);
        assertThat(b.row().lastError()).isEqualTo("5.7.950 5.7.1 Bob  is away");
        assertThat(of(m, "alice@contoso.com").row().status()).isEqualTo(RecipientStatus.Pending);
        assertThat(of(m, "alice@contoso.com").verdict()).isEqualTo(Verdict.DELIVER);
    }

    @Test
    void aRejectWithoutTextUsesExchangesDefaultText() throws Exception {
        TransportRule r = rule(contoso, "Code", Map.of("SentTo", List.of("bob@contoso.com"), "RejectMessageEnhancedStatusCode", "5.7.901"));
        Accepting m = accepting(HEADER, rcpt(contoso, alice, ANONYMOUS), rcpt(contoso, bob, ANONYMOUS));
        stage.apply(m);
        assertThat(of(m, "bob@contoso.com").verdict())
                .isEqualTo(new Verdict.Reject("5.7.901", "Delivery not authorized, message refused", "Code", r.guid()));
    }

    @Test
    void rejectingEveryRecipientRefusesTheDataWithTheFirstRulesReplyAndKeepsTheRecipients() throws Exception {
        TransportRule block = rule(contoso, "Block", Map.of("RejectMessageEnhancedStatusCode", "5.7.950", "RejectMessageReasonText", "Go away"));
        TransportRule block2 = rule(fabrikam, "Block2", Map.of("RejectMessageReasonText", "No thanks"));
        Accepting m = accepting(HEADER, rcpt(contoso, bob, ANONYMOUS), rcpt(fabrikam, carol, ANONYMOUS), rcpt(contoso, alice, ANONYMOUS));
        Refusal r = stage.apply(m);
        assertThat(r).isNotNull();
        assertThat(r.reason()).isEqualTo(RefusalReason.TRANSPORT_RULE);
        assertThat(r.recorded()).isTrue();
        assertThat(r.reply().code()).isEqualTo(550);
        assertThat(r.reply().enhanced()).isEqualTo("5.7.950");
        assertThat(r.reply().toString()).isEqualTo("550 5.7.950 Go away");
        // every recipient is still there, Failed with its own rule's verdict, for the handler to record
        assertThat(m.recipients()).extracting(x -> x.row().address(), x -> x.row().status(), Accepting.Recipient::verdict).containsExactlyInAnyOrder(
                tuple("bob@contoso.com", RecipientStatus.Failed, new Verdict.Reject("5.7.950", "Go away", "Block", block.guid())),
                tuple("alice@contoso.com", RecipientStatus.Failed, new Verdict.Reject("5.7.950", "Go away", "Block", block.guid())),
                tuple("carol@fabrikam.com", RecipientStatus.Failed, new Verdict.Reject("5.7.1", "No thanks", "Block2", block2.guid())));
    }

    @Test
    void rejectingEveryRecipientOfOneTenantWhileAnotherHasNoRulesAcceptsTheMessage() throws Exception {
        rule(contoso, "Block", Map.of("RejectMessageReasonText", "Go away"));
        Accepting.Recipient carolIn = rcpt(fabrikam, carol, ANONYMOUS);
        Accepting m = accepting(HEADER, rcpt(contoso, bob, ANONYMOUS), carolIn);
        assertThat(stage.apply(m)).isNull();
        assertThat(of(m, "bob@contoso.com").row().status()).isEqualTo(RecipientStatus.Failed);
        assertThat(of(m, "carol@fabrikam.com")).isSameAs(carolIn);
    }

    @Test
    void aDeferringRuleThatFailsRefusesTheMessageTemporarilyAndDecidesNothing() throws Exception {
        rule(contoso, "Fragile", RuleErrorAction.Defer, Map.of("HeaderMatchesMessageHeader", "X-Long", "HeaderMatchesPatterns", List.of("(.|..)*z"),
                "Quarantine", true));
        Accepting.Recipient bobIn = rcpt(contoso, bob, ANONYMOUS);
        Accepting m = accepting(HEADER + longHeader(), bobIn);
        Refusal r = stage.apply(m);
        assertThat(r).isNotNull();
        assertThat(r.reason()).isEqualTo(RefusalReason.RULES_DEFERRED);
        assertThat(r.recorded()).isFalse();
        assertThat(r.reply().toString()).isEqualTo("451 4.7.500 Server busy, rule evaluation failed, please try again later");
        assertThat(m.recipients()).containsExactly(bobIn);
        assertThat(m.events()).isEmpty();
    }

    @Test
    void anIgnoringRuleThatFailsIsSkippedAndRecorded() throws Exception {
        TransportRule fragile = rule(contoso, "Fragile", Map.of("HeaderMatchesMessageHeader", "X-Long", "HeaderMatchesPatterns", List.of("(.|..)*z"),
                "Quarantine", true));
        Accepting m = accepting(HEADER + longHeader(), rcpt(contoso, bob, ANONYMOUS));
        assertThat(stage.apply(m)).isNull();
        assertThat(of(m, "bob@contoso.com").verdict()).isEqualTo(Verdict.DELIVER);
        assertThat(of(m, "bob@contoso.com").row().status()).isEqualTo(RecipientStatus.Pending);
        assertThat(m.events()).singleElement().satisfies(e -> {
            assertThat(e.event()).isEqualTo(TraceEventType.RuleError);
            assertThat(e.tenantId()).isEqualTo(contoso.id());
            assertThat(e.detail()).startsWith(transportRuleDetail(fragile) + " Error: ").endsWith(" (RuleErrorAction Ignore: the rule was skipped)");
        });
    }

    /** A folded header long enough that the pattern {@code (.|..)*z} runs out of stack: a rule error. */
    private static String longHeader() {
        StringBuilder folded = new StringBuilder("X-Long: a");
        for (int i = 0; i < 300; i++) folded.append("\r\n ").append("a".repeat(900));
        return folded + "\r\n";
    }

    // --- edits --------------------------------------------------------------------------------------

    @Test
    void recipientsWithEqualEditsShareOneVariantAcrossTenants() throws Exception {
        rule(contoso, "Tag", Map.of("PrependSubject", "[EXT] "));
        rule(contoso, "AliceOnly", Map.of("SentTo", List.of("alice@contoso.com"), "SetHeaderName", "X-Alice", "SetHeaderValue", "yes"));
        rule(fabrikam, "Tag", Map.of("PrependSubject", "[EXT] "));
        Accepting m = accepting(HEADER, rcpt(contoso, alice, ANONYMOUS), rcpt(contoso, bob, ANONYMOUS), rcpt(fabrikam, carol, ANONYMOUS));
        assertThat(stage.apply(m)).isNull();
        Integer av = of(m, "alice@contoso.com").row().variant();
        Integer bv = of(m, "bob@contoso.com").row().variant();
        Integer cv = of(m, "carol@fabrikam.com").row().variant();
        assertThat(av).isEqualTo(0);
        assertThat(bv).isEqualTo(1);
        assertThat(cv).isEqualTo(1);
        assertThat(m.toIncoming().variants()).hasSize(2);
        String stored = text(m.stored().bytes());
        assertThat(text(m.variant(1))).isEqualTo(stored.replace("\r\nSubject: hi\r\n", "\r\nSubject: [EXT] hi\r\n"));
        assertThat(text(m.variant(0))).contains("\r\nSubject: [EXT] hi\r\n").contains("\r\nX-Alice: yes\r\n");
        // variants are the stored content: no tenant's stamp is in them (it is inserted at delivery)
        assertThat(text(m.variant(0))).doesNotContain("CrossTenant");
        assertThat(text(m.variant(1))).doesNotContain("CrossTenant");
        // statuses are untouched by edits
        assertThat(m.recipients()).extracting(r -> r.row().status()).containsOnly(RecipientStatus.Pending);
    }

    @Test
    void aTenantWithoutRulesKeepsItsRecipientsUntouched() throws Exception {
        rule(contoso, "Tag", Map.of("PrependSubject", "[EXT] "));
        Accepting.Recipient carolIn = rcpt(fabrikam, carol, ANONYMOUS);
        Accepting.Recipient daveIn = rcpt(fabrikam, dave, ANONYMOUS);
        Accepting m = accepting(HEADER, carolIn, rcpt(contoso, bob, ANONYMOUS), daveIn);
        stage.apply(m);
        assertThat(of(m, "carol@fabrikam.com")).isSameAs(carolIn);
        assertThat(of(m, "dave@fabrikam.com")).isSameAs(daveIn);
        assertThat(m.events()).extracting(MessageTraceEvent::tenantId).containsOnly(contoso.id());
    }

    @Test
    void withoutAnyRulesTheStageChangesNothing() throws Exception {
        Accepting m = accepting(HEADER, rcpt(contoso, bob, ANONYMOUS), rcpt(fabrikam, carol, ANONYMOUS));
        List<Accepting.Recipient> before = new ArrayList<>(m.recipients());
        assertThat(stage.apply(m)).isNull();
        assertThat(m.recipients()).containsExactlyElementsOf(before);
        assertThat(m.events()).isEmpty();
        assertThat(m.toIncoming().variants()).isEmpty();
    }

    // --- scoping --------------------------------------------------------------------------------------

    @Test
    void eachTenantsRulesSeeOnlyItsOwnRecipients() throws Exception {
        rule(contoso, "ToFabrikam", Map.of("RecipientDomainIs", List.of("fabrikam.com"), "Quarantine", true));
        rule(contoso, "ToCarol", Map.of("SentTo", List.of("carol@fabrikam.com"), "DeleteMessage", true));
        TransportRule all = rule(contoso, "All", Map.of("SetHeaderName", "X-Seen-By", "SetHeaderValue", "contoso"));
        rule(fabrikam, "Never", Map.of("SubjectContainsWords", List.of("nomatch"), "Quarantine", true));
        Accepting m = accepting(HEADER, rcpt(contoso, bob, ANONYMOUS), rcpt(fabrikam, carol, ANONYMOUS));
        assertThat(stage.apply(m)).isNull();
        assertThat(of(m, "carol@fabrikam.com").verdict()).isEqualTo(Verdict.DELIVER);
        assertThat(of(m, "carol@fabrikam.com").row().status()).isEqualTo(RecipientStatus.Pending);
        assertThat(of(m, "carol@fabrikam.com").row().variant()).isNull();
        assertThat(of(m, "bob@contoso.com").row().variant()).isEqualTo(0);
        assertThat(m.events()).filteredOn(e -> e.event() == TraceEventType.TransportRule)
                .extracting(MessageTraceEvent::tenantId, MessageTraceEvent::recipient, MessageTraceEvent::detail)
                .containsExactly(tuple(contoso.id(), "bob@contoso.com", transportRuleDetail(all)));
    }

    @Test
    void eachTenantsRulesReadItsOwnStampSoAuthAsInternalMatchesOnlyTheOriginatingTenantsCopy() throws Exception {
        Map<String, Object> internal = Map.of("HeaderContainsMessageHeader", "X-MS-Exchange-Organization-AuthAs", "HeaderContainsWords",
                List.of("Internal"), "Quarantine", true);
        TransportRule c = rule(contoso, "Internal", internal);
        rule(fabrikam, "Internal", internal);
        // a sender's own AuthAs: Internal is removed by the header firewall before the rules read the copy
        Accepting m = accepting("X-MS-Exchange-Organization-AuthAs: Internal\r\n" + HEADER, rcpt(contoso, bob, INTERNAL),
                rcpt(fabrikam, carol, ANONYMOUS));
        assertThat(stage.apply(m)).isNull();
        assertThat(of(m, "bob@contoso.com").verdict()).isEqualTo(new Verdict.Quarantine("Internal", c.guid()));
        assertThat(of(m, "bob@contoso.com").row().status()).isEqualTo(RecipientStatus.Quarantined);
        assertThat(of(m, "carol@fabrikam.com").verdict()).isEqualTo(Verdict.DELIVER);
        assertThat(of(m, "carol@fabrikam.com").row().status()).isEqualTo(RecipientStatus.Pending);
    }

    @Test
    void aNotificationCarriesTheTenantsCopyItsTokensWillRead() throws Exception {
        rule(contoso, "Notify", Map.of("SentTo", List.of("bob@contoso.com"), "GenerateNotification", "Held: %%Subject%%"));
        Accepting m = accepting(HEADER, rcpt(contoso, bob, ANONYMOUS), rcpt(fabrikam, carol, ANONYMOUS));
        assertThat(stage.apply(m)).isNull();
        assertThat(m.notifications()).singleElement().satisfies(n -> {
            assertThat(n.tenantId()).isEqualTo(contoso.id());
            assertThat(n.recipient()).isEqualTo("bob@contoso.com");
            assertThat(n.text()).isEqualTo("Held: %%Subject%%"); // expanded by the report stage, not here
            assertThat(n.copy().first("X-MS-Exchange-CrossTenant-Id")).isEqualTo(contoso.Guid());
            assertThat(n.copy().first("Subject")).isEqualTo("hi");
        });
        assertThat(m.events()).extracting(MessageTraceEvent::event).doesNotContain(TraceEventType.Notification);
    }

    @Test
    void aDeleteRuleFailsTheRecipientWithADropEvent() throws Exception {
        TransportRule drop = rule(contoso, "Drop", Map.of("SentTo", List.of("bob@contoso.com"), "DeleteMessage", true));
        Accepting m = accepting(HEADER, rcpt(contoso, alice, ANONYMOUS), rcpt(contoso, bob, ANONYMOUS));
        assertThat(stage.apply(m)).isNull();
        assertThat(of(m, "bob@contoso.com").verdict())
                .isEqualTo(new Verdict.Delete("Message deleted by transport rule 'Drop'", "Drop", drop.guid()));
        assertThat(of(m, "bob@contoso.com").row().status()).isEqualTo(RecipientStatus.Failed);
        assertThat(m.events()).filteredOn(e -> e.event() == TraceEventType.Drop).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo("Message deleted by transport rule 'Drop'"));
    }

    // --- what the rules read ----------------------------------------------------------------------------

    @Test
    void aSecondSubjectFieldIsReadBySubjectContainsWords() throws Exception {
        TransportRule r = rule(contoso, "Invoices", Map.of("SubjectContainsWords", List.of("invoice"), "Quarantine", true));
        Accepting two = accepting("From: x@partner.example\r\nSubject: hello\r\nSubject: your invoice\r\n", rcpt(contoso, bob, ANONYMOUS));
        stage.apply(two);
        assertThat(of(two, "bob@contoso.com").verdict()).isEqualTo(new Verdict.Quarantine("Invoices", r.guid()));
        Accepting one = accepting("From: x@partner.example\r\nSubject: hello\r\n", rcpt(contoso, bob, ANONYMOUS));
        stage.apply(one);
        assertThat(of(one, "bob@contoso.com").verdict()).isEqualTo(Verdict.DELIVER);
    }

    @Test
    void rejectingEveryEnvelopeRecipientRefusesTheDataEvenWhenARuleAddedACopy() throws Exception {
        rule(contoso, "Audit", Map.of("CopyTo", List.of("alice@contoso.com")));
        TransportRule block = rule(contoso, "Block", Map.of("RejectMessageReasonText", "Go away"));
        Accepting m = accepting(HEADER, rcpt(contoso, bob, ANONYMOUS));
        Refusal r = stage.apply(m);
        assertThat(m.recipients()).extracting(x -> x.row().address(), Accepting.Recipient::verdict).containsExactly(
                tuple("bob@contoso.com", new Verdict.Reject("5.7.1", "Go away", "Block", block.guid())),
                tuple("alice@contoso.com", new Verdict.Delete("Copy not sent: 5.7.1 Go away", "Block", block.guid())));
        assertThat(r).isNotNull();
        assertThat(r.reply().toString()).isEqualTo("550 5.7.1 Go away");
    }
}
