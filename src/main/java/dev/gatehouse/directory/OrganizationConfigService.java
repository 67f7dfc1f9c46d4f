// Per-tenant organization settings (Get/Set-OrganizationConfig) as a key/value store.
package dev.gatehouse.directory;

import dev.gatehouse.kernel.NotFoundException;
import dev.gatehouse.kernel.ValidationException;

import dev.gatehouse.store.Store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;

/** Later features add keys (RejectDirectSend, ...); a missing key means the feature's default. */
public final class OrganizationConfigService {
    private final Store store;

    public OrganizationConfigService(Store store) { this.store = store; }

    public OrganizationConfig get(long tenantId) {
        return store.read(c -> {
            try (PreparedStatement t = c.prepareStatement("SELECT id FROM tenants WHERE id = ?")) {
                t.setLong(1, tenantId);
                try (ResultSet rs = t.executeQuery()) {
                    if (!rs.next()) throw new NotFoundException("The organization with id " + tenantId + " couldn't be found");
                }
            }
            Map<String, String> values = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT config_key, config_value FROM org_config WHERE tenant_id = ?")) {
                ps.setLong(1, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) values.put(rs.getString(1), rs.getString(2));
                }
            }
            return new OrganizationConfig(tenantId, values);
        });
    }

    /** Sets (upserts) one key; a null value removes it. Keys are stored as given, matched case-insensitively. */
    public OrganizationConfig set(long tenantId, String key, String value) {
        if (key == null || key.isBlank() || key.length() > 128) {
            throw new ValidationException("Key '" + key + "' is not a valid organization setting name");
        }
        String k = key.strip();
        store.writeAndWait(ctx -> {
            ConfigWrites.requireTenant(ctx, tenantId);
            // Keys compare case-insensitively: drop any other spelling before the upsert.
            PreparedStatement del = ctx.prepare("DELETE FROM org_config WHERE tenant_id = ? AND LOWER(config_key) = ? AND config_key <> ?");
            del.setLong(1, tenantId);
            del.setString(2, k.toLowerCase(java.util.Locale.ROOT));
            del.setString(3, value == null ? "" : k);
            del.executeUpdate();
            if (value != null) {
                PreparedStatement ps = ctx.prepare("INSERT INTO org_config (tenant_id, config_key, config_value) VALUES (?, ?, ?)"
                        + " ON CONFLICT (tenant_id, config_key) DO UPDATE SET config_value = excluded.config_value");
                ps.setLong(1, tenantId);
                ps.setString(2, k);
                ps.setString(3, value);
                ps.executeUpdate();
            }
            ConfigWrites.changed(ctx, store);
            return null;
        });
        return get(tenantId);
    }
}
