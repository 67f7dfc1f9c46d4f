// The single writer: batches every waiting write into one transaction and one fsync (group commit).
package dev.gatehouse.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Group commit, as the durable-accept checklist asks: sessions hand their work to one thread, which takes
 * everything waiting (up to {@code maxTasks} tasks or {@code maxBytes} of payload), runs it in ONE
 * transaction, commits (SQLite {@code synchronous=FULL} / PostgreSQL {@code synchronous_commit=on}: the
 * commit is on disk when it returns) and only then completes the futures. There is no timer: a lone task
 * commits at once, and work arriving while a commit is in flight simply forms the next batch, so the batch
 * size grows with the load and the fsync rate stays near the disk's serial ceiling.
 *
 * <p>Every write of the process goes through here (messages, delivery status, admin changes), which gives
 * SQLite exactly one writer connection. Each task runs in its own savepoint, so one failing task (e.g. a
 * validation error in an admin change) fails only its own future.
 */
final class GroupCommitter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);

    interface ConnectionSource {
        Connection open() throws SQLException;
    }

    private record Pending<T>(WriteTask<T> task, long bytes, PendingWrite<T> future) {}

    private static final Pending<Object> STOP = new Pending<>(ctx -> null, 0, new PendingWrite<>());

    private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final ConnectionSource source;
    private final Dialect dialect;
    private final int maxTasks;
    private final long maxBytes;
    private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong commits = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;
    private Connection connection;
    private WriteContext context; // lives as long as the connection: its prepared statements are reused
    private Pending<?> carry;
    private final Object submitLock = new Object();

    GroupCommitter(ConnectionSource source, Dialect dialect, int maxTasks, long maxBytes) {
        this.source = source;
        this.dialect = dialect;
        this.maxTasks = maxTasks;
        this.maxBytes = maxBytes;
        this.thread = Thread.ofPlatform().name("gatehouse-committer").daemon(true).unstarted(this::run);
        thread.start();
    }

    <T> PendingWrite<T> submit(long bytes, WriteTask<T> task) {
        PendingWrite<T> future = new PendingWrite<>();
        synchronized (submitLock) { // close() takes the same lock, so no write is added after the final drain
            if (closed) {
                future.completeExceptionally(new StoreException("store is closed"));
                return future;
            }
            queue.add(new Pending<>(task, bytes, future));
        }
        return future;
    }

    void addListener(CommitListener listener) { listeners.add(listener); }

    long commits() { return commits.get(); }

    int waiting() { return queue.size(); }

    private void run() {
        try {
            while (true) {
                Pending<?> first = carry != null ? carry : queue.take();
                carry = null;
                if (first == STOP) break;
                List<Pending<?>> batch = new ArrayList<>();
                batch.add(first);
                long bytes = first.bytes();
                boolean stop = false;
                while (batch.size() < maxTasks) {
                    Pending<?> next = queue.poll();
                    if (next == null) break;
                    if (next == STOP) { stop = true; break; }
                    if (bytes + next.bytes() > maxBytes) { carry = next; break; }
                    batch.add(next);
                    bytes += next.bytes();
                }
                commit(batch, bytes);
                if (stop) break;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Anything submitted after the stop marker (a race with close) is refused, never half-done.
        for (Pending<?> p; (p = queue.poll()) != null; ) {
            p.future().completeExceptionally(new StoreException("store is closed"));
        }
        closeConnection();
    }

    // A task's savepoint, as statements prepared once per connection. The driver's Connection.setSavepoint and
    // releaseSavepoint format a fresh name and parse the statement on every call: 0.8 % of the gateway's CPU in the
    // bench. Savepoints of one name nest; each task's is released (or rolled back to and released) before the next.
    private static final String SAVEPOINT = "SAVEPOINT task";
    private static final String RELEASE = "RELEASE SAVEPOINT task";
    private static final String ROLLBACK_TO = "ROLLBACK TO SAVEPOINT task";

    private void commit(List<Pending<?>> batch, long bytes) {
        long start = System.nanoTime();
        Object[] results = new Object[batch.size()];
        Throwable[] failures = new Throwable[batch.size()];
        WriteContext ctx = null;
        try {
            Connection c = connection();
            ctx = context;
            boolean savepoints = batch.size() > 1;
            for (int i = 0; i < batch.size(); i++) {
                if (!batch.get(i).future().start()) continue; // withdrawn by its submitter: never run
                int hooks = ctx.afterCommitCount();
                if (savepoints) ctx.prepare(SAVEPOINT).execute();
                try {
                    results[i] = batch.get(i).task().run(ctx);
                    if (savepoints) ctx.prepare(RELEASE).execute();
                } catch (Exception | Error e) {
                    if (!savepoints) throw e;
                    ctx.prepare(ROLLBACK_TO).execute();
                    ctx.prepare(RELEASE).execute();
                    ctx.discardAfterCommit(hooks);
                    failures[i] = e;
                }
            }
            c.commit();
        } catch (Throwable e) {
            if (ctx != null) ctx.takeAfterCommit(); // this batch's hooks die with it
            rollbackQuietly();
            ctx = null;
            log.warn("event=commit_failed tasks={} error=\"{}\"", batch.size(), e.toString());
            for (CommitListener l : listeners) l.onCommitFailed(batch.size(), e);
            for (Pending<?> p : batch) p.future().completeExceptionally(e);
            return;
        }
        long nanos = System.nanoTime() - start;
        commits.incrementAndGet();
        for (Runnable r : ctx.takeAfterCommit()) {
            try { r.run(); } catch (RuntimeException e) { log.warn("event=after_commit_failed error=\"{}\"", e.toString()); }
        }
        for (CommitListener l : listeners) {
            try { l.onCommit(batch.size(), bytes, nanos); } catch (RuntimeException e) { log.warn("event=listener_failed", e); }
        }
        for (int i = 0; i < batch.size(); i++) complete(batch.get(i), results[i], failures[i]);
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Pending<T> p, Object result, Throwable failure) {
        if (failure != null) p.future().completeExceptionally(failure);
        else p.future().complete((T) result);
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            if (context != null) context.closeStatements(); // of the connection that went away
            connection = source.open();
            connection.setAutoCommit(false);
            context = new WriteContext(connection, dialect);
        }
        return connection;
    }

    private void rollbackQuietly() {
        try {
            if (connection != null) connection.rollback();
        } catch (SQLException e) {
            closeConnection(); // broken connection: reopen on the next batch
        }
    }

    private void closeConnection() {
        if (context != null) context.closeStatements();
        context = null;
        try {
            if (connection != null) connection.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
        connection = null;
    }

    /** Commits everything already submitted, then stops the thread. */
    @Override
    public void close() {
        synchronized (submitLock) {
            if (closed) return;
            closed = true;
            queue.add(STOP);
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
