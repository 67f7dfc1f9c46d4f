// Tunables of the local delivery worker: concurrency, claim size, leases, retry backoff and give-up age.
package dev.gatehouse.delivery;

import java.time.Duration;
import java.util.UUID;

/**
 * @param concurrency    relay transactions in flight at once (local delivery runs
 *                       {@link #LOCAL_BATCHES_IN_FLIGHT} batches, each made durable by two flushes in all)
 * @param batchSize      recipients claimed per claim query (and at most in one local delivery batch)
 * @param pollInterval   how often due retries are looked for when nothing wakes the worker
 * @param lease          how long a claim is exclusive (PostgreSQL: another node takes it over after that)
 * @param initialBackoff first retry delay; doubled per attempt up to maxBackoff
 * @param maxAge         after this since receipt, a failing recipient is Failed instead of deferred
 * @param ownerId        this node's claim owner; a stable id lets a restarted node reclaim its own leases at once
 */
public record DeliverySettings(int concurrency, int batchSize, Duration pollInterval, Duration lease,
                               Duration initialBackoff, Duration maxBackoff, Duration maxAge, String ownerId) {
    public DeliverySettings {
        if (concurrency < 1 || batchSize < 1) throw new IllegalArgumentException("concurrency and batchSize must be >= 1");
        // the claim loop's ticker sleeps one interval between polls: none (or a negative one) would spin
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero())
            throw new IllegalArgumentException("pollInterval must be positive: " + pollInterval);
        if (ownerId == null || ownerId.isBlank()) ownerId = UUID.randomUUID().toString();
    }

    /**
     * Local delivery batches in flight at once: one, so that while it flushes, newly due recipients gather
     * into the next claim and the batch grows with the load, as a group commit does.
     */
    public static final int LOCAL_BATCHES_IN_FLIGHT = 1;

    public static DeliverySettings defaults() {
        return new DeliverySettings(16, 256, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(1),
                Duration.ofHours(1), Duration.ofDays(2), null);
    }

    public DeliverySettings withBackoff(Duration initial, Duration max) {
        return new DeliverySettings(concurrency, batchSize, pollInterval, lease, initial, max, maxAge, ownerId);
    }

    public DeliverySettings withPollInterval(Duration poll) {
        return new DeliverySettings(concurrency, batchSize, poll, lease, initialBackoff, maxBackoff, maxAge, ownerId);
    }

    public DeliverySettings withMaxAge(Duration age) {
        return new DeliverySettings(concurrency, batchSize, pollInterval, lease, initialBackoff, maxBackoff, age, ownerId);
    }

    /** Delay before the retry that follows failed attempt number {@code attempts} (1-based). */
    public Duration backoff(int attempts) {
        int shift = Math.min(Math.max(attempts - 1, 0), 30);
        Duration d = initialBackoff.multipliedBy(1L << shift);
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }

    public DeliverySettings withConcurrency(int n) {
        return new DeliverySettings(n, batchSize, pollInterval, lease, initialBackoff, maxBackoff, maxAge, ownerId);
    }

    public DeliverySettings withOwner(String owner) {
        return new DeliverySettings(concurrency, batchSize, pollInterval, lease, initialBackoff, maxBackoff, maxAge, owner);
    }

    public DeliverySettings withLease(Duration newLease) {
        return new DeliverySettings(concurrency, batchSize, pollInterval, newLease, initialBackoff, maxBackoff, maxAge, ownerId);
    }
}
