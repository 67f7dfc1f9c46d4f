// Opening the store: both dialects migrate, SQLite is single-process, bad URLs give clear messages.
package dev.gatehouse.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class StoreTest {
    @Parameter TestDatabase.Kind kind;
    private TestDatabase db;

    private TestDatabase db() {
        if (db == null) db = new TestDatabase(kind);
        return db;
    }

    @AfterEach
    void cleanUp() {
        if (db != null) db.close();
    }

    @Test
    void migratesOnceAndReopens() {
        try (Store s = db().open()) {
            assertThat(s.dialect().name()).startsWith(kind == TestDatabase.Kind.SQLITE ? "SQLITE" : "POSTGRES");
        }
        try (Store s = db().open()) {
            int versions = s.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM schema_version"); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(versions).isEqualTo(migrationCount());
        }
    }

    @Test
    void writesCommitAndFailingTaskFailsOnlyItself() {
        try (Store s = db().open()) {
            // Six batches: the savepoint statements are prepared once and reused, past the PostgreSQL driver's
            // threshold (5) for making them server-side prepared statements, which must work in a failed transaction too.
            for (int batch = 1; batch <= 6; batch++) {
                // The first task holds the committer, so the next ones land in one batch (and one transaction).
                s.write(ctx -> {
                    java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
                    return null;
                });
                String bump = "UPDATE config_version SET version = version + 1 WHERE id = 1";
                var ok = s.write(ctx -> ctx.prepare(bump).executeUpdate());
                var bad = s.write(ctx -> { // its own update is undone with it
                    ctx.prepare(bump).executeUpdate();
                    return ctx.prepare("INSERT INTO no_such_table VALUES (1)").executeUpdate();
                });
                var after = s.write(ctx -> ctx.prepare(bump).executeUpdate()); // the same transaction goes on after a failure
                var badAgain = s.write(ctx -> ctx.prepare("INSERT INTO no_such_table VALUES (2)").executeUpdate());
                assertThat(ok.join()).isEqualTo(1);
                assertThatThrownBy(bad::join).hasMessageContaining("no_such_table");
                assertThat(after.join()).isEqualTo(1);
                assertThatThrownBy(badAgain::join).hasMessageContaining("no_such_table");
                long version = s.read(c -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT version FROM config_version"); ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                });
                assertThat(version).isEqualTo(2L * batch);
            }
        }
    }

    @Test
    void theWriterCommitsDurably() {
        try (Store s = db().open()) {
            String sql = kind == TestDatabase.Kind.SQLITE ? "PRAGMA synchronous" : "SHOW synchronous_commit";
            String value = s.writeAndWait(ctx -> {
                try (ResultSet rs = ctx.connection().createStatement().executeQuery(sql)) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            assertThat(value).isEqualTo(kind == TestDatabase.Kind.SQLITE ? "2" : "on"); // 2 = FULL
            if (kind == TestDatabase.Kind.SQLITE) {
                String mode = s.read(c -> {
                    try (ResultSet rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
                        rs.next();
                        return rs.getString(1);
                    }
                });
                assertThat(mode).isEqualToIgnoringCase("wal");
            }
        }
    }

    @Test
    void secondSqliteOpenOnSameDataDirFailsClearly() {
        if (kind != TestDatabase.Kind.SQLITE) return;
        try (Store first = db().open()) {
            assertThatThrownBy(() -> db().open()).isInstanceOf(StoreException.class).hasMessageContaining("in use by another Gatehouse process");
        }
        try (Store again = db().open()) {
            assertThat(Files.exists(db().dir().resolve("data/gatehouse.db"))).isTrue();
        }
    }

    @Test
    void unreachableOrUnsupportedUrlsNameTheUrlWithoutPassword() {
        if (kind != TestDatabase.Kind.POSTGRES) return;
        assertThatThrownBy(() -> Store.open("jdbc:postgresql://127.0.0.1:1/test?user=postgres&password=s3cret", null))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/test?user=postgres&password=***")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> Store.open("jdbc:mysql://x/y", Path.of("/tmp")))
                .hasMessageContaining("jdbc:mysql://x/y is not supported");
        assertThatThrownBy(() -> Store.open("jdbc:sqlite::memory:", Path.of("/tmp")))
                .hasMessageContaining("must name a SQLite file");
    }

    /** Every migration in db/migrations.txt is applied exactly once. */
    private static int migrationCount() {
        try (var in = StoreTest.class.getClassLoader().getResourceAsStream("db/migrations.txt")) {
            return (int) new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
