// Background jobs that keep the store from growing without bound: quarantine expiry, delivered content.
package dev.gatehouse.server;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each housekeeping job once at start and then at its interval, on one daemon thread. A job returns
 * how many items it removed (logged when non-zero); a failing run is logged and retried at the next
 * interval, never stopping the others.
 */
final class Housekeeping implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("gatehouse-housekeeping").daemon().factory());

    Housekeeping every(Duration interval, String name, IntSupplier job) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                int n = job.getAsInt();
                if (n > 0) log.info("event=housekeeping job={} removed={}", name, n);
            } catch (RuntimeException e) {
                log.warn("event=housekeeping_failed job={} error=\"{}\"", name, e.toString());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
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
