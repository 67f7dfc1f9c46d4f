// The report stage without sockets: NDRs and rule notifications written with the message through the real queue.
package dev.gatehouse.ndr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import dev.gatehouse.pipeline.Verdict;
import dev.gatehouse.queue.EnqueueHook;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.queue.MessageTrace;
import dev.gatehouse.queue.MessageTraceEvent;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.queue.RecipientStatus;
import dev.gatehouse.queue.TraceEventType;
import dev.gatehouse.queue.TraceRecipient;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

/** Contoso (contoso.com: alice, bob) and Fabrikam (fabrikam.com: carol, dave); reports routed by the real directory. */
@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class ReportStageTest extends StoreTestBase {

    static final String NMID = "8026f7a2-10c7-4894-75d5-08db7c3b05c4";
    static final Attribution ANONYMOUS = Attribution.defaultConnector(false);
    static final Pattern QUEUED = Pattern.compile("(?:non-delivery report|notification) ([0-9a-f-]{36}) queued to ");

    private Tenant contoso;
    private Tenant fabrikam;
    private Mailbox alice;
    private Mailbox bob;
    private Mailbox carol;
    private Mailbox dave;
    private ReportStage stage;

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
        stage = new ReportStage(new Bounces(new Directory(store), "mx.gatehouse.test"));
    }

    // --- helpers ------------------------------------------------------------------------------------

    private Accepting accepting(String mailFrom) throws Exception {
        Accepting m = new Accepting(NMID, Instant.now(), new Accepting.Client("s1", InetAddress.getByName("203.0.113.50"), "client.example", true,
                null, null), mailFrom, List.of(), Message.parse(("From: x@partner.example\r\nTo: bob@contoso.com\r\nSubject: hi\r\n"
                + "Message-ID: <m1@partner.example>\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8)));
        assertThat(new HeaderFirewall("mx.gatehouse.test").apply(m)).isNull();
        return m;
    }

    private static Accepting.Recipient deliver(Tenant t, Mailbox mb) {
        return new Accepting.Recipient(row(t, mb, RecipientStatus.Pending, null), Verdict.DELIVER);
    }

    private static Accepting.Recipient rejected(Tenant t, Mailbox mb, String status, String text, String rule) {
        return new Accepting.Recipient(row(t, mb, RecipientStatus.Failed, status + " " + text),
                new Verdict.Reject(status, text, rule, "00000000-0000-0000-0000-00000000000" + rule.length()));
    }

    private static QueuedRecipient row(Tenant t, Mailbox mb, RecipientStatus status, String error) {
        return new QueuedRecipient(t.id(), mb.PrimarySmtpAddress(), mb.id(), status, "", ANONYMOUS.directionality(), ANONYMOUS.authAs(), false,
                Stamps.of(ANONYMOUS, t.Guid(), "mx.gatehouse.test"), error, null);
    }

    private static String queuedId(String detail) {
        Matcher mt = QUEUED.matcher(detail);
        assertThat(mt.find()).as(detail).isTrue();
        return mt.group(1);
    }

    private record Stored(String networkMessageId, String mailFrom, String subject, String content) {}

    private Stored stored(String networkMessageId) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT network_message_id, mail_from, subject, content FROM messages WHERE network_message_id = ?")) {
                ps.setString(1, networkMessageId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new Stored(rs.getString(1), rs.getString(2), rs.getString(3), new String(rs.getBytes(4), StandardCharsets.UTF_8)) : null;
                }
            }
        });
    }

    private List<String> messageIds() {
        return store.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT network_message_id FROM messages ORDER BY id"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        });
    }

    private void commit(Accepting m) { new MessageQueue(store).enqueue(m.toIncoming()).join(); }

    // --- NDRs -----------------------------------------------------------------------------------------

    @Test
    void aPartialRejectSendsTheSenderOneNdrPerTenantListingOnlyThatTenantsRejectedRecipients() throws Exception {
        Accepting m = accepting("x@partner.example");
        m.recipients(List.of(deliver(contoso, alice), rejected(contoso, bob, "5.7.1", "Bob is away", "Away"),
                rejected(fabrikam, carol, "5.7.950", "No thanks", "Block2"), deliver(fabrikam, dave)));
        assertThat(stage.apply(m)).isNull();

        List<MessageTraceEvent> ndrs = m.events().stream().filter(e -> e.event() == TraceEventType.Ndr).toList();
        assertThat(ndrs).extracting(MessageTraceEvent::tenantId, MessageTraceEvent::recipient)
                .containsExactly(tuple(contoso.id(), "bob@contoso.com"), tuple(fabrikam.id(), "carol@fabrikam.com"));
        assertThat(m.events()).hasSize(2);
        String contosoNdr = queuedId(ndrs.get(0).detail());
        String fabrikamNdr = queuedId(ndrs.get(1).detail());
        assertThat(ndrs.get(0).detail()).isEqualTo("550 5.7.1 Bob is away (non-delivery report " + contosoNdr + " queued to x@partner.example)");
        assertThat(ndrs.get(1).detail()).isEqualTo("550 5.7.950 No thanks (non-delivery report " + fabrikamNdr + " queued to x@partner.example)");
        assertThat(contosoNdr).isNotEqualTo(fabrikamNdr);

        commit(m);
        assertThat(messageIds()).containsExactlyInAnyOrder(NMID, contosoNdr, fabrikamNdr);
        // each NDR belongs to the tenant whose recipient failed, relayed to the outside sender
        MessageTrace trace = new MessageTrace(store);
        assertThat(trace.recipients(contoso.id(), contosoNdr)).extracting(TraceRecipient::recipient, TraceRecipient::status)
                .containsExactly(tuple("x@partner.example", "AwaitingRelay"));
        assertThat(trace.recipients(fabrikam.id(), fabrikamNdr)).extracting(TraceRecipient::recipient, TraceRecipient::status)
                .containsExactly(tuple("x@partner.example", "AwaitingRelay"));
        assertThat(trace.recipients(fabrikam.id(), contosoNdr)).isEmpty();

        Stored c = stored(contosoNdr);
        assertThat(c.mailFrom()).isEmpty();
        assertThat(c.subject()).isEqualTo("Undeliverable: hi");
        assertThat(c.content()).contains("From: Mail Delivery System <postmaster@mx.gatehouse.test>\r\n")
                .contains("\r\nTo: <x@partner.example>\r\n")
                .contains("\r\n  bob@contoso.com: 550 5.7.1 Bob is away\r\n")
                .contains("\r\nFinal-Recipient: rfc822; bob@contoso.com\r\nAction: failed\r\nStatus: 5.7.1\r\nDiagnostic-Code: smtp; 550 5.7.1 Bob is away\r\n")
                .contains("\r\nX-Gatehouse-Network-Message-Id: " + NMID + "\r\n")
                .contains("\r\nSubject: hi\r\n") // the original's header fields are attached
                .doesNotContain("carol").doesNotContain("alice@contoso.com:").doesNotContain("No thanks")
                // but never the gateway's own stamp fields
                .doesNotContain("X-MS-Exchange-").doesNotContain(contoso.Guid());
        Stored f = stored(fabrikamNdr);
        assertThat(f.content()).contains("\r\n  carol@fabrikam.com: 550 5.7.950 No thanks\r\n").contains("\r\nStatus: 5.7.950\r\n")
                .doesNotContain("bob@contoso.com:").doesNotContain("Bob is away").doesNotContain("dave@");
    }

    @Test
    void anNdrToALocalSenderIsDeliveredToItsMailbox() throws Exception {
        Accepting m = accepting("dave@fabrikam.com");
        m.recipients(List.of(deliver(contoso, alice), rejected(contoso, bob, "5.7.1", "Bob is away", "Away")));
        stage.apply(m);
        String ndr = queuedId(m.events().getFirst().detail());
        assertThat(m.events().getFirst().detail()).endsWith(" queued to dave@fabrikam.com)");
        commit(m);
        // the NDR goes to the tenant that owns the sender's mailbox
        assertThat(new MessageTrace(store).recipients(fabrikam.id(), ndr)).extracting(TraceRecipient::recipient, TraceRecipient::status)
                .containsExactly(tuple("dave@fabrikam.com", "Pending"));
    }

    @Test
    void aNullSenderGetsNoNdrAndTheEventSaysSo() throws Exception {
        Accepting m = accepting("");
        m.recipients(List.of(deliver(contoso, alice), rejected(contoso, bob, "5.7.1", "Bob is away", "Away")));
        assertThat(stage.apply(m)).isNull();
        assertThat(m.events()).extracting(MessageTraceEvent::tenantId, MessageTraceEvent::recipient, MessageTraceEvent::event, MessageTraceEvent::detail)
                .containsExactly(tuple(contoso.id(), "bob@contoso.com", TraceEventType.Ndr, "550 5.7.1 Bob is away (null sender: no NDR)"));
        assertThat(m.toIncoming().hook()).isSameAs(EnqueueHook.NONE);
        commit(m);
        assertThat(messageIds()).containsExactly(NMID);
    }

    @Test
    void aSenderThatCannotReceiveGetsNoNdrAndTheEventSaysSo() throws Exception {
        Accepting m = accepting("ghost@contoso.com"); // an unknown address in an Authoritative domain
        m.recipients(List.of(deliver(contoso, alice), rejected(contoso, bob, "5.7.1", "Bob is away", "Away")));
        stage.apply(m);
        assertThat(m.events()).singleElement().satisfies(e ->
                assertThat(e.detail()).isEqualTo("550 5.7.1 Bob is away (the sender can't receive an NDR: none sent)"));
        assertThat(m.toIncoming().hook()).isSameAs(EnqueueHook.NONE);
    }

    // --- notifications --------------------------------------------------------------------------------

    @Test
    void aNotificationGoesToItsRecipientWithTokensExpandedFromTheCopy() throws Exception {
        Accepting m = accepting("x@partner.example");
        m.recipients(List.of(deliver(contoso, bob)));
        // the copy the rule matched: its values, not the received message's, fill the tokens
        Message copy = Message.parse("From: ceo@copy.example\r\nTo: team@copy.example\r\nSubject: copy subject\r\nDate: Sat, 28 Nov 2026 18:00:00 +0000\r\n\r\n"
                .getBytes(StandardCharsets.UTF_8));
        m.notification(new Accepting.NotificationRequest(contoso.id(), "alice@contoso.com",
                "Held %%Subject%% from %%From%% to %%To%% on %%MessageDate%%", copy));
        assertThat(stage.apply(m)).isNull();
        assertThat(m.events()).singleElement().satisfies(e -> {
            assertThat(e.tenantId()).isEqualTo(contoso.id());
            assertThat(e.recipient()).isEqualTo("alice@contoso.com");
            assertThat(e.event()).isEqualTo(TraceEventType.Notification);
            assertThat(e.detail()).isEqualTo("GenerateNotification: notification " + queuedId(e.detail()) + " queued to alice@contoso.com");
        });
        String id = queuedId(m.events().getFirst().detail());
        commit(m);
        Stored n = stored(id);
        assertThat(n.mailFrom()).isEmpty();
        assertThat(n.subject()).isEqualTo("Notification: hi");
        assertThat(n.content()).startsWith("From: <postmaster@mx.gatehouse.test>\r\nTo: <alice@contoso.com>\r\nSubject: Notification: hi\r\n")
                .endsWith("\r\n\r\nHeld copy subject from ceo@copy.example to team@copy.example on Sat, 28 Nov 2026 18:00:00 +0000\r\n");
        assertThat(new MessageTrace(store).recipients(contoso.id(), id)).extracting(TraceRecipient::recipient, TraceRecipient::status)
                .containsExactly(tuple("alice@contoso.com", "Pending"));
    }

    @Test
    void aNotificationsHeadersTokenNeverShowsTheTenantsStamp() throws Exception {
        Accepting m = accepting("x@partner.example");
        m.recipients(List.of(deliver(contoso, bob)));
        Message copy = m.tenantView(m.recipients().getFirst().row().stampHeaders());
        assertThat(copy.first("X-MS-Exchange-CrossTenant-Id")).isEqualTo(contoso.Guid());
        m.notification(new Accepting.NotificationRequest(contoso.id(), "alice@contoso.com", "%%Headers%%", copy));
        stage.apply(m);
        String id = queuedId(m.events().getFirst().detail());
        commit(m);
        String body = stored(id).content().split("\r\n\r\n", 2)[1];
        assertThat(body).contains("Subject: hi\r\n").contains("From: x@partner.example\r\n").contains("Received: from client.example")
                .doesNotContain("X-MS-Exchange").doesNotContain("X-EOP").doesNotContain(contoso.Guid());
    }

    @Test
    void aNotificationToAnAddressThatCannotReceiveIsNotSentAndTheEventSaysSo() throws Exception {
        Accepting m = accepting("x@partner.example");
        m.recipients(List.of(deliver(contoso, bob)));
        m.notification(new Accepting.NotificationRequest(contoso.id(), "ghost@contoso.com", "text", m.stored()));
        stage.apply(m);
        assertThat(m.events()).extracting(MessageTraceEvent::tenantId, MessageTraceEvent::recipient, MessageTraceEvent::event, MessageTraceEvent::detail)
                .containsExactly(tuple(contoso.id(), "ghost@contoso.com", TraceEventType.Notification,
                        "GenerateNotification: 'ghost@contoso.com' can't receive it, not sent"));
        assertThat(m.toIncoming().hook()).isSameAs(EnqueueHook.NONE);
    }

    @Test
    void nothingIsWrittenWhenNoVerdictAsksForAReport() throws Exception {
        Accepting m = accepting("x@partner.example");
        m.recipients(List.of(deliver(contoso, alice),
                new Accepting.Recipient(row(contoso, bob, RecipientStatus.Quarantined, null), new Verdict.Quarantine("Hold", "g")),
                new Accepting.Recipient(row(fabrikam, carol, RecipientStatus.Failed, null), new Verdict.Delete("deleted", "Drop", "g2"))));
        assertThat(stage.apply(m)).isNull();
        assertThat(m.events()).isEmpty();
        assertThat(m.toIncoming().hook()).isSameAs(EnqueueHook.NONE);
        commit(m);
        assertThat(messageIds()).containsExactly(NMID);
    }
}
