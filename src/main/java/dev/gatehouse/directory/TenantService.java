// Tenants (organizations): create, get, list, rename, remove (with their domains, mailboxes and config).
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
import java.util.List;
import java.util.UUID;

/**
 * Tenant administration. Creating and listing tenants is a service-provider operation, so those methods
 * take no tenant id; everything else is addressed by the tenant's id.
 */
public final class TenantService {
    private static final String COLUMNS = "id, name, guid, created_at";
    private final Store store;

    public TenantService(Store store) { this.store = store; }

    public Tenant create(String name) {
        String n = Names.name("Name", name);
        return store.writeAndWait(ctx -> {
            requireFreeName(ctx, n, -1);
            Tenant t = new Tenant(0, n, UUID.randomUUID().toString(), Instant.ofEpochMilli(System.currentTimeMillis()));
            PreparedStatement ps = ctx.prepare("INSERT INTO tenants (name, name_key, guid, created_at) VALUES (?, ?, ?, ?) RETURNING id");
            ps.setString(1, n);
            ps.setString(2, Names.nameKey(n));
            ps.setString(3, t.Guid());
            ps.setLong(4, t.WhenCreated().toEpochMilli());
            long id;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
            ConfigWrites.changed(ctx, store);
            return new Tenant(id, t.Name(), t.Guid(), t.WhenCreated());
        });
    }

    public Tenant get(long tenantId) {
        return store.read(c -> one(c, "SELECT " + COLUMNS + " FROM tenants WHERE id = ?", ps -> ps.setLong(1, tenantId)))
                .orElseThrow(() -> new NotFoundException("The organization with id " + tenantId + " couldn't be found"));
    }

    /** By name (case-insensitive) or guid. */
    public Tenant get(String identity) {
        String key = identity == null ? "" : identity.strip();
        return store.read(c -> one(c, "SELECT " + COLUMNS + " FROM tenants WHERE name_key = ? OR guid = ?", ps -> {
                    ps.setString(1, Names.nameKey(key));
                    ps.setString(2, key.toLowerCase(java.util.Locale.ROOT));
                }))
                .orElseThrow(() -> new NotFoundException("The organization '" + identity + "' couldn't be found"));
    }

    public List<Tenant> list() {
        return store.read(c -> {
            List<Tenant> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM tenants ORDER BY name_key");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(row(rs));
            }
            return out;
        });
    }

    /** Renames the tenant (its guid never changes). */
    public Tenant set(long tenantId, String name) {
        String n = Names.name("Name", name);
        store.writeAndWait(ctx -> {
            ConfigWrites.requireTenant(ctx, tenantId);
            requireFreeName(ctx, n, tenantId);
            PreparedStatement ps = ctx.prepare("UPDATE tenants SET name = ?, name_key = ? WHERE id = ?");
            ps.setString(1, n);
            ps.setString(2, Names.nameKey(n));
            ps.setLong(3, tenantId);
            ps.executeUpdate();
            ConfigWrites.changed(ctx, store);
            return null;
        });
        return get(tenantId);
    }

    /** Removes the tenant with its accepted domains, mailboxes and organization config. Queued mail stays. */
    public void remove(long tenantId) {
        store.writeAndWait(ctx -> {
            ConfigWrites.requireTenant(ctx, tenantId);
            for (String table : List.of("mailbox_addresses", "mailboxes", "accepted_domains", "org_config")) {
                PreparedStatement ps = ctx.prepare("DELETE FROM " + table + " WHERE tenant_id = ?");
                ps.setLong(1, tenantId);
                ps.executeUpdate();
            }
            PreparedStatement ps = ctx.prepare("DELETE FROM tenants WHERE id = ?");
            ps.setLong(1, tenantId);
            ps.executeUpdate();
            ConfigWrites.changed(ctx, store);
            return null;
        });
    }

    private static void requireFreeName(WriteContext ctx, String name, long exceptId) throws SQLException {
        PreparedStatement ps = ctx.prepare("SELECT id FROM tenants WHERE name_key = ? AND id <> ?");
        ps.setString(1, Names.nameKey(name));
        ps.setLong(2, exceptId);
        try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) throw new ValidationException("The organization '" + name + "' already exists");
        }
    }

    interface Binder { void bind(PreparedStatement ps) throws SQLException; }

    private static java.util.Optional<Tenant> one(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.Optional.of(row(rs)) : java.util.Optional.empty();
            }
        }
    }

    private static Tenant row(ResultSet rs) throws SQLException {
        return new Tenant(rs.getLong(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)));
    }
}
