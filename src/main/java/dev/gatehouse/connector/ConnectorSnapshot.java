// An immutable in-memory copy of every tenant's enabled inbound connectors.
package dev.gatehouse.connector;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What attribution reads on the SMTP hot path, built in one read and swapped atomically by
 * {@link ConnectorDirectory}. Disabled connectors are left out: they never match (spec §3.1, inferred).
 * The organization switches that attribution also reads ({@code RejectDirectSend}, ...) are the
 * directory's ({@code OrganizationSettings}), not kept here.
 *
 * @param enabled  enabled connectors of every tenant
 * @param byTenant enabled connectors per tenant id
 */
public record ConnectorSnapshot(List<InboundConnector> enabled, Map<Long, List<InboundConnector>> byTenant) {

    public List<InboundConnector> of(long tenantId) { return byTenant.getOrDefault(tenantId, List.of()); }

    static ConnectorSnapshot load(Connection c) throws SQLException {
        List<InboundConnector> enabled = new ArrayList<>();
        Map<Long, List<InboundConnector>> byTenant = new HashMap<>();
        for (InboundConnector ic : InboundConnectorService.loadAll(c)) {
            if (!ic.Enabled()) continue;
            enabled.add(ic);
            byTenant.computeIfAbsent(ic.tenantId(), k -> new ArrayList<>()).add(ic);
        }
        Map<Long, List<InboundConnector>> frozen = new HashMap<>();
        byTenant.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new ConnectorSnapshot(List.copyOf(enabled), Map.copyOf(frozen));
    }
}
