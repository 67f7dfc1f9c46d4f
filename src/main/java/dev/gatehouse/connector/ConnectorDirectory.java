// Keeps the connector snapshot current: a change is visible to the next SMTP transaction, no restart.
package dev.gatehouse.connector;

import java.time.Duration;


import dev.gatehouse.store.ConfigCache;
import dev.gatehouse.store.Store;

/**
 * The same freshness contract as {@code directory.Directory}: a change made through this process's services
 * bumps {@link Store#configEpoch} and is seen by the very next call; a change made by another node bumps the
 * shared {@code config_version} row, re-read at most once per {@code recheckInterval}. Readers never wait
 * for a periodic refresh.
 */
public final class ConnectorDirectory {

    private final ConfigCache<ConnectorSnapshot> cache;

    public ConnectorDirectory(Store store) { this(store, Duration.ofSeconds(1)); }

    public ConnectorDirectory(Store store, Duration recheckInterval) {
        this.cache = new ConfigCache<>(store, "connectors", recheckInterval, ConnectorSnapshot::load);
    }

    /** The current snapshot (rebuilt first if this process changed configuration since it was built). */
    public ConnectorSnapshot current() { return cache.get(); }

    public void refresh() { cache.refresh(); }
}
