// The dispatcher shared by the delivery agents: claim due recipients, run them in parallel, sleep until woken.
package dev.gatehouse.delivery;

import dev.gatehouse.queue.ClaimedRecipient;
import dev.gatehouse.queue.DeliveryLedger;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dispatcher thread claims due recipients of one status through a {@link DeliveryLedger} (as many as
 * there are free slots), splits the claim into units of work (a recipient for local delivery, a message's
 * recipients for a relay transaction) and runs each on its own virtual thread; when there is nothing to
 * do it sleeps until {@link #wakeUp()} or the poll interval. {@link #close()} stops claiming and waits for
 * the work in flight to record its outcome. A failing claim is logged and retried after the poll interval.
 */
public final class ClaimLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClaimLoop.class);

    private final String name;
    private final DeliveryLedger ledger;
    private final DeliverySettings settings;
    private final Function<List<ClaimedRecipient>, Collection<List<ClaimedRecipient>>> units;
    private final int recipientsPerSlot;
    private final Consumer<List<ClaimedRecipient>> work;
    private final Semaphore slots;
    private final Semaphore wake = new Semaphore(0);
    private final ExecutorService running = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean active;
    private Thread dispatcher;
    private Thread ticker;

    /**
     * @param name  for the dispatcher thread and log events ({@code delivery}, {@code relay})
     * @param units splits one claim into units of work, each run by {@code work} on its own thread and
     *              holding one of {@code settings.concurrency()} slots
     * @param recipientsPerSlot how many recipients one free slot may claim: 1 when a unit is a message's
     *              recipients (relay), more when a unit is a batch (local delivery: one flush per batch)
     */
    public ClaimLoop(String name, DeliveryLedger ledger, DeliverySettings settings,
                     Function<List<ClaimedRecipient>, Collection<List<ClaimedRecipient>>> units,
                     Consumer<List<ClaimedRecipient>> work, int recipientsPerSlot) {
        if (recipientsPerSlot < 1) throw new IllegalArgumentException("recipientsPerSlot must be >= 1");
        this.recipientsPerSlot = recipientsPerSlot;
        this.name = name;
        this.ledger = ledger;
        this.settings = settings;
        this.units = units;
        this.work = work;
        this.slots = new Semaphore(settings.concurrency());
    }

    /** Releases stale claims (see {@link DeliveryLedger#releaseStaleClaims}) and starts dispatching. */
    public synchronized void start() {
        if (active) return;
        ledger.releaseStaleClaims();
        active = true;
        dispatcher = Thread.ofVirtual().name("gatehouse-" + name + "-dispatcher").start(this::dispatch);
        ticker = Thread.ofVirtual().name("gatehouse-" + name + "-poll").start(this::tick);
    }

    /**
     * Wakes the dispatcher once per poll interval, so it looks for due retries even when nothing else wakes it.
     * The dispatcher's own wait is untimed: a timed wait costs a JDK timer task scheduled and then cancelled at
     * every wake-up, several hundred a second under load (2 % of the gateway's CPU in the bench, plus the timer
     * thread's wake-ups); this thread's sleep is one timer per interval.
     */
    private void tick() {
        while (active) {
            try {
                Thread.sleep(settings.pollInterval());
            } catch (InterruptedException e) {
                return;
            }
            wake.release();
        }
    }

    /** Look for due work now (call after an enqueue or an outcome commits). */
    public void wakeUp() {
        // Called once per accepted message. A wake-up the dispatcher would not act on is a thread hand-off for
        // nothing: while every slot is busy it could not claim (the slot's release wakes it when the work
        // ends), and a permit already pending wakes it anyway. The dispatcher drains the permits before it
        // reads the queue, so a message committed before this call is seen by the read that follows.
        likelyDue = true;
        if (slots.availablePermits() > 0 && wake.availablePermits() == 0) wake.release();
    }

    /**
     * Set by {@link #wakeUp} (mail was committed), and while the last claim took all it could: the next claim
     * skips {@link DeliveryLedger#anyDue}, whose read only saves a claim's write when nothing is due (under load it
     * always was: 1.2 % of the gateway's CPU in the bench). At worst a claim then finds nothing, as another
     * node's claim could make it find anyway.
     */
    private volatile boolean likelyDue;

    private final java.util.concurrent.ConcurrentLinkedQueue<ClaimedRecipient> unrecorded = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /**
     * A claimed recipient whose outcome could not be written: its claim is given back at the next poll that
     * the store accepts the write, so it is retried within a poll interval of the store recovering rather
     * than when its lease expires (minutes later).
     */
    public void outcomeNotRecorded(ClaimedRecipient r) { unrecorded.add(r); }

    private void releaseUnrecorded() {
        if (unrecorded.isEmpty()) return;
        List<ClaimedRecipient> batch = new java.util.ArrayList<>(unrecorded);
        try {
            ledger.release(batch);
            unrecorded.removeAll(batch);
            log.info("event={}_claims_released recipients={}", name, batch.size());
        } catch (RuntimeException e) {
            log.debug("event={}_claims_not_released error=\"{}\"", name, e.toString()); // the store still fails; next poll
        }
    }

    private void dispatch() {
        while (active) {
            try {
                releaseUnrecorded();
                int free = slots.availablePermits();
                int limit = (int) Math.min((long) free * recipientsPerSlot, settings.batchSize());
                boolean due = free > 0 && (likelyDue || ledger.anyDue());
                if (due) likelyDue = false; // before the claim: a commit after it sets it again
                List<ClaimedRecipient> claimed = due ? ledger.claim(limit, settings.lease().toMillis()) : List.of();
                if (!claimed.isEmpty() && claimed.size() == limit) likelyDue = true; // full: more is likely due
                for (List<ClaimedRecipient> unit : units.apply(claimed)) {
                    slots.acquire();
                    running.execute(() -> {
                        try {
                            work.accept(unit);
                        } finally {
                            slots.release();
                            wake.release();
                        }
                    });
                }
                if (claimed.size() < limit || claimed.isEmpty()) { // nothing more is due: sleep until woken or the next tick
                    wake.acquire();
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("event={}_claim_failed error=\"{}\"", name, e.toString());
                try {
                    Thread.sleep(settings.pollInterval());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Stops claiming, then waits (up to 30 s) for the work in flight to record its outcome. */
    @Override
    public synchronized void close() {
        if (!active) return;
        active = false;
        wake.release();
        ticker.interrupt();
        try {
            dispatcher.join();
            ticker.join();
            running.shutdown();
            if (!running.awaitTermination(30, TimeUnit.SECONDS)) log.warn("event={}_stop_timeout", name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
