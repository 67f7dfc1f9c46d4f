// The quarantine stage without sockets: verdicts in, quarantined copies committed with the message through the real queue.
package dev.gatehouse.quarantine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.attribution.Stamps;
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
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class QuarantineStageTest extends StoreTestBase {

    static final String NMID = "8026f7a2-10c7-4894-75d5-08db7c3b05c4";
    static final String DETAIL = "Message quarantined in: DefaultFolderType:QuarantinedEmailSecured";
    static final Attribution ANONYMOUS = Attribution.defaultConnector(false);

    private final QuarantineStage stage = new QuarantineStage();
    private Tenant contoso;
    private Tenant fabrikam;
    private Instant receivedAt;

    @BeforeEach
    void tenants() {
        contoso = new TenantService(store).create("Contoso");
        fabrikam = new TenantService(store).create("Fabrikam");
        receivedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private Accepting accepting() {
        Accepting m = new Accepting(NMID, receivedAt, new Accepting.Client("s1", InetAddress.getLoopbackAddress(), "client.example", true, null, null),
                "x@partner.example", List.of(), Message.parse(("From: x@partner.example\r\nTo: alice@contoso.com\r\nSubject: hi\r\n"
                        + "Message-ID: <m1@partner.example>\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8)));
        assertThat(new HeaderFirewall("mx.gatehouse.test").apply(m)).isNull();
        return m;
    }

    private static QueuedRecipient row(Tenant t, String address, Long mailboxId, RecipientStatus status, Integer variant) {
        return new QueuedRecipient(t.id(), address, mailboxId, status, "", ANONYMOUS.directionality(), ANONYMOUS.authAs(), false,
                Stamps.of(ANONYMOUS, t.Guid(), "mx.gatehouse.test"), null, variant);
    }

    private static String text(byte[] b) { return new String(b, StandardCharsets.UTF_8); }

    @Test
    void onlyQuarantinedRecipientsGetACopyOfWhatTheyWouldHaveReceivedCommittedWithTheMessage() {
        Accepting m = accepting();
        int variant = m.addVariant(text(m.stored().bytes()).replace("\r\nSubject: hi\r\n", "\r\nSubject: [HOLD] hi\r\n").getBytes(StandardCharsets.UTF_8));
        QueuedRecipient alice = row(contoso, "alice@contoso.com", 10L, RecipientStatus.Quarantined, variant);
        QueuedRecipient bob = row(contoso, "bob@contoso.com", 11L, RecipientStatus.Pending, null);
        QueuedRecipient carol = row(fabrikam, "carol@fabrikam.com", 20L, RecipientStatus.Quarantined, null);
        QueuedRecipient dave = row(fabrikam, "dave@fabrikam.com", 21L, RecipientStatus.Failed, null);
        m.recipients(List.of(
                new Accepting.Recipient(alice, new Verdict.Quarantine("Hold", "00000000-0000-0000-0000-0000000000a1")),
                new Accepting.Recipient(bob, Verdict.DELIVER),
                new Accepting.Recipient(carol, new Verdict.Quarantine("Fabrikam hold", "00000000-0000-0000-0000-0000000000f1")),
                new Accepting.Recipient(dave, new Verdict.Reject("5.7.1", "No", "Block", "00000000-0000-0000-0000-0000000000f2"))));
        assertThat(stage.apply(m)).isNull();
        assertThat(m.events()).extracting(MessageTraceEvent::tenantId, MessageTraceEvent::recipient, MessageTraceEvent::event, MessageTraceEvent::detail)
                .containsExactly(tuple(contoso.id(), "alice@contoso.com", TraceEventType.Quarantine, DETAIL),
                        tuple(fabrikam.id(), "carol@fabrikam.com", TraceEventType.Quarantine, DETAIL));
        assertThat(m.toIncoming().hook()).isNotSameAs(EnqueueHook.NONE);

        new MessageQueue(store).enqueue(m.toIncoming()).join();
        QuarantineService quarantine = new QuarantineService(store);

        List<QuarantineMessage> mine = quarantine.list(contoso.id(), QuarantineService.Filter.all());
        assertThat(mine).singleElement().satisfies(q -> {
            assertThat(q.Identity()).startsWith(NMID + "\\");
            assertThat(q.RecipientAddress()).containsExactly("alice@contoso.com");
            assertThat(q.SenderAddress()).isEqualTo("x@partner.example");
            assertThat(q.Subject()).isEqualTo("hi");
            assertThat(q.MessageId()).isEqualTo("<m1@partner.example>");
            assertThat(q.PolicyName()).isEqualTo("Hold");
            assertThat(q.PolicyType()).isEqualTo("ExchangeTransportRule");
            assertThat(q.Type()).isEqualTo("Transport rule");
            assertThat(q.ReleaseStatus()).isEqualTo("NOTRELEASED");
            assertThat(q.ReceivedTime()).isEqualTo(receivedAt);
            assertThat(q.Expires()).isEqualTo(receivedAt.plus(QuarantineStore.RETENTION));
            assertThat(q.Size()).isEqualTo(m.deliveredCopy(alice).length);
        });
        byte[] aliceCopy = content(quarantine, contoso, mine.getFirst().Identity());
        assertThat(aliceCopy).isEqualTo(m.deliveredCopy(alice));
        // the stamp sits right below the gateway's trace fields, and the rule's edit (the variant) is in it
        String a = text(aliceCopy);
        assertThat(a).startsWith("Received: from client.example (127.0.0.1)\r\n");
        assertThat(a).contains("\r\nX-MS-Exchange-Organization-Network-Message-Id: " + NMID + "\r\nX-EOPAttributedMessage: 0\r\n")
                .contains("\r\nX-MS-Exchange-CrossTenant-Id: " + contoso.Guid() + "\r\n")
                .contains("\r\nSubject: [HOLD] hi\r\n").doesNotContain("\r\nSubject: hi\r\n").endsWith("\r\n\r\nbody\r\n");

        List<QuarantineMessage> theirs = quarantine.list(fabrikam.id(), QuarantineService.Filter.all());
        assertThat(theirs).singleElement().satisfies(q -> {
            assertThat(q.RecipientAddress()).containsExactly("carol@fabrikam.com");
            assertThat(q.PolicyName()).isEqualTo("Fabrikam hold");
            assertThat(q.Identity().split("\\\\")[0]).isEqualTo(NMID);
            assertThat(q.Identity()).isNotEqualTo(mine.getFirst().Identity());
        });
        byte[] carolCopy = content(quarantine, fabrikam, theirs.getFirst().Identity());
        assertThat(carolCopy).isEqualTo(m.deliveredCopy(carol));
        assertThat(text(carolCopy)).contains("\r\nX-MS-Exchange-CrossTenant-Id: " + fabrikam.Guid() + "\r\n").contains("\r\nSubject: hi\r\n")
                .doesNotContain(contoso.Guid());

        // the trace events were committed with the message, each in its tenant's trace
        assertThat(new MessageTrace(store).events(contoso.id(), NMID)).extracting(MessageTraceEvent::recipient, MessageTraceEvent::event)
                .containsExactly(tuple("alice@contoso.com", TraceEventType.Receive), tuple("bob@contoso.com", TraceEventType.Receive),
                        tuple("alice@contoso.com", TraceEventType.Quarantine));
        assertThat(new MessageTrace(store).recipients(contoso.id(), NMID)).extracting(r -> r.recipient(), r -> r.status())
                .containsExactly(tuple("alice@contoso.com", "Quarantined"), tuple("bob@contoso.com", "Pending"));
    }

    @Test
    void withoutAQuarantineVerdictTheStageAddsNothing() {
        Accepting m = accepting();
        m.recipients(List.of(new Accepting.Recipient(row(contoso, "bob@contoso.com", 11L, RecipientStatus.Pending, null), Verdict.DELIVER),
                new Accepting.Recipient(row(contoso, "alice@contoso.com", 10L, RecipientStatus.Failed, null),
                        new Verdict.Delete("Message deleted by transport rule 'Drop'", "Drop", "00000000-0000-0000-0000-0000000000d1"))));
        assertThat(stage.apply(m)).isNull();
        assertThat(m.events()).isEmpty();
        assertThat(m.toIncoming().hook()).isSameAs(EnqueueHook.NONE);
        new MessageQueue(store).enqueue(m.toIncoming()).join();
        assertThat(new QuarantineService(store).list(contoso.id(), QuarantineService.Filter.all())).isEmpty();
    }

    @Test
    void aQuarantinedCopyIsNotStoredWhenTheMessageIsNotCommitted() {
        Accepting m = accepting();
        QueuedRecipient alice = row(contoso, "alice@contoso.com", 10L, RecipientStatus.Quarantined, null);
        m.recipients(List.of(new Accepting.Recipient(alice, new Verdict.Quarantine("Hold", "00000000-0000-0000-0000-0000000000a1"))));
        stage.apply(m);
        MessageQueue queue = new MessageQueue(store);
        queue.enqueue(m.toIncoming()).join();
        // the same network message id again violates the messages unique index: that commit fails as a whole
        assertThat(queue.enqueue(m.toIncoming())).failsWithin(Duration.ofSeconds(10));
        assertThat(new QuarantineService(store).list(contoso.id(), QuarantineService.Filter.all())).hasSize(1);
    }

    private static byte[] content(QuarantineService q, Tenant t, String identity) {
        return Base64.getDecoder().decode(q.export(t.id(), identity, "test", null).Eml());
    }
}
