// The one recipient lookup of the admin side: a mailbox (by address, name or guid) or an InternalRelay address.
package dev.gatehouse.directory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Resolves what an admin typed as a recipient of the organization, inside the caller's transaction (a
 * rule being saved, a quarantined message being released), with the same answer the running gateway's
 * {@link Directory#recipientOf} gives for an address: a mailbox of the tenant (by any of its addresses, or
 * by its name or guid), or an address in one of the tenant's InternalRelay domains (a recipient without a
 * mailbox). Anything else is not a recipient of the organization.
 */
public final class Recipients {
    private Recipients() {}

    /**
     * @param address   the mailbox's primary address (lower case), or the address itself for InternalRelay
     * @param mailboxId the mailbox, or null for an address in an InternalRelay domain
     */
    public record Resolved(String address, Long mailboxId) {}

    /** A mailbox of the tenant, or an address in an InternalRelay domain of the tenant; null otherwise. */
    public static Resolved resolve(Connection c, long tenantId, String identity) throws SQLException {
        Long mailbox = mailboxId(c, tenantId, identity);
        if (mailbox != null) {
            try (PreparedStatement ps = c.prepareStatement("SELECT primary_address FROM mailboxes WHERE tenant_id = ? AND id = ?")) {
                ps.setLong(1, tenantId);
                ps.setLong(2, mailbox);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) return new Resolved(rs.getString(1).toLowerCase(Locale.ROOT), mailbox);
                }
            }
        }
        String key = Names.addressKeyOrNull(identity);
        if (key != null && internalRelay(c, tenantId, key.substring(key.lastIndexOf('@') + 1))) return new Resolved(key, null);
        return null;
    }

    /** Every address of the mailbox the identity names (primary first, lower case), or null when it names none. */
    public static List<String> mailboxAddresses(Connection c, long tenantId, String identity) throws SQLException {
        Long id = mailboxId(c, tenantId, identity);
        return id == null ? null : addresses(c, tenantId, id);
    }

    private static Long mailboxId(Connection c, long tenantId, String identity) throws SQLException {
        if (identity == null) return null;
        String key = Names.addressKeyOrNull(identity);
        if (key != null) {
            try (PreparedStatement ps = c.prepareStatement("SELECT mailbox_id FROM mailbox_addresses WHERE address_key = ? AND tenant_id = ?")) {
                ps.setString(1, key);
                ps.setLong(2, tenantId);
                try (ResultSet rs = ps.executeQuery()) { return rs.next() ? rs.getLong(1) : null; }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM mailboxes WHERE tenant_id = ? AND (name_key = ? OR guid = ?)")) {
            ps.setLong(1, tenantId);
            ps.setString(2, Names.nameKey(identity));
            ps.setString(3, identity.strip().toLowerCase(Locale.ROOT));
            try (ResultSet rs = ps.executeQuery()) { return rs.next() ? rs.getLong(1) : null; }
        }
    }

    private static List<String> addresses(Connection c, long tenantId, long mailboxId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT address_key FROM mailbox_addresses WHERE tenant_id = ? AND mailbox_id = ?"
                + " ORDER BY is_primary DESC, address_key")) {
            ps.setLong(1, tenantId);
            ps.setLong(2, mailboxId);
            try (ResultSet rs = ps.executeQuery()) { while (rs.next()) out.add(rs.getString(1)); }
        }
        return out;
    }

    /** True when the domain is an InternalRelay accepted domain of the tenant (or a MatchSubDomains child of one). */
    public static boolean internalRelay(Connection c, long tenantId, String domain) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT domain_name, match_subdomains FROM accepted_domains WHERE tenant_id = ?"
                + " AND domain_type = '" + DomainType.InternalRelay + "'")) {
            ps.setLong(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String d = rs.getString(1);
                    if (domain.equals(d) || (rs.getBoolean(2) && domain.endsWith("." + d))) return true;
                }
            }
        }
        return false;
    }
}
