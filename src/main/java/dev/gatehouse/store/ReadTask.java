// A read-only unit of work run on a pooled read connection.
package dev.gatehouse.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Read work; it must not write (on SQLite only the committer writes). */
@FunctionalInterface
public interface ReadTask<T> {
    T run(Connection connection) throws SQLException;
}
