// Extra writes a pipeline stage adds to the enqueue transaction (quarantine copies, ...).
package dev.gatehouse.queue;

import java.sql.SQLException;
import java.util.List;

import dev.gatehouse.store.WriteContext;

/** Runs inside the message's savepoint, after its rows are written, so everything commits (or fails) together. */
@FunctionalInterface
public interface EnqueueHook {
    EnqueueHook NONE = (ctx, messageRowId, recipientRowIds) -> { };

    /** @param recipientRowIds the recipients' row ids, in the order of {@link IncomingMessage#recipients()} */
    void written(WriteContext ctx, long messageRowId, List<Long> recipientRowIds) throws SQLException;
}
