// An immutable in-memory copy of domains and addresses, swapped atomically by Directory.
package dev.gatehouse.directory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** Everything resolveRecipient needs, keyed for O(labels) lookups; built in one read. */
record DirectorySnapshot(Map<String, Domain> domains, Map<String, Address> addresses,
                         Map<Long, String> tenantGuids, Map<Long, Address> mailboxes, Map<Long, OrganizationSettings> settings) {

    record Domain(long tenantId, String domainName, DomainType type, boolean matchSubDomains) {}

    record Address(long tenantId, long mailboxId, String primaryAddress) {}

    static DirectorySnapshot load(Connection c) throws SQLException {
        Map<Long, String> guids = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, guid FROM tenants"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) guids.put(rs.getLong(1), rs.getString(2));
        }
        Map<String, Domain> domains = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tenant_id, domain_name, domain_type, match_subdomains FROM accepted_domains");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                domains.put(rs.getString(2), new Domain(rs.getLong(1), rs.getString(2), DomainType.valueOf(rs.getString(3)), rs.getBoolean(4)));
            }
        }
        Map<String, Address> addresses = new HashMap<>();
        Map<Long, Address> mailboxes = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.address_key, a.tenant_id, a.mailbox_id, m.primary_address"
                + " FROM mailbox_addresses a JOIN mailboxes m ON m.id = a.mailbox_id AND m.tenant_id = a.tenant_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Address a = new Address(rs.getLong(2), rs.getLong(3), rs.getString(4));
                addresses.put(rs.getString(1), a);
                mailboxes.putIfAbsent(a.mailboxId(), a);
            }
        }
        Map<Long, Map<String, String>> config = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tenant_id, config_key, config_value FROM org_config");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) config.computeIfAbsent(rs.getLong(1), k -> new HashMap<>()).put(rs.getString(2), rs.getString(3));
        }
        Map<Long, OrganizationSettings> settings = new HashMap<>();
        config.forEach((tenant, values) -> settings.put(tenant, OrganizationSettings.of(new OrganizationConfig(tenant, values))));
        return new DirectorySnapshot(Map.copyOf(domains), Map.copyOf(addresses), Map.copyOf(guids), Map.copyOf(mailboxes),
                Map.copyOf(settings));
    }

    /** The exact domain, else the nearest parent that has MatchSubDomains; null if none. */
    Domain match(String domain) {
        Domain exact = domains.get(domain);
        if (exact != null) return exact;
        for (int dot = domain.indexOf('.'); dot >= 0; dot = domain.indexOf('.', dot + 1)) {
            Domain parent = domains.get(domain.substring(dot + 1));
            if (parent != null && parent.matchSubDomains()) return parent;
        }
        return null;
    }
}
