// Durable accept through the group committer: batching, all-or-nothing, drain on close.
package dev.gatehouse.queue;

import dev.gatehouse.store.CommitListener;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.gatehouse.queue.TestMessages.count;
import static dev.gatehouse.queue.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class MessageQueueTest extends StoreTestBase {

    @Test
    void concurrentEnqueuesShareGroupCommits() throws Exception {
        MessageQueue queue = new MessageQueue(store);
        List<Integer> batches = new CopyOnWriteArrayList<>();
        store.addCommitListener((tasks, bytes, nanos) -> batches.add(tasks));
        long commitsBefore = store.commits();
        int n = 200;
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> futures = new CopyOnWriteArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                threads.execute(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    futures.add(queue.enqueue(message(List.of(new QueuedRecipient(1, "r@contoso.com", null),
                            new QueuedRecipient(2, "s@fabrikam.com", null)))));
                });
            }
            go.countDown();
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        long commits = store.commits() - commitsBefore;
        assertThat(count(store, "SELECT COUNT(*) FROM messages")).isEqualTo(n);
        assertThat(count(store, "SELECT COUNT(*) FROM recipients WHERE status = 'Pending'")).isEqualTo(2L * n);
        assertThat(count(store, "SELECT COUNT(*) FROM message_events WHERE event_type = 'Receive'")).isEqualTo(2L * n);
        assertThat(queue.pendingRecipients()).isEqualTo(2L * n);
        assertThat(commits).as("commits for %d messages, batches %s", n, batches).isLessThan(n / 4);
        assertThat(batches.stream().mapToInt(Integer::intValue).max().orElse(0)).isGreaterThan(1);
    }

    @Test
    void aLoneMessageCommitsWithoutWaitingForABatch() {
        MessageQueue queue = new MessageQueue(store);
        long start = System.nanoTime();
        queue.enqueue(message(List.of(new QueuedRecipient(1, "r@contoso.com", 7L)))).join();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2000);   // one commit, even behind another process's fsyncs
        assertThat(count(store, "SELECT COUNT(*) FROM recipients WHERE mailbox_id = 7")).isEqualTo(1);
    }

    @Test
    void aFailingMessageFailsAloneAndLeavesNothingBehind() {
        MessageQueue queue = new MessageQueue(store);
        IncomingMessage m = message(List.of(new QueuedRecipient(1, "r@contoso.com", null)));
        queue.enqueue(m).join();
        // The same network message id again violates the unique index: that enqueue fails (451), others commit.
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        IncomingMessage dup = new IncomingMessage(m.networkMessageId(), m.receivedAt(), "", null, null, null, null, null, null, null,
                new byte[] {1}, List.of(new QueuedRecipient(1, "other@contoso.com", null)));
        for (int i = 0; i < 20; i++) {
            futures.add(queue.enqueue(i == 10 ? dup : message(List.of(new QueuedRecipient(1, "r" + i + "@contoso.com", null)))));
        }
        AtomicInteger failed = new AtomicInteger();
        for (CompletableFuture<Void> f : futures) {
            try {
                f.join();
            } catch (RuntimeException e) {
                failed.incrementAndGet();
            }
        }
        assertThat(failed.get()).isEqualTo(1);
        assertThat(count(store, "SELECT COUNT(*) FROM messages")).isEqualTo(20);
        assertThat(count(store, "SELECT COUNT(*) FROM recipients WHERE address = 'other@contoso.com'")).isZero();
        assertThat(count(store, "SELECT COUNT(*) FROM message_events")).isEqualTo(20);
    }

    @Test
    void closeCompletesEverythingAlreadyEnqueued() {
        MessageQueue queue = new MessageQueue(store);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 50; i++) futures.add(queue.enqueue(message(List.of(new QueuedRecipient(1, "r@contoso.com", null)))));
        queue.close();
        store.close();
        assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(queue.enqueue(message(List.of(new QueuedRecipient(1, "r@contoso.com", null))))).isCompletedExceptionally();
        store = db.open();
        assertThat(count(store, "SELECT COUNT(*) FROM messages")).isEqualTo(50);
    }

    @Test
    void commitListenerSeesBatchSizesAndLatency() {
        List<long[]> seen = new CopyOnWriteArrayList<>();
        store.addCommitListener(new CommitListener() {
            @Override public void onCommit(int tasks, long bytes, long commitNanos) { seen.add(new long[] {tasks, bytes, commitNanos}); }
        });
        IncomingMessage m = message(List.of(new QueuedRecipient(1, "r@contoso.com", null)));
        new MessageQueue(store).enqueue(m).join();
        assertThat(seen).anySatisfy(s -> {
            assertThat(s[0]).isEqualTo(1);
            assertThat(s[1]).isEqualTo(m.content().length);
            assertThat(s[2]).isPositive();
        });
    }

    @Test
    void contentIsDroppedOnlyOnceEveryRecipientIsFinalAndTheGraceHasPassed() {
        MessageQueue queue = new MessageQueue(store);
        IncomingMessage done = message(List.of(new QueuedRecipient(1, "a@contoso.com", null)));
        IncomingMessage waiting = message(List.of(new QueuedRecipient(1, "b@contoso.com", null)));
        queue.enqueue(done).join();
        queue.enqueue(waiting).join();
        store.writeAndWait(ctx -> ctx.prepare("UPDATE recipients SET status = 'Delivered' WHERE address = 'a@contoso.com'").executeUpdate());

        assertThat(queue.dropDeliveredContent(java.time.Instant.now().minusSeconds(3600))).as("within the grace period").isZero();
        assertThat(queue.dropDeliveredContent(java.time.Instant.now().plusSeconds(1))).isEqualTo(1);
        assertThat(count(store, "SELECT COUNT(*) FROM messages WHERE LENGTH(content) = 0 AND network_message_id = '" + done.networkMessageId() + "'"))
                .as("the delivered message keeps its row, not its bytes").isEqualTo(1);
        assertThat(count(store, "SELECT COUNT(*) FROM messages WHERE LENGTH(content) > 0 AND network_message_id = '" + waiting.networkMessageId() + "'"))
                .as("a Pending recipient still needs the bytes").isEqualTo(1);
        assertThat(queue.dropDeliveredContent(java.time.Instant.now().plusSeconds(1))).as("nothing left to drop").isZero();
    }

    /**
     * Housekeeping works through a large backlog in chunks (each a short write of its own, so accepts are
     * not held behind one long transaction), and finds candidates through the index of messages that still
     * hold bytes instead of scanning every message ever received.
     */
    @Test
    void contentOfALargeBacklogIsDroppedInChunksThroughThePartialIndex() {
        MessageQueue queue = new MessageQueue(store);
        int total = MessageQueue.DROP_CHUNK * 2 + 37;
        java.util.List<java.util.concurrent.CompletableFuture<?>> writes = new java.util.ArrayList<>();
        for (int i = 0; i < total; i++) writes.add(queue.enqueue(message(List.of(new QueuedRecipient(1, "r" + i + "@contoso.com", null)))));
        IncomingMessage waiting = message(List.of(new QueuedRecipient(1, "still@contoso.com", null)));
        writes.add(queue.enqueue(waiting));
        writes.forEach(java.util.concurrent.CompletableFuture::join);
        store.writeAndWait(ctx -> ctx.prepare("UPDATE recipients SET status = 'Delivered' WHERE address <> 'still@contoso.com'").executeUpdate());

        assertThat(queue.dropDeliveredContent(java.time.Instant.now().plusSeconds(1))).isEqualTo(total);
        assertThat(count(store, "SELECT COUNT(*) FROM messages WHERE LENGTH(content) > 0")).as("only the queued one keeps its bytes").isEqualTo(1);
        if (kind == dev.gatehouse.store.TestDatabase.Kind.SQLITE) {
            String plan = store.read(c -> {
                StringBuilder out = new StringBuilder();
                try (var ps = c.prepareStatement("EXPLAIN QUERY PLAN SELECT id FROM messages WHERE LENGTH(content) > 0 AND received_at < 1"
                        + " ORDER BY received_at LIMIT 500"); var rs = ps.executeQuery()) {
                    while (rs.next()) out.append(rs.getString(4)).append('\n');
                }
                return out.toString();
            });
            assertThat(plan).contains("messages_with_content");
        }
    }

    /**
     * Trace retention deletes old messages whose recipients are all final, with their recipients and trace
     * events, through any number of chunks; a message still queued stays whatever its age, and so does
     * everything younger than the cutoff.
     */
    @Test
    void traceRetentionDeletesOldFinalMessagesWithTheirTraceAndKeepsQueuedAndYoungOnes() {
        MessageQueue queue = new MessageQueue(store);
        java.time.Instant old = java.time.Instant.now().minus(java.time.Duration.ofDays(100));
        int oldDone = MessageQueue.DROP_CHUNK * 2 + 5;
        List<IncomingMessage> gone = new java.util.ArrayList<>();
        java.util.List<java.util.concurrent.CompletableFuture<?>> writes = new java.util.ArrayList<>();
        for (int i = 0; i < oldDone; i++) {
            IncomingMessage m = message(old, List.of(new QueuedRecipient(1, "old" + i + "@contoso.com", null)));
            gone.add(m);
            writes.add(queue.enqueue(m));
        }
        writes.forEach(java.util.concurrent.CompletableFuture::join);
        IncomingMessage oldQueued = message(old, List.of(new QueuedRecipient(1, "queued@contoso.com", null)));
        queue.enqueue(oldQueued).join();
        IncomingMessage young = message(List.of(new QueuedRecipient(1, "young@contoso.com", null)));
        queue.enqueue(young).join();
        store.writeAndWait(ctx -> ctx.prepare("UPDATE recipients SET status = 'Delivered' WHERE address <> 'queued@contoso.com'").executeUpdate());

        assertThat(queue.purgeFinalOlderThan(java.time.Instant.now().minus(java.time.Duration.ofDays(90)))).isEqualTo(oldDone);
        assertThat(count(store, "SELECT COUNT(*) FROM messages")).isEqualTo(2);
        assertThat(count(store, "SELECT COUNT(*) FROM recipients")).isEqualTo(2);
        var trace = new dev.gatehouse.trace.TraceService(store);
        assertThat(trace.events(1, gone.getFirst().networkMessageId())).isEmpty();
        assertThat(trace.events(1, gone.getLast().networkMessageId())).isEmpty();
        assertThat(trace.events(1, oldQueued.networkMessageId())).as("still queued: kept").isNotEmpty();
        assertThat(trace.events(1, young.networkMessageId())).as("younger than the cutoff: kept").isNotEmpty();
        assertThat(queue.purgeFinalOlderThan(java.time.Instant.now().minus(java.time.Duration.ofDays(90)))).as("nothing left").isZero();
    }
}
