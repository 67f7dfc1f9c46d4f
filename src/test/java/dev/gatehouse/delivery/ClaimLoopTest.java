// The dispatcher shared by local delivery and relay, on a real SQLite queue: slots, poison units, given-back claims, wake-up, stop.
package dev.gatehouse.delivery;

import static dev.gatehouse.queue.TestMessages.count;
import static dev.gatehouse.queue.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gatehouse.queue.ClaimedRecipient;
import dev.gatehouse.queue.DeliveryLedger;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.TestDatabase;

class ClaimLoopTest {

    private TestDatabase db;
    private Store store;
    private DeliveryLedger ledger;
    private ClaimLoop loop;

    @BeforeEach
    void open() {
        db = new TestDatabase(TestDatabase.Kind.SQLITE);
        store = db.open();
        ledger = new DeliveryLedger(store, "node-a");
    }

    @AfterEach
    void close() {
        if (loop != null) loop.close();
        store.close();
        db.close();
    }

    /** One recipient per unit, as the relay agent splits a claim (one transaction per message). */
    private static Collection<List<ClaimedRecipient>> perRecipient(List<ClaimedRecipient> claimed) {
        return claimed.stream().map(List::of).toList();
    }

    private void start(DeliverySettings settings, Consumer<List<ClaimedRecipient>> work) {
        loop = new ClaimLoop("test", ledger, settings, ClaimLoopTest::perRecipient, work, 1);
        loop.start();
    }

    private static DeliverySettings slots(int concurrency) {
        return DeliverySettings.defaults().withPollInterval(Duration.ofMillis(20)).withConcurrency(concurrency);
    }

    private void enqueue(String... addresses) {
        for (String a : addresses) new MessageQueue(store).enqueue(message(List.of(new QueuedRecipient(1, a, null)))).join();
    }

    private void deliver(ClaimedRecipient r) {
        ledger.delivered(r, ledger.header(r).networkMessageId(), "test").join();
    }

    private long delivered() { return count(store, "SELECT COUNT(*) FROM recipients WHERE status = 'Delivered'"); }

    private long claimed() { return count(store, "SELECT COUNT(*) FROM recipients WHERE claim_owner IS NOT NULL"); }

    @Test
    void aSlotThatMayClaimNoRecipientIsRefused() {
        assertThatThrownBy(() -> new ClaimLoop("test", ledger, slots(1), ClaimLoopTest::perRecipient, unit -> {}, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recipientsPerSlot");
    }

    /** Recipients beyond the free slots stay unclaimed, so another node can take them meanwhile. */
    @Test
    void neverRunsMoreUnitsThanSlotsAndClaimsNoMoreThanItCanRun() throws InterruptedException {
        enqueue("a@x.example", "b@x.example", "c@x.example", "d@x.example", "e@x.example");
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        start(slots(2), unit -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                release.await(10, TimeUnit.SECONDS);
                deliver(unit.getFirst());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> running.get() == 2);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> running.get() == 2 && claimed() == 2);
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered() == 5);
        assertThat(most.get()).isEqualTo(2);
    }

    @Test
    void aUnitThatThrowsGivesBackItsSlotAndTheOthersAreStillDelivered() {
        enqueue("poison@x.example", "a@x.example", "b@x.example");
        start(slots(1), unit -> {
            if (unit.getFirst().address().startsWith("poison")) throw new IllegalStateException("a bug in one delivery");
            deliver(unit.getFirst());
        });
        // the exception reaches the thread's uncaught-exception handler (logged), not the dispatcher
        await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(5)).until(() -> delivered() == 2);
        enqueue("later@x.example");
        loop.wakeUp();
        await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(5)).until(() -> delivered() == 3);
        // the poisonous recipient keeps its claim until the lease ends: it is not retried in a tight loop
        assertThat(count(store, "SELECT COUNT(*) FROM recipients WHERE address = 'poison@x.example' AND status = 'Pending'"
                + " AND claim_owner = 'node-a' AND claims = 1")).isEqualTo(1);
    }

    /** The store failed while recording: the claim goes back at the next poll, not when the 5-minute lease ends. */
    @Test
    void aClaimWhoseOutcomeCouldNotBeWrittenIsRetriedAtOnceAndMarkedInterrupted() {
        enqueue("a@x.example");
        AtomicReference<ClaimLoop> self = new AtomicReference<>();
        ConcurrentLinkedQueue<ClaimedRecipient> seen = new ConcurrentLinkedQueue<>();
        loop = new ClaimLoop("test", ledger, slots(1), ClaimLoopTest::perRecipient, unit -> {
            ClaimedRecipient r = unit.getFirst();
            seen.add(r);
            if (seen.size() == 1) self.get().outcomeNotRecorded(r);
            else deliver(r);
        }, 1);
        self.set(loop);
        loop.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered() == 1);
        assertThat(seen).hasSize(2);
        assertThat(seen).extracting(ClaimedRecipient::claims).containsExactly(1, 2);
        assertThat(seen).extracting(ClaimedRecipient::interrupted).containsExactly(false, true);
    }

    @Test
    void aWakeUpClaimsNewWorkWithoutWaitingForThePollInterval() throws InterruptedException {
        start(slots(1).withPollInterval(Duration.ofMinutes(1)), unit -> deliver(unit.getFirst()));
        Thread.sleep(100); // nothing is due: the dispatcher goes to sleep for the poll interval
        enqueue("a@x.example");
        loop.wakeUp();
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered() == 1);
    }

    /** A retry that falls due (or mail another node queued) is found by the poll, with nobody calling wakeUp. */
    @Test
    void workThatNothingWakesItForIsClaimedWithinThePollInterval() throws InterruptedException {
        start(slots(1).withPollInterval(Duration.ofMillis(300)), unit -> deliver(unit.getFirst()));
        for (int i = 0; i < 3; i++) { // each poll comes a poll interval after the last, however the dispatcher slept
            Thread.sleep(100);
            enqueue("poll" + i + "@x.example");
            long queued = System.nanoTime();
            int expected = i + 1;
            await().atMost(Duration.ofSeconds(5)).until(() -> delivered() == expected);
            assertThat(Duration.ofNanos(System.nanoTime() - queued)).isLessThan(Duration.ofSeconds(3));   // 300 ms polls; a missed poll is a minute
        }
    }

    @Test
    void closeWaitsForTheWorkInFlightToRecordItsOutcomeThenClaimsNothingMore() throws InterruptedException {
        enqueue("a@x.example");
        CountDownLatch started = new CountDownLatch(1);
        start(slots(1), unit -> {
            started.countDown();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            deliver(unit.getFirst());
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        loop.close();
        assertThat(delivered()).isEqualTo(1);
        enqueue("b@x.example");
        loop.wakeUp();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> claimed() == 0);
        assertThat(delivered()).isEqualTo(1);
    }
}
