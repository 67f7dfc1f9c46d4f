// An immutable in-memory copy of every tenant's inbound connectors and Direct Send switches.
package dev.gatehouse.connector;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What attribution reads on the SMTP hot path, built in one read and swapped atomically by
 * {@link ConnectorDirectory}. Disabled connectors are left out: they never match (spec §3.1, inferred).
 *
 * @param enabled      enabled connectors of every tenant
 * @param byTenant     enabled connectors per tenant id
 * @param rejectDirectSend           tenants with {@code RejectDirectSend $true}
 * @param rejectDirectSendHeaderFrom tenants with {@code RejectDirectSendHeaderFrom $true} (beyond Exchange)
 */
public record ConnectorSnapshot(List<InboundConnector> enabled, Map<Long, List<InboundConnector>> byTenant,
                                Map<Long, String> tenantGuids, Set<Long> rejectDirectSend, Set<Long> rejectDirectSendHeaderFrom) {

    public static final String REJECT_DIRECT_SEND = "RejectDirectSend";
    public static final String REJECT_DIRECT_SEND_HEADER_FROM = "RejectDirectSendHeaderFrom";

    public List<InboundConnector> of(long tenantId) { return byTenant.getOrDefault(tenantId, List.of()); }

    static ConnectorSnapshot load(Connection c) throws SQLException {
        Map<Long, String> guids = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, guid FROM tenants"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) guids.put(rs.getLong(1), rs.getString(2));
        }
        List<InboundConnector> enabled = new ArrayList<>();
        Map<Long, List<InboundConnector>> byTenant = new HashMap<>();
        for (InboundConnector ic : InboundConnectorService.loadAll(c)) {
            if (!ic.Enabled()) continue;
            enabled.add(ic);
            byTenant.computeIfAbsent(ic.tenantId(), k -> new ArrayList<>()).add(ic);
        }
        Set<Long> rds = new HashSet<>();
        Set<Long> rdsHeader = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tenant_id, config_key, config_value FROM org_config");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String key = rs.getString(2);
                String value = rs.getString(3);
                boolean on = value != null && Boolean.parseBoolean(value.strip().replace("$", "").toLowerCase(Locale.ROOT));
                if (!on) continue;
                if (REJECT_DIRECT_SEND.equalsIgnoreCase(key)) rds.add(rs.getLong(1));
                if (REJECT_DIRECT_SEND_HEADER_FROM.equalsIgnoreCase(key)) rdsHeader.add(rs.getLong(1));
            }
        }
        Map<Long, List<InboundConnector>> frozen = new HashMap<>();
        byTenant.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new ConnectorSnapshot(List.copyOf(enabled), Map.copyOf(frozen), Map.copyOf(guids), Set.copyOf(rds), Set.copyOf(rdsHeader));
    }
}
