// What a write task sees: the writer connection, a per-batch statement cache, after-commit hooks.
package dev.gatehouse.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Handed to every {@link WriteTask}. Statements prepared through {@link #prepare} are shared by the
 * whole batch, so 256 messages cost 3 prepares, not 768. Not thread-safe: used on the committer thread.
 */
public final class WriteContext {
    private final Connection connection;
    private final Dialect dialect;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private List<Runnable> afterCommit = new ArrayList<>();

    WriteContext(Connection connection, Dialect dialect) {
        this.connection = connection;
        this.dialect = dialect;
    }

    public Connection connection() { return connection; }

    public Dialect dialect() { return dialect; }

    /** A prepared statement cached for the rest of this batch; parameters are cleared before it is returned. */
    public PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        } else {
            ps.clearParameters();
        }
        return ps;
    }

    /** Runs after the batch committed (on the committer thread, before futures complete). */
    public void afterCommit(Runnable action) { afterCommit.add(action); }

    List<Runnable> takeAfterCommit() {
        List<Runnable> out = afterCommit;
        afterCommit = new ArrayList<>();
        return out;
    }

    void discardAfterCommit(int keep) {
        while (afterCommit.size() > keep) afterCommit.removeLast();
    }

    int afterCommitCount() { return afterCommit.size(); }

    void closeStatements() {
        for (PreparedStatement ps : statements.values()) {
            try { ps.close(); } catch (SQLException ignored) { /* closing */ }
        }
        statements.clear();
    }
}
