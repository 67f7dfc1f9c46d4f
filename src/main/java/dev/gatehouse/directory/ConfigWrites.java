// Shared steps of every directory write: tenant existence check and the config_version bump.
package dev.gatehouse.directory;

import dev.gatehouse.kernel.NotFoundException;

import dev.gatehouse.store.Store;
import dev.gatehouse.store.WriteContext;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Steps of every configuration write, for the directory's services and for the other owners of
 * configuration (connectors, rules), which check a tenant or a domain inside their own transaction without
 * naming the directory's tables: every service bumps {@code config_version} in the same transaction as its
 * change.
 */
public final class ConfigWrites {
    private ConfigWrites() {}

    /** Bumps the shared counter (seen by other nodes) and, after commit, this process's epoch. */
    static void changed(WriteContext ctx, Store store) throws SQLException {
        store.configChangedIn(ctx);
    }

    /** The tenant's name; {@link NotFoundException} when it doesn't exist. */
    public static String requireTenant(WriteContext ctx, long tenantId) throws SQLException {
        PreparedStatement ps = ctx.prepare("SELECT name FROM tenants WHERE id = ?");
        ps.setLong(1, tenantId);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw new NotFoundException("The organization with id " + tenantId + " couldn't be found");
            return rs.getString(1);
        }
    }

    /** True when {@code domainName} (exactly, in canonical form) is an accepted domain of the tenant. */
    public static boolean hasAcceptedDomain(WriteContext ctx, long tenantId, String domainName) throws SQLException {
        PreparedStatement ps = ctx.prepare("SELECT 1 FROM accepted_domains WHERE tenant_id = ? AND domain_name = ?");
        ps.setLong(1, tenantId);
        ps.setString(2, domainName);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }
}
