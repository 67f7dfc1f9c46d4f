// Metrics hook of the group committer: one call per committed (or failed) batch.
package dev.gatehouse.store;

/** Called on the committer thread after each batch; keep it cheap (e.g. record into Micrometer). */
public interface CommitListener {
    /**
     * @param tasks     write tasks in the batch (messages, status updates, admin changes)
     * @param bytes     declared payload bytes (message content) in the batch
     * @param commitNanos time from starting the transaction to the end of the commit (fsync included)
     */
    void onCommit(int tasks, long bytes, long commitNanos);

    default void onCommitFailed(int tasks, Throwable cause) {}
}
