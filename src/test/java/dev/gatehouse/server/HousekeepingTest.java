// Housekeeping jobs: run at start and then at their interval, a failing job neither stops itself nor the others, close stops all.
package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class HousekeepingTest {

    @Test
    void eachJobRunsAtOnceAtStartWithoutWaitingForItsInterval() {
        AtomicInteger quarantine = new AtomicInteger();
        AtomicInteger content = new AtomicInteger();
        try (Housekeeping h = new Housekeeping()
                .every(Duration.ofHours(1), "quarantine_expired", quarantine::incrementAndGet)
                .every(Duration.ofMinutes(10), "delivered_content", content::incrementAndGet)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> quarantine.get() == 1 && content.get() == 1);
        }
    }

    @Test
    void aJobRepeatsAtItsInterval() {
        AtomicInteger runs = new AtomicInteger();
        try (Housekeeping h = new Housekeeping().every(Duration.ofMillis(20), "fast", () -> runs.incrementAndGet() % 2)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 5);
        }
    }

    @Test
    void aFailingRunIsRetriedAtTheNextIntervalAndTheOtherJobsKeepRunning() {
        AtomicInteger failing = new AtomicInteger();
        AtomicInteger healthy = new AtomicInteger();
        try (Housekeeping h = new Housekeeping()
                .every(Duration.ofMillis(20), "broken", () -> {
                    failing.incrementAndGet();
                    throw new IllegalStateException("store unavailable");
                })
                .every(Duration.ofMillis(20), "healthy", healthy::incrementAndGet)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> failing.get() >= 3 && healthy.get() >= 3);
        }
    }

    @Test
    void closeStopsEveryJobAndWaitsForARunInProgress() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        Housekeeping h = new Housekeeping().every(Duration.ofMillis(10), "slow", () -> {
            runs.incrementAndGet();
            long until = System.nanoTime() + Duration.ofMillis(100).toNanos();
            while (System.nanoTime() < until) Thread.onSpinWait(); // a chunk of work that ignores interrupts
            finished.incrementAndGet();
            return 1;
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 1);
        h.close();
        int after = runs.get();
        assertThat(finished.get()).as("close waited for the run in progress").isEqualTo(after);
        Thread.sleep(200);
        assertThat(runs.get()).as("no run after close").isEqualTo(after);
        h.close(); // twice is harmless
    }

    @Test
    void jobsRunOnOneDaemonThreadThatDoesNotKeepTheProcessAlive() {
        java.util.List<Thread> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Housekeeping h = new Housekeeping()
                .every(Duration.ofMillis(10), "a", () -> { seen.add(Thread.currentThread()); return 0; })
                .every(Duration.ofMillis(10), "b", () -> { seen.add(Thread.currentThread()); return 0; })) {
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() >= 6);
        }
        assertThat(seen).allSatisfy(t -> {
            assertThat(t.isDaemon()).isTrue();
            assertThat(t.getName()).isEqualTo("gatehouse-housekeeping");
        });
        assertThat(seen.stream().distinct()).hasSize(1);
    }
}
