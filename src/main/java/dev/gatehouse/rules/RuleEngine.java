// The running gateway's compiled rules: an immutable per-tenant snapshot, swapped atomically on change.
package dev.gatehouse.rules;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.store.Store;

/**
 * Holds, per tenant, the enabled rules compiled into {@link CompiledRule}s in priority order. The whole
 * map is immutable and replaced in one volatile write, so an evaluation in flight keeps the snapshot it
 * started with. Freshness works as the directory's: a change made through this process's
 * {@link RuleService} moves {@link Store#configEpoch()} and is visible to the next message; a change made
 * by another node moves {@code config_version}, re-read at most once per recheck interval (1 s), and
 * readers never wait for that periodic rebuild.
 *
 * <p>A stored rule that no longer compiles (it can't normally happen: rules are validated when saved) is
 * left out of the snapshot and logged, rather than taking the tenant's whole rule set down.
 */
public final class RuleEngine {
    private static final Logger log = LoggerFactory.getLogger(RuleEngine.class);

    record Snapshot(long version, long epoch, Map<Long, List<CompiledRule>> tenants) {}

    private final Store store;
    private final long recheckNanos;
    private final ReentrantLock reload = new ReentrantLock();
    private volatile Snapshot snapshot;
    private volatile long checkedAt;

    public RuleEngine(Store store) { this(store, Duration.ofSeconds(1)); }

    public RuleEngine(Store store, Duration recheckInterval) {
        this.store = store;
        this.recheckNanos = recheckInterval.toNanos();
        this.snapshot = load();
        this.checkedAt = System.nanoTime();
    }

    /** The tenant's enabled rules in priority order (empty when it has none). */
    public List<CompiledRule> rules(long tenantId) {
        return current().tenants().getOrDefault(tenantId, List.of());
    }

    public void refresh() {
        reload.lock();
        try {
            snapshot = load();
        } finally {
            reload.unlock();
        }
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        if (s.epoch() != store.configEpoch()) {
            reload.lock();
            try {
                if (snapshot.epoch() != store.configEpoch()) snapshot = load();
            } finally {
                reload.unlock();
            }
            return snapshot;
        }
        if (System.nanoTime() - checkedAt >= recheckNanos && reload.tryLock()) {
            try {
                checkedAt = System.nanoTime();
                long version = store.read(c -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT version FROM config_version WHERE id = 1");
                         ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getLong(1) : 0L;
                    }
                });
                if (version != snapshot.version()) snapshot = load();
            } catch (RuntimeException e) {
                log.warn("event=rules_recheck_failed error=\"{}\"", e.toString());
            } finally {
                reload.unlock();
            }
        }
        return snapshot;
    }

    private Snapshot load() {
        long epoch = store.configEpoch();
        return store.read(c -> {
            long version = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT version FROM config_version WHERE id = 1"); ResultSet rs = ps.executeQuery()) {
                if (rs.next()) version = rs.getLong(1);
            }
            Map<Long, List<CompiledRule>> byTenant = new HashMap<>();
            for (TransportRule r : RuleService.all(c)) {
                if (!r.enabled()) continue;
                try {
                    byTenant.computeIfAbsent(r.tenantId(), k -> new ArrayList<>()).add(CompiledRule.of(r));
                } catch (RuntimeException e) {
                    log.error("event=rule_not_compiled tenant_id={} rule={} error=\"{}\"", r.tenantId(), r.guid(), e.toString());
                }
            }
            Map<Long, List<CompiledRule>> frozen = new HashMap<>();
            byTenant.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
            log.debug("event=rules_reloaded version={} tenants={}", version, frozen.size());
            return new Snapshot(version, epoch, Map.copyOf(frozen));
        });
    }
}
