// The running gateway's compiled rules: an immutable per-tenant snapshot, swapped atomically on change.
package dev.gatehouse.rules;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.store.ConfigCache;
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

    record Snapshot(Map<Long, List<CompiledRule>> tenants) {}

    private final ConfigCache<Snapshot> cache;

    public RuleEngine(Store store) { this(store, Duration.ofSeconds(1)); }

    public RuleEngine(Store store, Duration recheckInterval) {
        this.cache = new ConfigCache<>(store, "rules", recheckInterval, RuleEngine::load);
    }

    /** The tenant's enabled rules in priority order (empty when it has none). */
    public List<CompiledRule> rules(long tenantId) {
        return cache.get().tenants().getOrDefault(tenantId, List.of());
    }

    public void refresh() { cache.refresh(); }

    private static Snapshot load(Connection c) throws SQLException {
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
        return new Snapshot(Map.copyOf(frozen));
    }
}
