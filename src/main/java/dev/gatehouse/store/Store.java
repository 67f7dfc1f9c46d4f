// The store: opens SQLite or PostgreSQL, runs migrations, and hands out reads and (group-committed) writes.
package dev.gatehouse.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One JDBC store, two dialects. SQLite (the embedded default, {@code <dataDir>/gatehouse.db}) runs in WAL
 * mode with {@code synchronous=FULL}, exactly one writer connection owned by the {@link GroupCommitter},
 * a small read pool, and a lock file so a second process fails fast. PostgreSQL uses a Hikari pool with
 * {@code synchronous_commit=on}; several nodes may share it.
 *
 * <p>Reads run on pooled connections via {@link #read}. Writes are submitted to the committer via
 * {@link #write}; their futures complete only once the batch holding them is durable.
 */
public final class Store implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Store.class);
    private static final int MAX_BATCH_TASKS = 256;
    private static final long MAX_BATCH_BYTES = 64L << 20;

    private final Dialect dialect;
    private final String description;
    private final HikariDataSource readPool;
    private final GroupCommitter committer;
    private final DataDirLock lock;
    private final AtomicLong configEpoch = new AtomicLong();

    private Store(Dialect dialect, String description, HikariDataSource readPool,
                  GroupCommitter.ConnectionSource writer, DataDirLock lock) {
        this.dialect = dialect;
        this.description = description;
        this.readPool = readPool;
        this.lock = lock;
        this.committer = new GroupCommitter(writer, dialect, MAX_BATCH_TASKS, MAX_BATCH_BYTES);
    }

    /**
     * Opens (and migrates) the store.
     *
     * @param url     null or empty for SQLite at {@code <dataDir>/gatehouse.db}, a {@code jdbc:sqlite:} URL,
     *                or a {@code jdbc:postgresql://} URL
     * @param dataDir the data directory (SQLite file and lock file); may be null for PostgreSQL
     */
    public static Store open(String url, Path dataDir) {
        if (url == null || url.isBlank()) {
            if (dataDir == null) throw new IllegalArgumentException("a data directory is required for the SQLite store");
            return openSqlite(dataDir.resolve("gatehouse.db").toAbsolutePath());
        }
        if (url.startsWith("jdbc:sqlite:")) {
            String path = url.substring("jdbc:sqlite:".length());
            int q = path.indexOf('?');
            if (q >= 0) path = path.substring(0, q);
            if (path.startsWith("file:")) path = path.substring("file:".length());
            if (path.isEmpty() || path.contains(":memory:")) {
                throw new StoreException("Store URL " + url + " must name a SQLite file (in-memory databases are not durable)");
            }
            return openSqlite(Path.of(path).toAbsolutePath());
        }
        if (url.startsWith("jdbc:postgresql:")) return openPostgres(url);
        throw new StoreException("Store URL " + redact(url) + " is not supported: use jdbc:sqlite:<file> or jdbc:postgresql://host/db");
    }

    static final int WAL_AUTOCHECKPOINT_PAGES = 2_000;

    private static Store openSqlite(Path file) {
        DataDirLock lock = DataDirLock.acquire(file.resolveSibling(file.getFileName() + ".lock"));
        String url = "jdbc:sqlite:" + file;
        HikariDataSource pool = null;
        try {
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            config.setBusyTimeout(10_000);
            config.setCacheSize(-32_768); // 32 MiB per connection: queue and index pages stay cached between commits
            config.setTempStore(SQLiteConfig.TempStore.MEMORY);
            // The driver's default answers getGeneratedKeys by running `SELECT last_insert_rowid()` after every
            // INSERT (a regex match, a new statement, a prepare, a step): 1.8 % of the gateway's CPU in the bench.
            // Gatehouse reads new ids with RETURNING and never calls getGeneratedKeys.
            config.setGetGeneratedKeys(false);
            // A checkpoint costs two flushes (WAL, then database) and runs inside the commit that crosses the
            // threshold, holding every session waiting on that commit. SQLite's default of 1,000 pages came to one
            // every ~40 messages when a message dirtied ~25 pages; 8,000 then flushed 8x less often, but its 32 MiB
            // write-back held those sessions long enough to make the p99 (55-57 ms on the 210-flush disk). 2,000
            // (8 MiB; one every ~300 messages at ~6.5 pages each): p99 39-40 ms, same rate (decision 0008).
            config.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, String.valueOf(WAL_AUTOCHECKPOINT_PAGES));
            config.setPragma(SQLiteConfig.Pragma.JOURNAL_SIZE_LIMIT, String.valueOf(64L << 20)); // a burst's WAL shrinks back
            Connection first = config.createConnection(url);
            try (first) {
                Migrations.run(first, Dialect.SQLITE);
            }
            SQLiteDataSource ds = new SQLiteDataSource(config);
            ds.setUrl(url);
            HikariConfig hc = new HikariConfig();
            hc.setDataSource(ds);
            hc.setPoolName("gatehouse-sqlite-read");
            hc.setMaximumPoolSize(4);
            hc.setMinimumIdle(1);
            pool = new HikariDataSource(hc);
            log.info("event=store_opened dialect=sqlite file={}", file);
            return new Store(Dialect.SQLITE, url, pool, () -> config.createConnection(url), lock);
        } catch (SQLException | RuntimeException e) {
            if (pool != null) pool.close();
            lock.close();
            throw new StoreException("Cannot open SQLite store " + file + ": " + e.getMessage(), e);
        }
    }

    private static Store openPostgres(String url) {
        String shown = redact(url);
        HikariDataSource pool;
        try {
            HikariConfig hc = new HikariConfig();
            hc.setJdbcUrl(url);
            hc.setPoolName("gatehouse-pg");
            hc.setMaximumPoolSize(10);
            hc.setConnectionTimeout(5_000);
            hc.setConnectionInitSql("SET synchronous_commit = on");
            pool = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new StoreException("Cannot connect to PostgreSQL store " + shown + ": " + rootMessage(e), e);
        }
        try (Connection c = pool.getConnection()) {
            Migrations.run(c, Dialect.POSTGRES);
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw new StoreException("Cannot migrate PostgreSQL store " + shown + ": " + rootMessage(e), e);
        }
        log.info("event=store_opened dialect=postgres url={}", shown);
        return new Store(Dialect.POSTGRES, shown, pool, pool::getConnection, null);
    }

    /** The URL with any password removed, for messages and logs. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return redact(String.valueOf(t.getMessage()));
    }

    public Dialect dialect() { return dialect; }

    /** The store URL without secrets. */
    public String description() { return description; }

    /** Runs read-only work on a pooled connection (auto-commit). */
    public <T> T read(ReadTask<T> task) {
        try (Connection c = readPool.getConnection()) {
            return task.run(c);
        } catch (SQLException e) {
            throw new StoreException("read failed on " + description + ": " + e.getMessage(), e);
        }
    }

    /**
     * A pooled connection for a bounded run of reads that prepares its statement once (the read pool caches no
     * statements, and SQLite parses the SQL on every prepare); closing it gives it back. Hold it for one batch's reads
     * only: the SQLite read pool has four connections.
     */
    public Connection readConnection() {
        try {
            return readPool.getConnection();
        } catch (SQLException e) {
            throw new StoreException("read failed on " + description + ": " + e.getMessage(), e);
        }
    }

    /** Submits write work to the group committer; the future completes after the durable commit. */
    public <T> PendingWrite<T> write(WriteTask<T> task) { return committer.submit(0, task); }

    /** As {@link #write(WriteTask)}, declaring the payload size so a batch stays under its byte cap. */
    public <T> PendingWrite<T> write(long payloadBytes, WriteTask<T> task) { return committer.submit(payloadBytes, task); }

    /** Writes and waits; runtime exceptions thrown by the task (e.g. validation) are rethrown as they are. */
    public <T> T writeAndWait(WriteTask<T> task) {
        try {
            return write(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while writing", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new StoreException("write failed on " + description + ": " + cause.getMessage(), cause);
        }
    }

    public void addCommitListener(CommitListener listener) { committer.addListener(listener); }

    /** Number of batches committed since open (a test and metrics aid). */
    public long commits() { return committer.commits(); }

    /** Write tasks waiting for the committer. */
    public int waitingWrites() { return committer.waiting(); }

    /** A counter bumped (after commit) whenever this process changes directory configuration. */
    public long configEpoch() { return configEpoch.get(); }

    public void configChanged() { configEpoch.incrementAndGet(); }

    /**
     * Records, inside the transaction of a configuration write, that configuration changed: the shared
     * {@code config_version} row moves (other nodes' {@link ConfigCache}s notice within their recheck interval)
     * and, once committed, this process's epoch (its caches rebuild before the next read).
     */
    public void configChangedIn(WriteContext ctx) throws java.sql.SQLException {
        ctx.prepare("UPDATE config_version SET version = version + 1 WHERE id = 1").executeUpdate();
        ctx.afterCommit(this::configChanged);
    }

    /** Commits everything already submitted, then closes connections and releases the lock. */
    @Override
    public void close() {
        committer.close();
        readPool.close();
        if (lock != null) lock.close();
        log.info("event=store_closed store={}", description);
    }
}
