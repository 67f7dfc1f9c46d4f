// Mailboxes of a tenant (New/Get/Set/Remove-Mailbox) and their primary and proxy SMTP addresses.
package dev.gatehouse.directory;

import dev.gatehouse.kernel.NotFoundException;
import dev.gatehouse.kernel.ValidationException;

import dev.gatehouse.store.Store;
import dev.gatehouse.store.WriteContext;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Mailboxes. An address (primary or proxy) belongs to at most one mailbox across all tenants, and its
 * domain must be an accepted domain of the mailbox's tenant (or a sub-domain of one with MatchSubDomains).
 */
public final class MailboxService {
    private static final String COLUMNS = "id, tenant_id, name, guid, primary_address, created_at";
    private final Store store;

    public MailboxService(Store store) { this.store = store; }

    /**
     * @param primarySmtpAddress the primary address; when null, the {@code SMTP:} entry of emailAddresses
     * @param emailAddresses     proxy addresses, with or without an {@code smtp:} prefix; may be null
     */
    public Mailbox create(long tenantId, String name, String primarySmtpAddress, List<String> emailAddresses) {
        String n = Names.name("Name", name);
        Map<String, String> addresses = addresses(primarySmtpAddress, emailAddresses, null);
        String primary = addresses.values().iterator().next();
        return store.writeAndWait(ctx -> {
            ConfigWrites.requireTenant(ctx, tenantId);
            if (find(ctx, tenantId, n).isPresent()) throw new ValidationException("A mailbox with the name '" + n + "' already exists");
            checkAddresses(ctx, tenantId, -1, addresses);
            long now = System.currentTimeMillis();
            String guid = UUID.randomUUID().toString();
            PreparedStatement ps = ctx.prepare("INSERT INTO mailboxes (tenant_id, name, name_key, guid, primary_address, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
            ps.setLong(1, tenantId);
            ps.setString(2, n);
            ps.setString(3, Names.nameKey(n));
            ps.setString(4, guid);
            ps.setString(5, primary);
            ps.setLong(6, now);
            long id;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
            insertAddresses(ctx, tenantId, id, addresses);
            ConfigWrites.changed(ctx, store);
            return new Mailbox(id, tenantId, n, guid, primary, display(addresses), Instant.ofEpochMilli(now));
        });
    }

    /** @param identity the Name, the Guid or any of the mailbox's addresses */
    public Mailbox get(long tenantId, String identity) {
        return store.read(c -> load(c, tenantId, identity)).orElseThrow(() -> notFound(identity));
    }

    public List<Mailbox> list(long tenantId) {
        return store.read(c -> {
            List<Mailbox> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM mailboxes WHERE tenant_id = ? ORDER BY name_key")) {
                ps.setLong(1, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(row(c, rs));
                }
            }
            return out;
        });
    }

