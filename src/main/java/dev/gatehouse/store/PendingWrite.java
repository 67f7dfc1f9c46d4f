// A write handed to the group committer that its submitter may still withdraw until the committer starts it.
package dev.gatehouse.store;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The future of one group-committed write, with one extra promise: {@link #withdraw()} succeeds only if
 * the committer has not started the write, and then the write is never run. This is what lets the SMTP
 * session answer 4xx after a commit timeout without breaking RFC 5321 §4.2.5 (a message answered 4xx is
 * never delivered): it answers 451 only when the withdrawal succeeded, and otherwise waits for the real
 * outcome of the commit already under way.
 */
public final class PendingWrite<T> extends CompletableFuture<T> {

    private static final int NEW = 0;
    private static final int STARTED = 1;
    private static final int WITHDRAWN = 2;

    private final AtomicInteger state = new AtomicInteger(NEW);

    /** True when the write will never run; false when the committer has already started (or finished) it. */
    public boolean withdraw() {
        if (!state.compareAndSet(NEW, WITHDRAWN)) return false;
        completeExceptionally(new CancellationException("write withdrawn before the commit started"));
        return true;
    }

    /** Called by the committer before running the write; false means it was withdrawn and must be skipped. */
    boolean start() { return state.compareAndSet(NEW, STARTED); }
}
