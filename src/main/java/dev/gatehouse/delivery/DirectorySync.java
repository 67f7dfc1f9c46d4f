// Coalesces concurrent fsyncs of one directory: one fsync covers every rename made before it started.
package dev.gatehouse.delivery;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group fsync for directories. Deliveries running in parallel into one Maildir each rename a file into
 * {@code new/} and must not be marked delivered before {@code new/} is fsynced. An fsync started after a
 * rename covers it, so a caller only needs the next fsync that starts after its own request: callers
 * that arrive while one is running wait for the following one, which then serves all of them. Under load
 * this turns one directory fsync per message into one per round, without delaying a lone delivery.
 */
final class DirectorySync {

    private static final class Group {
        final ReentrantLock lock = new ReentrantLock();
        final Condition done = lock.newCondition();
        long requested;
        long completed;
        boolean running;
        IOException lastFailure;
        long failedRound = -1;
    }

    private final ConcurrentHashMap<Path, Group> groups = new ConcurrentHashMap<>();

    /** Returns once an fsync of {@code dir} that started after this call has completed. */
    void sync(Path dir) throws IOException {
        Group g = groups.computeIfAbsent(dir, d -> new Group());
        g.lock.lock();
        try {
            long ticket = ++g.requested;
            while (g.completed < ticket) {
                if (g.running) {
                    g.done.awaitUninterruptibly();
                    continue;
                }
                g.running = true;
                long round = g.requested;
                IOException failure = null;
                g.lock.unlock();
                try {
                    force(dir);
                } catch (IOException e) {
                    failure = e;
                } finally {
                    g.lock.lock();
                }
                g.running = false;
                g.completed = round;
                if (failure != null) { g.lastFailure = failure; g.failedRound = round; }
                g.done.signalAll();
            }
            if (g.failedRound >= ticket) throw g.lastFailure;
        } finally {
            g.lock.unlock();
        }
    }

    static void force(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
