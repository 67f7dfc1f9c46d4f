// Shared steps of every directory write: tenant existence check and the config_version bump.
package dev.gatehouse.directory;

import dev.gatehouse.store.Store;
import dev.gatehouse.store.WriteContext;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Package helpers so every service bumps {@code config_version} in the same transaction as its change. */
final class ConfigWrites {
    private ConfigWrites() {}

    /** Bumps the shared counter (seen by other nodes) and, after commit, this process's epoch. */
    static void changed(WriteContext ctx, Store store) throws SQLException {
        store.configChangedIn(ctx);
    }

    static String requireTenant(WriteContext ctx, long tenantId) throws SQLException {
        PreparedStatement ps = ctx.prepare("SELECT name FROM tenants WHERE id = ?");
        ps.setLong(1, tenantId);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw new NotFoundException("The organization with id " + tenantId + " couldn't be found");
            return rs.getString(1);
        }
    }
}
