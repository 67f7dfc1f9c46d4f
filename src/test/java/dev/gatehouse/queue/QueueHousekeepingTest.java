// Housekeeping's edge cases: which bytes may go, which messages trace retention deletes, and a release after the bytes went.
package dev.gatehouse.queue;

import static dev.gatehouse.queue.TestMessages.count;
import static dev.gatehouse.queue.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class QueueHousekeepingTest extends StoreTestBase {

    private static final Instant LONG_AGO = Instant.now().minus(Duration.ofDays(200)).truncatedTo(ChronoUnit.MILLIS);

    private IncomingMessage enqueue(Instant at, QueuedRecipient... rs) {
        IncomingMessage m = message(at, List.of(rs));
        new MessageQueue(store).enqueue(m).join();
        return m;
    }

    private static QueuedRecipient to(String address, RecipientStatus status) {
        return new QueuedRecipient(1, address, null).withStatus(status, status.needsContent() ? null : "final");
    }

    private long bytesOf(IncomingMessage m) {
        return count(store, "SELECT LENGTH(content) FROM messages WHERE network_message_id = '" + m.networkMessageId() + "'");
    }

    private boolean exists(IncomingMessage m) {
        return count(store, "SELECT COUNT(*) FROM messages WHERE network_message_id = '" + m.networkMessageId() + "'") == 1;
    }

    @Test
    void everyFinalStatusLetsTheBytesGoAndEitherQueuedStatusKeepsThem() {
        MessageQueue q = new MessageQueue(store);
        IncomingMessage delivered = enqueue(LONG_AGO, to("a@contoso.com", RecipientStatus.Delivered));
        IncomingMessage failed = enqueue(LONG_AGO, to("a@contoso.com", RecipientStatus.Failed));
        IncomingMessage quarantined = enqueue(LONG_AGO, to("a@contoso.com", RecipientStatus.Quarantined));
        IncomingMessage redirected = enqueue(LONG_AGO, to("a@contoso.com", RecipientStatus.Redirected));
        IncomingMessage pending = enqueue(LONG_AGO, to("a@contoso.com", RecipientStatus.Pending));
        IncomingMessage relay = enqueue(LONG_AGO, to("x@else.example", RecipientStatus.AwaitingRelay));
        IncomingMessage mixed = enqueue(LONG_AGO, to("a@contoso.com", RecipientStatus.Delivered), to("b@contoso.com", RecipientStatus.Pending));

        assertThat(q.dropDeliveredContent(Instant.now())).isEqualTo(4);
        for (IncomingMessage gone : List.of(delivered, failed, quarantined, redirected)) assertThat(bytesOf(gone)).isZero();
        for (IncomingMessage kept : List.of(pending, relay, mixed)) assertThat(bytesOf(kept)).isPositive();
        assertThat(count(store, "SELECT COUNT(*) FROM messages")).as("rows stay for trace").isEqualTo(7);
    }

    @Test
    void theGraceIsStrictAndAMessageWithoutBytesIsNotCountedAgain() {
        MessageQueue q = new MessageQueue(store);
        Instant at = Instant.now().minusSeconds(7200).truncatedTo(ChronoUnit.MILLIS);
        IncomingMessage m = enqueue(at, to("a@contoso.com", RecipientStatus.Delivered));
        assertThat(q.dropDeliveredContent(at)).as("received exactly at the cutoff: not before it").isZero();
        assertThat(q.dropDeliveredContent(at.plusMillis(1))).isEqualTo(1);
        assertThat(bytesOf(m)).isZero();
        assertThat(q.dropDeliveredContent(Instant.now())).isZero();

        // a refused message is stored as a record without bytes from the start: nothing to drop
        IncomingMessage record = new IncomingMessage("rec-" + m.networkMessageId().substring(4), at, "", null, null, null, null, null, null,
                null, new byte[0], 900, List.of(to("b@contoso.com", RecipientStatus.Failed)), null, null, null);
        q.enqueue(record).join();
        assertThat(q.dropDeliveredContent(Instant.now())).isZero();
    }

    @Test
    void retentionKeepsAMessageReceivedExactlyAtTheCutoff() {
        MessageQueue q = new MessageQueue(store);
        IncomingMessage before = enqueue(LONG_AGO.minusMillis(1), to("a@contoso.com", RecipientStatus.Delivered));
        IncomingMessage at = enqueue(LONG_AGO, to("b@contoso.com", RecipientStatus.Delivered));
        assertThat(q.purgeFinalOlderThan(LONG_AGO)).isEqualTo(1);
        assertThat(exists(before)).isFalse();
        assertThat(exists(at)).isTrue();
    }

    @Test
    void retentionDeletesEveryTenantsEventsOfAMessageAndNothingOfAnotherMessage() {
        MessageQueue q = new MessageQueue(store);
        IncomingMessage shared = message(LONG_AGO, List.of(new QueuedRecipient(1, "a@contoso.com", null).withStatus(RecipientStatus.Delivered, null),
                new QueuedRecipient(2, "b@fabrikam.com", null).withStatus(RecipientStatus.Failed, "550")));
        q.enqueue(shared).join();
        IncomingMessage kept = enqueue(Instant.now(), to("c@contoso.com", RecipientStatus.Delivered));
        MessageTrace trace = new MessageTrace(store);
        assertThat(trace.events(2, shared.networkMessageId())).isNotEmpty();

        assertThat(q.purgeFinalOlderThan(Instant.now().minus(Duration.ofDays(90)))).isEqualTo(1);
        assertThat(trace.events(1, shared.networkMessageId())).isEmpty();
        assertThat(trace.events(2, shared.networkMessageId())).isEmpty();
        assertThat(trace.recipients(2, shared.networkMessageId())).isEmpty();
        assertThat(trace.events(1, kept.networkMessageId())).hasSize(1);
    }

    @Test
    void retentionDeletesTheRuleVariantsOfAMessage() {
        IncomingMessage base = message(LONG_AGO, List.of(to("x@contoso.com", RecipientStatus.Delivered)));
        IncomingMessage m = new IncomingMessage(base.networkMessageId(), base.receivedAt(), base.mailFrom(), null, null, null, null, null, null,
                null, base.content(), base.size(), List.of(new QueuedRecipient(1, "a@contoso.com", null, RecipientStatus.Delivered, null, null,
                null, false, null, null, 0)), List.of("Subject: edited\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII)), null, null);
        MessageQueue q = new MessageQueue(store);
        q.enqueue(m).join();
        assertThat(count(store, "SELECT COUNT(*) FROM message_variants")).isEqualTo(1);
        assertThat(q.purgeFinalOlderThan(Instant.now())).isEqualTo(1);
        assertThat(count(store, "SELECT COUNT(*) FROM message_variants")).isZero();
    }

    @Test
    void anOldQueuedMessageDoesNotStopTheWalkButTheFirstYoungMessageDoes() {
        MessageQueue q = new MessageQueue(store);
        IncomingMessage stuck = enqueue(LONG_AGO, to("a@contoso.com", RecipientStatus.AwaitingRelay));
        IncomingMessage oldDone = enqueue(LONG_AGO.plusSeconds(1), to("b@contoso.com", RecipientStatus.Delivered));
        IncomingMessage young = enqueue(Instant.now(), to("c@contoso.com", RecipientStatus.Delivered));
        // received long ago but stored after a young one (a clock step): ids grow with time, so the walk stops before it
        IncomingMessage latecomer = enqueue(LONG_AGO, to("d@contoso.com", RecipientStatus.Delivered));

        assertThat(q.purgeFinalOlderThan(Instant.now().minus(Duration.ofDays(90)))).isEqualTo(1);
        assertThat(exists(stuck)).as("still queued: kept whatever its age").isTrue();
        assertThat(exists(oldDone)).isFalse();
        assertThat(exists(young)).isTrue();
        assertThat(exists(latecomer)).as("behind the first young message: left for a later run").isTrue();
    }

    @Test
    void aReleaseAfterTheBytesWereDroppedDeliversFromItsOwnVariant() {
        MessageQueue q = new MessageQueue(store);
        IncomingMessage held = enqueue(Instant.now(), to("a@contoso.com", RecipientStatus.Quarantined));
        long row = count(store, "SELECT id FROM messages WHERE network_message_id = '" + held.networkMessageId() + "'");
        boolean dropped = store.writeAndWait(ctx -> MessageQueue.dropContentIfUnneeded(ctx, row));
        boolean again = store.writeAndWait(ctx -> MessageQueue.dropContentIfUnneeded(ctx, row));
        assertThat(dropped).isTrue();
        assertThat(again).as("idempotent").isTrue();
        assertThat(bytesOf(held)).isZero();

        byte[] copy = "Received: from quarantine\r\nSubject: released\r\n\r\nthe held copy\r\n".getBytes(StandardCharsets.US_ASCII);
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        store.writeAndWait(ctx -> {
            MessageQueue.addRecipients(ctx, row, held.networkMessageId(), 1, copy, List.of(new QueuedRecipient(1, "a@contoso.com", 4L)),
                    TraceEventType.Release, "Message released from quarantine by admin@contoso.com", at);
            return null;
        });
        DeliveryLedger ledger = new DeliveryLedger(store, "node-1");
        ClaimedRecipient r = ledger.claim(10, 60_000).getFirst();
        assertThat(r.address()).isEqualTo("a@contoso.com");
        assertThat(r.mailboxId()).isEqualTo(4L);
        assertThat(r.claims()).isEqualTo(1);
        assertThat(ledger.target(r).content()).as("the released copy, though the message's own bytes are gone").isEqualTo(copy);
        assertThat(q.pendingRecipients()).isEqualTo(1);
        assertThat(new MessageTrace(store).events(1, held.networkMessageId())).filteredOn(e -> e.event() == TraceEventType.Release)
                .singleElement().satisfies(e -> {
                    assertThat(e.detail()).isEqualTo("Message released from quarantine by admin@contoso.com");
                    assertThat(e.timestamp()).isEqualTo(at);
                });
    }

    @Test
    void aReleaseThatFailsInTheCallersTransactionLeavesNoRecipientVariantOrEvent() {
        IncomingMessage held = enqueue(Instant.now(), to("a@contoso.com", RecipientStatus.Quarantined));
        long row = count(store, "SELECT id FROM messages WHERE network_message_id = '" + held.networkMessageId() + "'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.writeAndWait(ctx -> {
            MessageQueue.addRecipients(ctx, row, held.networkMessageId(), 1, new byte[] {'x'},
                    List.of(new QueuedRecipient(1, "a@contoso.com", null)), TraceEventType.Release, "released", Instant.now());
            throw new java.sql.SQLException("the quarantine audit row could not be written");
        })).hasRootCauseMessage("the quarantine audit row could not be written");
        assertThat(count(store, "SELECT COUNT(*) FROM message_variants")).isZero();
        assertThat(count(store, "SELECT COUNT(*) FROM recipients WHERE status = 'Pending'")).isZero();
        assertThat(new MessageTrace(store).events(1, held.networkMessageId())).extracting(MessageTraceEvent::event)
                .containsExactly(TraceEventType.Receive);
    }

    @Test
    void theContentPredicateIsTheOneListOfQueuedStatusesAndStatusesAreStoredByName() {
        assertThat(RecipientStatus.NEEDS_CONTENT_SQL).isEqualTo("('Pending', 'AwaitingRelay')");
        assertThat(RecipientStatus.values()).extracting(Enum::name)
                .containsExactly("Pending", "AwaitingRelay", "Delivered", "Failed", "Quarantined", "Redirected");
        for (RecipientStatus s : RecipientStatus.values()) enqueue(Instant.now(), to(s.name().toLowerCase() + "@contoso.com", s));
        for (RecipientStatus s : RecipientStatus.values()) {
            assertThat(count(store, "SELECT COUNT(*) FROM recipients WHERE status = '" + s.name() + "'")).as(s.name()).isEqualTo(1);
        }
    }
}
