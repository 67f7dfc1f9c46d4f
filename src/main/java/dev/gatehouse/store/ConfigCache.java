// An in-memory view of configuration rows that stays fresh for this node and for other nodes.
package dev.gatehouse.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds an immutable value built from configuration rows (the directory of domains and mailboxes, the
 * inbound connectors, the compiled mail flow rules) for the hot path, where a store read per SMTP command
 * would be too slow. The freshness contract, the same for every such view:
 * <ul>
 * <li>a change made through this process's services bumps {@link Store#configEpoch}; the next {@link #get}
 *     waits for a rebuild, so an admin change is seen by the very next SMTP transaction;</li>
 * <li>a change made by another node on the same PostgreSQL bumps the shared {@code config_version} row,
 *     re-read at most once per recheck interval, so other nodes see it within that interval;</li>
 * <li>readers never wait for a periodic recheck: while one thread rebuilds, the others keep the old value,
 *     and a failing recheck keeps serving the old value (logged).</li>
 * </ul>
 */
public final class ConfigCache<T> {

    private static final Logger log = LoggerFactory.getLogger(ConfigCache.class);

    /** Builds the value from the store, inside one read. */
    @FunctionalInterface
    public interface Loader<T> {
        T load(Connection c) throws SQLException;
    }

    private record Loaded<T>(T value, long epoch, long version) {}

    private final Store store;
    private final String name;
    private final Loader<T> loader;
    private final long recheckNanos;
    private final ReentrantLock reload = new ReentrantLock();
    private volatile Loaded<T> current;
    private volatile long checkedAt;

    public ConfigCache(Store store, String name, Duration recheckInterval, Loader<T> loader) {
        this.store = store;
        this.name = name;
        this.loader = loader;
        this.recheckNanos = recheckInterval.toNanos();
        this.current = load();
        this.checkedAt = System.nanoTime();
    }

    public T get() {
        Loaded<T> l = current;
        if (l.epoch() != store.configEpoch()) {
            reload.lock(); // a local change must be visible to the caller: wait for the rebuild
            try {
                if (current.epoch() != store.configEpoch()) current = load();
            } finally {
                reload.unlock();
            }
            return current.value();
        }
        if (System.nanoTime() - checkedAt >= recheckNanos && reload.tryLock()) {
            try {
                checkedAt = System.nanoTime();
                if (store.read(ConfigCache::version) != current.version()) current = load();
            } catch (RuntimeException e) {
                log.warn("event=config_recheck_failed view={} error=\"{}\"", name, e.toString());
            } finally {
                reload.unlock();
            }
        }
        return current.value();
    }

    /** Rebuilds now (tests, or a PostgreSQL NOTIFY listener). */
    public void refresh() {
        reload.lock();
        try {
            current = load();
        } finally {
            reload.unlock();
        }
    }

    private Loaded<T> load() {
        long epoch = store.configEpoch(); // read before the rows: a change racing the load triggers another
        Loaded<T> l = store.read(c -> {
            long version = version(c);
            return new Loaded<>(loader.load(c), epoch, version);
        });
        log.debug("event=config_reloaded view={} version={}", name, l.version());
        return l;
    }

    private static long version(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM config_version WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0L;
        }
    }
}
