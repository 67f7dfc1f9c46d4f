// Enqueue as the SMTP session relies on it: durable before the future completes, all or nothing per message, withdrawable until started.
package dev.gatehouse.queue;

import static dev.gatehouse.queue.TestMessages.count;
import static dev.gatehouse.queue.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.store.PendingWrite;
import dev.gatehouse.store.StoreException;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class EnqueueTest extends StoreTestBase {

    /** Holds the group committer inside a write (as a stalled disk would) until {@link #release()}. */
    private final class Stall {
        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final PendingWrite<Void> write;

        Stall() throws InterruptedException {
            write = store.write(ctx -> {
                running.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        }

        void release() throws Exception {
            release.countDown();
            write.get(10, TimeUnit.SECONDS);
        }
    }

    private static QueuedRecipient to(String address) { return new QueuedRecipient(1, address, null); }

    private long messages() { return count(store, "SELECT COUNT(*) FROM messages"); }

    @Test
    void aMessageWithdrawnBeforeTheCommitterStartsItIsNeverStoredAndCloseDoesNotWaitForIt() throws Exception {
        MessageQueue queue = new MessageQueue(store);
        AtomicInteger woken = new AtomicInteger();
        queue.onEnqueued(woken::incrementAndGet);
        Stall stall = new Stall();
        PendingWrite<Void> slow = queue.enqueue(message(List.of(to("a@contoso.com"))));
        assertThat(slow.withdraw()).as("not started: the session may answer 451").isTrue();
        stall.release();
        store.writeAndWait(ctx -> null); // a later commit has passed where the message would have been
        assertThat(messages()).isZero();
        assertThat(count(store, "SELECT COUNT(*) FROM message_events")).isZero();
        assertThat(woken).as("no delivery wake-up for a message that is not there").hasValue(0);
        assertThatThrownBy(slow::join).isInstanceOf(CancellationException.class);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(queue::close);
        closing.get(10, TimeUnit.SECONDS); // the withdrawn enqueue is not waited for
    }

    @Test
    void aMessageTheCommitterHasStartedCannotBeWithdrawnAndIsStored() throws Exception {
        MessageQueue queue = new MessageQueue(store);
        CountDownLatch inHook = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        IncomingMessage base = message(List.of(to("a@contoso.com")));
        IncomingMessage m = new IncomingMessage(base.networkMessageId(), base.receivedAt(), base.mailFrom(), null, null, null, null, null,
                null, null, base.content(), base.size(), base.recipients(), null, null, (ctx, id, rows) -> {
                    inHook.countDown();
                    try {
                        finish.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new SQLException(e);
                    }
                });
        PendingWrite<Void> f = queue.enqueue(m);
        assertThat(inHook.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(f.withdraw()).as("already being written").isFalse();
        finish.countDown();
        f.get(10, TimeUnit.SECONDS);
        assertThat(messages()).isEqualTo(1);
    }

    @Test
    void closeWaitsForAnEnqueueStillBehindAStalledCommit() throws Exception {
        MessageQueue queue = new MessageQueue(store);
        Stall stall = new Stall();
        PendingWrite<Void> queued = queue.enqueue(message(List.of(to("a@contoso.com"))));
        CompletableFuture<Void> closing = CompletableFuture.runAsync(queue::close);
        Thread.sleep(200);
        assertThat(closing).as("close drains: it waits for the commit the client is waiting for").isNotDone();
        assertThat(queue.enqueue(message(List.of(to("late@contoso.com")))))
                .as("while draining, new messages are refused").isCompletedExceptionally();
        stall.release();
        closing.get(10, TimeUnit.SECONDS);
        assertThat(queued).isCompleted();
        assertThat(queued.isCompletedExceptionally()).isFalse();
        assertThat(count(store, "SELECT COUNT(*) FROM recipients WHERE address = 'a@contoso.com'")).isEqualTo(1);
        assertThat(count(store, "SELECT COUNT(*) FROM recipients WHERE address = 'late@contoso.com'")).isZero();
        queue.close(); // a second close is harmless
    }

    @Test
    void anEnqueueAfterCloseFailsWithAReasonAndStoresNothing() {
        MessageQueue queue = new MessageQueue(store);
        queue.close();
        PendingWrite<Void> f = queue.enqueue(message(List.of(to("a@contoso.com"))));
        assertThatThrownBy(f::join).hasCauseInstanceOf(StoreException.class).hasMessageContaining("the queue is shutting down");
        assertThat(messages()).isZero();
    }

    private static IncomingMessage withHook(IncomingMessage m, EnqueueHook hook) {
        return new IncomingMessage(m.networkMessageId(), m.receivedAt(), m.mailFrom(), m.clientIp(), m.helo(), m.tlsProtocol(), m.tlsCipher(),
                m.internetMessageId(), m.subject(), m.headerFrom(), m.content(), m.size(), m.recipients(), m.variants(), m.events(), hook);
    }

    @Test
    void aFailingExtraWriteTakesTheWholeMessageWithItAlone() throws Exception {
        MessageQueue queue = new MessageQueue(store);
        EnqueueHook broken = (ctx, id, rows) -> {
            ctx.prepare("INSERT INTO message_events (tenant_id, network_message_id, recipient, event_type, detail, event_at)"
                    + " VALUES (1, 'x', 'r', 'Quarantine', 'half done', 0)").executeUpdate();
            throw new SQLException("quarantine copy could not be written");
        };
        // alone in its batch
        IncomingMessage lone = withHook(message(List.of(to("a@contoso.com"), to("b@contoso.com"))), broken);
        assertThatThrownBy(() -> queue.enqueue(lone).join()).hasRootCauseMessage("quarantine copy could not be written");
        assertThat(messages()).isZero();
        assertThat(count(store, "SELECT COUNT(*) FROM recipients")).isZero();
        assertThat(count(store, "SELECT COUNT(*) FROM message_events")).isZero();

        // in a batch with others, which commit
        Stall stall = new Stall();
        List<PendingWrite<Void>> fs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            IncomingMessage m = message(List.of(to("r" + i + "@contoso.com")));
            fs.add(queue.enqueue(i == 2 ? withHook(m, broken) : m));
        }
        stall.release();
        int failed = 0;
        for (PendingWrite<Void> f : fs) {
            try {
                f.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                failed++;
            }
        }
        assertThat(failed).isEqualTo(1);
        assertThat(messages()).isEqualTo(4);
        assertThat(count(store, "SELECT COUNT(*) FROM recipients WHERE address = 'r2@contoso.com'")).isZero();
        assertThat(count(store, "SELECT COUNT(*) FROM message_events WHERE detail = 'half done'")).isZero();
        assertThat(count(store, "SELECT COUNT(*) FROM message_events")).isEqualTo(4);
    }

    @Test
    void theExtraWriteSeesTheMessageAndItsRecipientRowsInOrder() {
        List<String> seen = new ArrayList<>();
        IncomingMessage m = withHook(message(List.of(to("c@contoso.com"), to("a@contoso.com"), to("b@contoso.com"))), (ctx, id, rows) -> {
            for (long row : rows) {
                PreparedStatement ps = ctx.prepare("SELECT address FROM recipients WHERE id = ? AND message_id = ?");
                ps.setLong(1, row);
                ps.setLong(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    seen.add(rs.next() ? rs.getString(1) : "missing");
                }
            }
        });
        new MessageQueue(store).enqueue(m).join();
        assertThat(seen).containsExactly("c@contoso.com", "a@contoso.com", "b@contoso.com");
    }

    @Test
    void listenersHearOfEveryDurableEnqueueButNotOfAFailedOne() {
        MessageQueue queue = new MessageQueue(store);
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        queue.onEnqueued(first::incrementAndGet);
        queue.onEnqueued(second::incrementAndGet);
        IncomingMessage m = message(List.of(to("a@contoso.com")));
        queue.enqueue(m).join();
        queue.enqueue(message(List.of(to("b@contoso.com")))).join();
        IncomingMessage duplicate = new IncomingMessage(m.networkMessageId(), m.receivedAt(), "", null, null, null, null, null, null, null,
                new byte[] {1}, List.of(to("c@contoso.com")));
        assertThatThrownBy(() -> queue.enqueue(duplicate).join()).isNotNull();
        assertThat(first).hasValue(2);
        assertThat(second).hasValue(2);
    }

    @Test
    void anAgentListeningForOneStatusHearsOnlyOfMessagesWithARecipientInIt() {
        MessageQueue queue = new MessageQueue(store);
        AtomicInteger local = new AtomicInteger();
        AtomicInteger relay = new AtomicInteger();
        queue.onEnqueued(RecipientStatus.Pending, local::incrementAndGet);
        queue.onEnqueued(RecipientStatus.AwaitingRelay, relay::incrementAndGet);
        queue.enqueue(message(List.of(to("a@contoso.com"), to("b@contoso.com")))).join();
        queue.enqueue(message(List.of(new QueuedRecipient(1, "x@partner.example", null, RecipientStatus.AwaitingRelay, "", null, null, false, null),
                to("c@contoso.com")))).join();
        queue.enqueue(message(List.of(new QueuedRecipient(1, "y@partner.example", null, RecipientStatus.AwaitingRelay, "", null, null, false, null))))
                .join();
        assertThat(local).as("once per message with a Pending recipient").hasValue(2);
        assertThat(relay).hasValue(2);
    }

    @Test
    void eachRecipientGetsAReceiveEventNamingTheSizeAndItsConnector() {
        IncomingMessage base = message(List.of(to("x@contoso.com")));
        IncomingMessage m = new IncomingMessage(base.networkMessageId(), base.receivedAt(), base.mailFrom(), null, null, null, null, null,
                null, null, new byte[0], 12_345, List.of(
                new QueuedRecipient(1, "a@contoso.com", null, RecipientStatus.Pending, "", null, null, false, null),
                new QueuedRecipient(1, "b@contoso.com", null, RecipientStatus.Pending, "Partner-Scanner", null, null, false, null),
                new QueuedRecipient(1, "c@contoso.com", null, RecipientStatus.Pending, null, null, null, false, null)),
                List.of(), List.of(new MessageTraceEvent(1, base.networkMessageId(), "a@contoso.com", TraceEventType.TransportRule,
                        "Transport rule: 'Tag'", base.receivedAt())), null);
        new MessageQueue(store).enqueue(m).join();
        List<MessageTraceEvent> events = new MessageTrace(store).events(1, m.networkMessageId());
        assertThat(events).filteredOn(e -> e.event() == TraceEventType.Receive).extracting(MessageTraceEvent::recipient, MessageTraceEvent::detail)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a@contoso.com", "size=12345"),
                        org.assertj.core.groups.Tuple.tuple("b@contoso.com", "size=12345 connector=Partner-Scanner"),
                        org.assertj.core.groups.Tuple.tuple("c@contoso.com", "size=12345"));
        assertThat(events).last().extracting(MessageTraceEvent::event).isEqualTo(TraceEventType.TransportRule);
        assertThat(count(store, "SELECT size FROM messages")).as("the size as accepted, not of the stored bytes").isEqualTo(12_345);
    }

    @Test
    void queueDepthCountsOnlyRecipientsWaitingForLocalDelivery() {
        MessageQueue queue = new MessageQueue(store);
        queue.enqueue(message(List.of(to("a@contoso.com"), to("b@contoso.com"),
                new QueuedRecipient(1, "x@else.example", null, RecipientStatus.AwaitingRelay, null, null, null, false, null),
                to("q@contoso.com").withStatus(RecipientStatus.Quarantined, "held")))).join();
        assertThat(queue.pendingRecipients()).isEqualTo(2);
        store.writeAndWait(ctx -> ctx.prepare("UPDATE recipients SET status = 'Delivered' WHERE address = 'a@contoso.com'").executeUpdate());
        assertThat(queue.pendingRecipients()).isEqualTo(1);
    }

    @Test
    void anIncomingMessageNeedsARecipientAndTreatsAMissingSenderAsTheNullSender() {
        assertThatThrownBy(() -> message(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a message needs at least one recipient");
        IncomingMessage m = new IncomingMessage("id", java.time.Instant.EPOCH, null, null, null, null, null, null, null, null, new byte[3],
                List.of(to("a@contoso.com")));
        assertThat(m.mailFrom()).isEmpty();
        assertThat(m.size()).isEqualTo(3);
        assertThat(m.hook()).isSameAs(EnqueueHook.NONE);
        assertThat(m.variants()).isEmpty();
        assertThat(new QueuedRecipient(1, "a@b.c", null, null, null, null, null, false, null).status()).isEqualTo(RecipientStatus.Pending);
    }
}
