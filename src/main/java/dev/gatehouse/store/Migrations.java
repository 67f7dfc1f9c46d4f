// Tiny migration runner: ordered SQL scripts under db/, applied once each, recorded in schema_version.
package dev.gatehouse.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies {@code db/V<n>__<name>.sql} in order. The index {@code db/migrations.txt} lists them (a classpath
 * cannot be listed portably inside a shaded jar). Scripts are plain SQL shared by both dialects; statements
 * end with {@code ;} at the end of a line, and {@code {{ID}}}/{@code {{BLOB}}} are expanded by {@link Dialect}.
 * On PostgreSQL a transaction-scoped advisory lock serialises nodes starting at the same time.
 */
final class Migrations {
    private static final Logger log = LoggerFactory.getLogger(Migrations.class);
    private static final long PG_LOCK_KEY = 0x6761746568L; // "gateh"

    private Migrations() {}

    static void run(Connection c, Dialect dialect) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            if (dialect == Dialect.POSTGRES) st.execute("SELECT pg_advisory_xact_lock(" + PG_LOCK_KEY + ")");
            st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY,"
                    + " name VARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL)");
            int current = 0;
            try (ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
                if (rs.next()) current = rs.getInt(1);
            }
            for (String script : index()) {
                int version = Integer.parseInt(script.substring(1, script.indexOf("__")));
                if (version <= current) continue;
                for (String sql : statements(dialect.expand(resource("db/" + script)))) st.execute(sql);
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)")) {
                    ps.setInt(1, version);
                    ps.setString(2, script);
                    ps.setLong(3, System.currentTimeMillis());
                    ps.executeUpdate();
                }
                log.info("event=migration_applied version={} script={}", version, script);
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static List<String> index() {
        List<String> out = new ArrayList<>();
        for (String line : resource("db/migrations.txt").split("\n")) {
            line = line.strip();
            if (!line.isEmpty() && !line.startsWith("#")) out.add(line);
        }
        return out;
    }

    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) continue;
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) out.add(current.toString().strip());
        return out;
    }

    private static String resource(String name) {
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new StoreException("missing migration resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("cannot read migration resource " + name, e);
        }
    }
}
