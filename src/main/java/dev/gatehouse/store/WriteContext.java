// What a write task sees: the writer connection, a per-batch statement cache, after-commit hooks.
package dev.gatehouse.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Handed to every {@link WriteTask}. Statements prepared through {@link #prepare} stay prepared for as
 * long as the writer connection lives (the most recently used {@value #CACHED_STATEMENTS}), so the hot
 * path's inserts and updates are parsed once per process, not once per batch. Not thread-safe: used on
 * the committer thread.
 */
public final class WriteContext {
    private final Connection connection;
    private final Dialect dialect;
    static final int CACHED_STATEMENTS = 128; // the code base has about 60 distinct write statements

    private final Map<String, PreparedStatement> statements = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= CACHED_STATEMENTS) return false;
            close(eldest.getValue());
            return true;
        }
    };
    private List<Runnable> afterCommit = new ArrayList<>();

    WriteContext(Connection connection, Dialect dialect) {
        this.connection = connection;
        this.dialect = dialect;
    }

    public Connection connection() { return connection; }

    public Dialect dialect() { return dialect; }

    /** A prepared statement cached with the connection; parameters are cleared before it is returned. */
    public PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null || ps.isClosed()) { // closed: a task closed it by mistake; prepare it again
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

    /** Before the connection closes (or after it broke). */
    void closeStatements() {
        for (PreparedStatement ps : statements.values()) close(ps);
        statements.clear();
    }

    private static void close(PreparedStatement ps) {
        try { ps.close(); } catch (SQLException ignored) { /* closing */ }
    }
}
