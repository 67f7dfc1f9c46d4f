// Keeps the connector snapshot current: a change is visible to the next SMTP transaction, no restart.
package dev.gatehouse.connector;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.store.Store;

/**
 * The same freshness contract as {@code directory.Directory}: a change made through this process's services
 * bumps {@link Store#configEpoch} and is seen by the very next call; a change made by another node bumps the
 * shared {@code config_version} row, re-read at most once per {@code recheckInterval}. Readers never wait
 * for a periodic refresh.
 */
public final class ConnectorDirectory {
    private static final Logger log = LoggerFactory.getLogger(ConnectorDirectory.class);

    private final Store store;
    private final long recheckNanos;
    private final ReentrantLock reload = new ReentrantLock();
    private volatile ConnectorSnapshot snapshot;
    private volatile long checkedAt;

    public ConnectorDirectory(Store store) { this(store, Duration.ofSeconds(1)); }

    public ConnectorDirectory(Store store, Duration recheckInterval) {
        this.store = store;
        this.recheckNanos = recheckInterval.toNanos();
        long epoch = store.configEpoch();
        this.snapshot = store.read(c -> ConnectorSnapshot.load(c, epoch));
        this.checkedAt = System.nanoTime();
    }

    /** The current snapshot (rebuilt first if this process changed configuration since it was built). */
    public ConnectorSnapshot current() {
        ConnectorSnapshot s = snapshot;
        if (s.epoch() != store.configEpoch()) {
            reload.lock();
            try {
                if (snapshot.epoch() != store.configEpoch()) rebuild();
            } finally {
                reload.unlock();
            }
            return snapshot;
        }
        if (System.nanoTime() - checkedAt >= recheckNanos && reload.tryLock()) {
            try {
                checkedAt = System.nanoTime();
                long version = store.read(c -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT version FROM config_version WHERE id = 1"); ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getLong(1) : 0L;
                    }
                });
                if (version != snapshot.version()) rebuild();
            } catch (RuntimeException e) {
                log.warn("event=connector_recheck_failed error=\"{}\"", e.toString());
            } finally {
                reload.unlock();
            }
        }
        return snapshot;
    }

    private void rebuild() {
        long epoch = store.configEpoch();
        snapshot = store.read(c -> ConnectorSnapshot.load(c, epoch));
        checkedAt = System.nanoTime();
        log.debug("event=connectors_reloaded version={} connectors={}", snapshot.version(), snapshot.enabled().size());
    }
}
