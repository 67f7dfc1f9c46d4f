// A unit of work run by the group committer inside the shared write transaction.
package dev.gatehouse.store;

import java.sql.SQLException;

/**
 * Work for the single writer. It runs inside a savepoint of the batch transaction: if it throws, only its
 * own changes are rolled back and only its future fails; the rest of the batch commits.
 */
@FunctionalInterface
public interface WriteTask<T> {
    T run(WriteContext ctx) throws SQLException;
}
