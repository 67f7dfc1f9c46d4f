// CommitDeadlines: withdraws accepted messages whose commit has not started in time, for all sessions from one thread.
package dev.gatehouse.server;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.gatehouse.store.PendingWrite;

/**
 * The commit timeout of {@link GatewayMailHandler}: a commit that has not started by its deadline is withdrawn, so
 * its session, waiting untimed, answers 451; one that has started is left to decide the reply. One thread ticks
 * while any commit is waiting (every tenth of the timeout, between 10 ms and 1 s, so a withdrawal comes at most
 * that late), instead of a timed wait per message: on a virtual thread, each timed wait scheduled and cancelled a
 * JDK timer task and woke the timer thread, for every message accepted.
 */
final class CommitDeadlines {
    private record Waiting(PendingWrite<?> commit, long deadline) {}

    private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean ticking = new AtomicBoolean();
    private final long timeoutNanos;
    private final long tickMillis;

    CommitDeadlines(long timeoutMillis) {
        this.timeoutNanos = timeoutMillis * 1_000_000;
        this.tickMillis = Math.clamp(timeoutMillis / 10, 10, 1000);
    }

    /** Watches a commit from now: withdrawn if it has not started within the timeout. */
    void watch(PendingWrite<?> commit) {
        waiting.add(new Waiting(commit, System.nanoTime() + timeoutNanos));
        if (ticking.compareAndSet(false, true)) Thread.ofVirtual().name("commit-deadlines").start(this::run);
    }

    private void run() {
        while (true) {
            try {
                Thread.sleep(tickMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long now = System.nanoTime();
            // one timeout for all, so the queue is in deadline order: stop at the first commit still in time
            for (Waiting w; (w = waiting.peek()) != null && (w.commit().isDone() || now - w.deadline() >= 0); ) {
                waiting.poll();   // only this thread removes, so that is w
                if (!w.commit().isDone()) w.commit().withdraw();   // false: it has started, and its outcome decides
            }
            if (waiting.isEmpty()) {
                ticking.set(false);
                // a commit added after the check above, whose watch() saw this thread still ticking, needs one
                if (waiting.isEmpty() || !ticking.compareAndSet(false, true)) return;
            }
        }
    }
}
