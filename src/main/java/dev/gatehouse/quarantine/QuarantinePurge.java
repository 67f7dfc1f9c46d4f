// The background job that deletes expired quarantined copies.
package dev.gatehouse.quarantine;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs {@link QuarantineService#purgeExpired} once at start and then every {@code interval}; a failed run is retried next time. */
public final class QuarantinePurge implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QuarantinePurge.class);
    private final ScheduledExecutorService timer;

    private QuarantinePurge(ScheduledExecutorService timer) { this.timer = timer; }

    public static QuarantinePurge start(QuarantineService service, Duration interval) {
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("gatehouse-quarantine-purge").daemon().factory());
        t.scheduleWithFixedDelay(() -> {
            try {
                int n = service.purgeExpired(Instant.now());
                if (n > 0) log.info("event=quarantine_purged count={}", n);
            } catch (RuntimeException e) {
                log.warn("event=quarantine_purge_failed error=\"{}\"", e.toString());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return new QuarantinePurge(t);
    }

    @Override public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
