// Test fixture: a fresh SQLite file in a temp dir, or a fresh PostgreSQL schema, dropped afterwards.
package dev.gatehouse.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * One isolated database per test. PostgreSQL runs get their own schema {@code gh_test_<random>} (created
 * here, dropped on close) so parallel and repeated runs never collide. {@link #open()} may be called more
 * than once: each call is a new Store, i.e. a restarted or a second process.
 */
public final class TestDatabase implements AutoCloseable {
    public enum Kind { SQLITE, POSTGRES }

    public static final String PG_URL = System.getenv().getOrDefault("GATEHOUSE_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private final Kind kind;
    private final Path dir;
    private final String schema;

    public TestDatabase(Kind kind) {
        this(kind, "gh_test_");
    }

    /** @param schemaPrefix prefix of the PostgreSQL schema name, so a suite's schemas are recognisable */
    public TestDatabase(Kind kind, String schemaPrefix) {
        this.kind = kind;
        try {
            this.dir = Files.createTempDirectory("gh-test-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        this.schema = kind == Kind.POSTGRES ? schemaPrefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16) : null;
        if (schema != null) execute(PG_URL, "CREATE SCHEMA " + schema);
    }

    public Kind kind() { return kind; }

    /** A scratch directory (the SQLite data dir; also usable for Maildirs). */
    public Path dir() { return dir; }

    public String url() {
        if (kind == Kind.SQLITE) return null;
        return PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public Store open() { return Store.open(url(), dir.resolve("data")); }

    @Override
    public void close() {
        if (schema != null) execute(PG_URL, "DROP SCHEMA " + schema + " CASCADE");
        deleteTree(dir);
    }

    /** Deletes a test's temporary directory and everything in it, as far as it can; never throws. */
    public static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // a temporary directory left behind is not worth failing a test for
        }
    }

    @Override
    public String toString() { return kind.name(); }

    private static void execute(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL test database unavailable at " + Store.redact(url) + ": " + e.getMessage(), e);
        }
    }
}