    /**
     * Changes the primary address and/or replaces the proxy addresses (null leaves them). As in Exchange, a
     * replaced primary address stays on the mailbox as a proxy unless emailAddresses is given.
     */
    public Mailbox set(long tenantId, String identity, String primarySmtpAddress, List<String> emailAddresses) {
        // read back by the mailbox's id: the identity may be an address this change just removed
        long id = store.writeAndWait(ctx -> {
            Mailbox m = find(ctx, tenantId, identity).orElseThrow(() -> notFound(identity));
            List<String> proxies = emailAddresses;
            if (proxies == null) proxies = currentAddresses(ctx, tenantId, m.id());
            String primary = primarySmtpAddress != null ? primarySmtpAddress
                    : emailAddresses != null && emailAddresses.stream().anyMatch(a -> a.startsWith("SMTP:")) ? null
                    : m.PrimarySmtpAddress();
            Map<String, String> addresses = addresses(primary, proxies, m.PrimarySmtpAddress());
            checkAddresses(ctx, tenantId, m.id(), addresses);
            PreparedStatement del = ctx.prepare("DELETE FROM mailbox_addresses WHERE tenant_id = ? AND mailbox_id = ?");
            del.setLong(1, tenantId);
            del.setLong(2, m.id());
            del.executeUpdate();
            insertAddresses(ctx, tenantId, m.id(), addresses);
            PreparedStatement ps = ctx.prepare("UPDATE mailboxes SET primary_address = ? WHERE tenant_id = ? AND id = ?");
            ps.setString(1, addresses.values().iterator().next());
            ps.setLong(2, tenantId);
            ps.setLong(3, m.id());
            ps.executeUpdate();
            ConfigWrites.changed(ctx, store);
            return m.id();
        });
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM mailboxes WHERE tenant_id = ? AND id = ?")) {
                ps.setLong(1, tenantId);
                ps.setLong(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(c, rs)) : Optional.<Mailbox>empty();
                }
            }
        }).orElseThrow(() -> notFound(identity));
    }

    public void remove(long tenantId, String identity) {
        store.writeAndWait(ctx -> {
            Mailbox m = find(ctx, tenantId, identity).orElseThrow(() -> notFound(identity));
            for (String sql : List.of("DELETE FROM mailbox_addresses WHERE tenant_id = ? AND mailbox_id = ?",
                    "DELETE FROM mailboxes WHERE tenant_id = ? AND id = ?")) {
                PreparedStatement ps = ctx.prepare(sql);
                ps.setLong(1, tenantId);
                ps.setLong(2, m.id());
                ps.executeUpdate();
            }
            ConfigWrites.changed(ctx, store);
            return null;
        });
    }

    /** Ordered key → display address; the first entry is the primary. Duplicates (any case) collapse. */
    private static Map<String, String> addresses(String primary, List<String> emailAddresses, String formerPrimary) {
        String p = primary;
        if (p == null && emailAddresses != null) {
            p = emailAddresses.stream().filter(a -> a != null && a.startsWith("SMTP:")).findFirst().orElse(null);
        }
        if (p == null) throw new ValidationException("PrimarySmtpAddress '' is not valid: a value is required");
        Map<String, String> out = new LinkedHashMap<>();
        String pa = Names.address("PrimarySmtpAddress", p);
        out.put(Names.key(pa), pa);
        if (emailAddresses != null) {
            for (String a : emailAddresses) {
                String addr = Names.address("EmailAddresses", a);
                out.putIfAbsent(Names.key(addr), addr);
            }
        } else if (formerPrimary != null) {
            out.putIfAbsent(Names.key(formerPrimary), formerPrimary);
        }
        return out;
    }

    private static void checkAddresses(WriteContext ctx, long tenantId, long mailboxId, Map<String, String> addresses) throws SQLException {
        List<String[]> domains = new ArrayList<>();
        PreparedStatement ds = ctx.prepare("SELECT domain_name, match_subdomains FROM accepted_domains WHERE tenant_id = ?");
        ds.setLong(1, tenantId);
        try (ResultSet rs = ds.executeQuery()) {
            while (rs.next()) domains.add(new String[] {rs.getString(1), rs.getBoolean(2) ? "y" : "n"});
        }
        for (Map.Entry<String, String> e : addresses.entrySet()) {
            String domain = Names.domainOf(e.getKey());
            boolean accepted = domains.stream().anyMatch(d -> d[0].equals(domain) || ("y".equals(d[1]) && domain.endsWith("." + d[0])));
            if (!accepted) {
                throw new ValidationException("The domain '" + domain + "' of the email address '" + e.getValue()
                        + "' isn't an accepted domain for your organization");
            }
            // Uniqueness is global: this lookup is deliberately not tenant-scoped, and reveals only "in use".
            PreparedStatement ps = ctx.prepare("SELECT mailbox_id FROM mailbox_addresses WHERE address_key = ?");
            ps.setString(1, e.getKey());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getLong(1) != mailboxId) {
                    throw new ValidationException("The proxy address 'SMTP:" + e.getValue() + "' is already being used by another recipient");
                }
            }
        }
    }

    private static void insertAddresses(WriteContext ctx, long tenantId, long mailboxId, Map<String, String> addresses) throws SQLException {
        boolean first = true;
        for (Map.Entry<String, String> e : addresses.entrySet()) {
            PreparedStatement ps = ctx.prepare("INSERT INTO mailbox_addresses (address_key, address, tenant_id, mailbox_id, is_primary) VALUES (?, ?, ?, ?, ?)");
            ps.setString(1, e.getKey());
            ps.setString(2, e.getValue());
            ps.setLong(3, tenantId);
            ps.setLong(4, mailboxId);
            ps.setBoolean(5, first);
            ps.executeUpdate();
            first = false;
        }
    }

    private static List<String> currentAddresses(WriteContext ctx, long tenantId, long mailboxId) throws SQLException {
        return addressRows(ctx.connection(), tenantId, mailboxId).stream().map(s -> s.substring(5)).toList();
    }

    private static Optional<Mailbox> find(WriteContext ctx, long tenantId, String identity) throws SQLException {
        return load(ctx.connection(), tenantId, identity);
    }

    private static Optional<Mailbox> load(Connection c, long tenantId, String identity) throws SQLException {
        String id = identity == null ? "" : identity.strip();
        String key = Names.addressKeyOrNull(id);
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM mailboxes WHERE tenant_id = ? AND (name_key = ? OR guid = ?"
                + " OR id IN (SELECT mailbox_id FROM mailbox_addresses WHERE tenant_id = ? AND address_key = ?))")) {
            ps.setLong(1, tenantId);
            ps.setString(2, Names.nameKey(id));
            ps.setString(3, id.toLowerCase(java.util.Locale.ROOT));
            ps.setLong(4, tenantId);
            ps.setString(5, key == null ? "" : key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(c, rs)) : Optional.empty();
            }
        }
    }

    private static Mailbox row(Connection c, ResultSet rs) throws SQLException {
        long id = rs.getLong(1);
        long tenantId = rs.getLong(2);
        return new Mailbox(id, tenantId, rs.getString(3), rs.getString(4), rs.getString(5),
                addressRows(c, tenantId, id), Instant.ofEpochMilli(rs.getLong(6)));
    }

    /** Exchange's form: the primary first as {@code SMTP:}, proxies as {@code smtp:}. */
    private static List<String> addressRows(Connection c, long tenantId, long mailboxId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT address, is_primary FROM mailbox_addresses"
                + " WHERE tenant_id = ? AND mailbox_id = ? ORDER BY is_primary DESC, address_key")) {
            ps.setLong(1, tenantId);
            ps.setLong(2, mailboxId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add((rs.getBoolean(2) ? "SMTP:" : "smtp:") + rs.getString(1));
            }
        }
        return out;
    }

    private static List<String> display(Map<String, String> addresses) {
        List<String> out = new ArrayList<>();
        boolean first = true;
        for (String a : addresses.values()) {
            out.add((first ? "SMTP:" : "smtp:") + a);
            first = false;
        }
        return out;
    }

    private static NotFoundException notFound(String identity) {
        return new NotFoundException("The mailbox '" + identity + "' couldn't be found");
    }
}
