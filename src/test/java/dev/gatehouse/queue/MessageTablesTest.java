// The queue as the one owner of the message tables: what other packages ask of it, on both stores.
package dev.gatehouse.queue;

import static dev.gatehouse.queue.TestMessages.count;
import static dev.gatehouse.queue.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.mail.AuthAs;
import dev.gatehouse.mail.Directionality;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class MessageTablesTest extends StoreTestBase {

    private static final String STAMP = "X-MS-Exchange-Organization-AuthAs: Anonymous\r\n";

    private long rowIdOf(String networkMessageId) {
        return count(store, "SELECT id FROM messages WHERE network_message_id = '" + networkMessageId + "'");
    }

    @Test
    void aReleaseAddsAVariantAndPendingRecipientsWithTheirEventsInTheCallersTransaction() {
        IncomingMessage m = message(List.of(new QueuedRecipient(1, "a@contoso.com", null)
                .withVerdict("a@contoso.com", null, RecipientStatus.Quarantined, "held", null)));
        new MessageQueue(store).enqueue(m).join();
        long row = rowIdOf(m.networkMessageId());
        byte[] released = "X-Released: yes\r\nSubject: s\r\n\r\nb\r\n".getBytes(StandardCharsets.US_ASCII);
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        store.writeAndWait(ctx -> {
            MessageQueue.addRecipients(ctx, row, m.networkMessageId(), 1, released,
                    List.of(new QueuedRecipient(1, "a@contoso.com", 7L), new QueuedRecipient(1, "b@contoso.com", null)),
                    TraceEventType.Release, "Message released from quarantine by admin", at);
            return null;
        });
        assertThat(count(store, "SELECT COUNT(*) FROM message_variants WHERE message_id = " + row)).isEqualTo(1);
        assertThat(count(store, "SELECT COUNT(*) FROM recipients WHERE message_id = " + row + " AND status = 'Pending' AND variant_id IS NOT NULL"))
                .isEqualTo(2);
        assertThat(count(store, "SELECT COUNT(*) FROM recipients WHERE message_id = " + row + " AND mailbox_id = 7")).isEqualTo(1);
        List<MessageTraceEvent> events = new MessageTrace(store).events(1, m.networkMessageId());
        assertThat(events).filteredOn(e -> e.event() == TraceEventType.Release).extracting(MessageTraceEvent::recipient)
                .containsExactly("a@contoso.com", "b@contoso.com");
        assertThat(events).filteredOn(e -> e.event() == TraceEventType.Release).allSatisfy(e -> assertThat(e.timestamp()).isEqualTo(at));
    }

    @Test
    void contentIsDroppedOnlyWhenNoRecipientStillNeedsIt() {
        MessageQueue q = new MessageQueue(store);
        IncomingMessage pending = message(List.of(new QueuedRecipient(1, "a@contoso.com", null)));
        IncomingMessage relay = message(List.of(new QueuedRecipient(1, "x@else.example", null, RecipientStatus.AwaitingRelay, null,
                Directionality.Originating, AuthAs.Internal, false, null)));
        IncomingMessage held = message(List.of(new QueuedRecipient(1, "a@contoso.com", null)
                .withVerdict("a@contoso.com", null, RecipientStatus.Quarantined, "held", null)));
        for (IncomingMessage m : List.of(pending, relay, held)) q.enqueue(m).join();
        for (IncomingMessage m : List.of(pending, relay, held)) {
            long row = rowIdOf(m.networkMessageId());
            boolean dropped = store.writeAndWait(ctx -> MessageQueue.dropContentIfUnneeded(ctx, row));
            assertThat(dropped).as(m.recipients().getFirst().status().name()).isEqualTo(m == held);
        }
        assertThat(count(store, "SELECT COUNT(*) FROM messages WHERE LENGTH(content) = 0")).isEqualTo(1);
        assertThat(RecipientStatus.Pending.needsContent()).isTrue();
        assertThat(RecipientStatus.AwaitingRelay.needsContent()).isTrue();
        assertThat(List.of(RecipientStatus.Delivered, RecipientStatus.Failed, RecipientStatus.Quarantined, RecipientStatus.Redirected))
                .noneMatch(RecipientStatus::needsContent);
    }

    @Test
    void aClaimedRecipientReadsItsTenantsCopyOfItsOwnVariant() {
        MessageQueue q = new MessageQueue(store);
        IncomingMessage base = message(List.of(new QueuedRecipient(1, "unused@contoso.com", null)));
        byte[] variant = "Received: from test\r\nSubject: [EXT] edited\r\n\r\nedited body\r\n".getBytes(StandardCharsets.US_ASCII);
        IncomingMessage m = new IncomingMessage(base.networkMessageId(), base.receivedAt(), base.mailFrom(), base.clientIp(), base.helo(),
                null, null, null, "s", null, base.content(), base.content().length,
                List.of(new QueuedRecipient(1, "a@contoso.com", 5L, RecipientStatus.Pending, "", Directionality.Incoming, AuthAs.Anonymous,
                                false, STAMP),
                        new QueuedRecipient(1, "b@contoso.com", 6L, RecipientStatus.Pending, "", Directionality.Incoming, AuthAs.Anonymous,
                                false, STAMP, null, 0)),
                List.of(variant), List.of(), null);
        q.enqueue(m).join();
        DeliveryLedger ledger = new DeliveryLedger(store, "node-1");
        List<ClaimedRecipient> claimed = ledger.claim(10, 60_000);
        assertThat(claimed).extracting(ClaimedRecipient::address).containsExactlyInAnyOrder("a@contoso.com", "b@contoso.com");
        for (ClaimedRecipient r : claimed) {
            DeliveryLedger.Target t = ledger.target(r);
            String copy = new String(t.content(), StandardCharsets.US_ASCII);
            assertThat(copy).startsWith("Received: from test\r\n" + STAMP);
            assertThat(copy).contains(r.address().startsWith("b") ? "[EXT] edited" : "Subject: test ");
            assertThat(t.mailboxId()).isEqualTo(r.address().startsWith("a") ? 5L : 6L);
            assertThat(t.networkMessageId()).isEqualTo(m.networkMessageId());
            assertThat(t.withoutContent().content()).isNull();
        }
        ClaimedRecipient a = claimed.getFirst();
        assertThat(ledger.target(new ClaimedRecipient(a.id(), a.messageId(), 2, a.address(), a.mailboxId(), 0)))
                .as("another tenant's id never reads the row").isNull();
    }

    @Test
    void directSendCopiesAreReadPerTenantInTheWindow() {
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        QueuedRecipient ds = new QueuedRecipient(1, "a@contoso.com", null, RecipientStatus.Pending, "", Directionality.Incoming,
                AuthAs.Anonymous, true, null);
        QueuedRecipient other = new QueuedRecipient(2, "b@fabrikam.com", null, RecipientStatus.Pending, "", Directionality.Incoming,
                AuthAs.Anonymous, true, null);
        MessageQueue q = new MessageQueue(store);
        q.enqueue(message(t0.plusSeconds(10), List.of(ds, other))).join();
        q.enqueue(message(t0.plusSeconds(20), List.of(new QueuedRecipient(1, "a@contoso.com", null)))).join();
        q.enqueue(message(t0.plusSeconds(3600), List.of(ds))).join();
        List<MessageTrace.DirectSendCopy> copies = new MessageTrace(store).directSend(1, t0, t0.plusSeconds(60));
        assertThat(copies).singleElement().satisfies(c -> {
            assertThat(c.clientIp()).isEqualTo("192.0.2.1");
            assertThat(c.mailFrom()).isEqualTo("sender@example.net");
            assertThat(c.receivedAt()).isEqualTo(t0.plusSeconds(10));
        });
        assertThat(new MessageTrace(store).directSend(3, t0, t0.plusSeconds(7200))).isEmpty();
    }

    @Test
    void typedAttributionIsStoredByName() {
        new MessageQueue(store).enqueue(message(List.of(new QueuedRecipient(1, "a@contoso.com", null, RecipientStatus.Pending, "Hybrid",
                Directionality.Originating, AuthAs.Internal, false, null)))).join();
        assertThat(count(store, "SELECT COUNT(*) FROM recipients WHERE directionality = 'Originating' AND auth_as = 'Internal'"
                + " AND inbound_connector = 'Hybrid' AND status = 'Pending'")).isEqualTo(1);
    }

    @Test
    void aClaimWhoseOutcomeCouldNotBeWrittenIsGivenBackAndTheNextClaimKnowsItWasInterrupted() {
        new MessageQueue(store).enqueue(message(List.of(new QueuedRecipient(1, "a@contoso.com", null)))).join();
        DeliveryLedger mine = new DeliveryLedger(store, "node-1");
        DeliveryLedger other = new DeliveryLedger(store, "node-2");
        ClaimedRecipient first = mine.claim(10, 600_000).getFirst();
        assertThat(first.interrupted()).isFalse();
        assertThat(other.claim(10, 600_000)).as("leased for ten minutes").isEmpty();
        other.release(List.of(first));
        assertThat(mine.anyDue()).as("another node can't give back my claim").isFalse();
        mine.release(List.of(first));
        assertThat(mine.anyDue()).as("due again at once, not when the lease runs out").isTrue();
        ClaimedRecipient again = other.claim(10, 600_000).getFirst();
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.claims()).isEqualTo(2);
        assertThat(again.interrupted()).as("the first claim ended without an outcome").isTrue();
        other.deferred(again, "nmid", "try later", System.currentTimeMillis() - 1).join();
        ClaimedRecipient third = mine.claim(10, 600_000).getFirst();
        assertThat(third.attempts()).isEqualTo(1);
        assertThat(third.interrupted()).as("one claim deferred, one interrupted: still interrupted").isTrue();
    }
}
