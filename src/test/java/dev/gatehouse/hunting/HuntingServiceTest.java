// Defender's limits on hunting queries: the tenant's own tables only, 30,000 rows, 10 minutes with cancellation,
// now read once, and at most two queries running with a bounded wait list.
package dev.gatehouse.hunting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.gatehouse.kql.Catalog;
import dev.gatehouse.kql.KqlEngine;
import dev.gatehouse.kql.KqlException;
import dev.gatehouse.kql.QueryResult;

class HuntingServiceTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final QueryResult EMPTY = new QueryResult(List.of(), List.of(), false, 0, null, java.util.Map.of());

    @Test
    void aQueryReadsOnlyItsTenantsTablesWithDefendersLimitsAndOneNow() {
        HuntingTables tables = new HuntingTables(NOW, 1000);
        Object[] row = new Object[HuntingSchema.EMAIL_EVENTS_COLUMNS.size()];
        row[0] = NOW;
        tables.of(1).emailEvents().append(row);
        AtomicReference<Catalog> seen = new AtomicReference<>();
        AtomicReference<KqlEngine.Options> options = new AtomicReference<>();
        try (HuntingService s = new HuntingService(tables, Clock.fixed(NOW, ZoneOffset.UTC), (q, c, o, cancelled) -> {
            seen.set(c);
            options.set(o);
            return EMPTY;
        })) {
            s.run(2, "EmailEvents | count");
            assertThat(seen.get().table("EmailEvents").rows()).isZero();
            assertThat(options.get().rowCap()).isEqualTo(30_000);
            assertThat(options.get().timeout()).isEqualTo(Duration.ofMinutes(10));
            assertThat(options.get().now()).isEqualTo(NOW);

            s.run(1, "EmailEvents", new KqlEngine.Options(1_000_000, Duration.ofHours(2), null, 1000));
            assertThat(seen.get().table("EmailEvents").rows()).isEqualTo(1);
            assertThat(options.get().rowCap()).as("the cap can be lowered, never raised").isEqualTo(30_000);
            assertThat(options.get().timeout()).isEqualTo(Duration.ofMinutes(10));
            assertThat(options.get().now()).isEqualTo(NOW);
            s.run(1, "EmailEvents", new KqlEngine.Options(50, Duration.ofSeconds(5), NOW.minusSeconds(60), 1000));
            assertThat(options.get().rowCap()).isEqualTo(50);
            assertThat(options.get().now()).isEqualTo(NOW.minusSeconds(60));
        }
    }

    @Test
    void aQueryPastItsTimeIsCancelledAndTheCallerToldSo() {
        AtomicBoolean sawCancel = new AtomicBoolean();
        try (HuntingService s = new HuntingService(new HuntingTables(NOW, 1000), Clock.systemUTC(), (q, c, o, cancelled) -> {
            while (!cancelled.getAsBoolean()) Thread.onSpinWait();
            sawCancel.set(true);
            throw new KqlException("cancelled", dev.gatehouse.kql.Pos.NONE);
        })) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> s.run(1, "EmailEvents", new KqlEngine.Options(10, Duration.ofMillis(300), null, 1000)))
                    .isInstanceOf(KqlException.class).hasMessageContaining("ran longer than 300 ms and was stopped");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(5)).untilTrue(sawCancel);
        }
    }

    @Test
    void twoQueriesRunAtOnceEightWaitAndMoreAreRefused() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try (HuntingService s = new HuntingService(new HuntingTables(NOW, 1000), Clock.systemUTC(), (q, c, o, cancelled) -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return EMPTY;
        })) {
            List<CompletableFuture<QueryResult>> calls = new ArrayList<>();
            for (int i = 0; i < HuntingService.RUNNING + HuntingService.WAITING; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> s.run(1, "EmailEvents"), java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> running.get() == 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> s.inProgress() == HuntingService.RUNNING + HuntingService.WAITING);
            assertThatThrownBy(() -> s.run(1, "EmailEvents")).isInstanceOf(KqlException.class)
                    .hasMessage("advanced hunting is busy: 2 queries are running and 8 are waiting; run the query again in a moment");
            release.countDown();
            for (CompletableFuture<QueryResult> c : calls) assertThat(c.get()).isSameAs(EMPTY);
            assertThat(most.get()).isEqualTo(2);
        }
    }
}
