package dev.gatehouse.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.gatehouse.directory.Names;
import dev.gatehouse.kernel.NotFoundException;
import dev.gatehouse.directory.Tenant;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.store.Store;

/**
 * Admin API bearer tokens. A token is 256 random bits, shown once; the store keeps only its SHA-256, so a
 * leaked database does not leak usable tokens. Tokens are revoked, never deleted, so the audit trail
 * keeps their names. The operator token is the one written to {@code operator.token} at first start.
 */
public final class AdminTokenService {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Store store;
    private final TenantService tenants;

    public AdminTokenService(Store store) {
        this.store = store;
        this.tenants = new TenantService(store);
    }

    /** A new random token text: {@code ghop_…} for the operator, {@code ghta_…} for a tenant admin. */
    public static String newTokenText(boolean operator) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return (operator ? "ghop_" : "ghta_") + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Registers the operator token from the token file, once (idempotent). */
    public void registerOperatorToken(String token) {
        String h = hash(token);
        store.writeAndWait(ctx -> {
            PreparedStatement q = ctx.prepare("SELECT id FROM admin_tokens WHERE token_hash = ?");
            q.setString(1, h);
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) return null;
            }
            insert(ctx.prepare(INSERT), null, "operator", h);
            return null;
        });
    }

    private static final String INSERT = "INSERT INTO admin_tokens (tenant_id, name, name_key, guid, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)";

    private static String insert(PreparedStatement ps, Long tenantId, String name, String hash) throws java.sql.SQLException {
        String guid = UUID.randomUUID().toString();
        if (tenantId == null) ps.setNull(1, java.sql.Types.BIGINT); else ps.setLong(1, tenantId);
        ps.setString(2, name);
        ps.setString(3, Names.nameKey(name));
        ps.setString(4, guid);
        ps.setString(5, hash);
        ps.setLong(6, System.currentTimeMillis());
        ps.executeUpdate();
        return guid;
    }

    /** Creates a token; tenantId null makes an operator token. The returned object carries the token text. */
    public AdminToken create(Long tenantId, String name) {
        String n = Names.name("Name", name);
        Tenant t = tenantId == null ? null : tenants.get(tenantId);
        String token = newTokenText(tenantId == null);
        String guid = store.writeAndWait(ctx -> insert(ctx.prepare(INSERT), tenantId, n, hash(token)));
        return new AdminToken(guid, n, t == null ? "" : t.Name(), t == null ? "Operator" : "TenantAdmin",
                Instant.now(), false, token);
    }

    /** Tokens visible to a principal: all for the operator, its own tenant's for a tenant admin. */
    public List<AdminToken> list(Principal who) {
        java.util.Map<Long, String> names = new java.util.HashMap<>();
        for (Tenant t : tenants.list()) names.put(t.id(), t.Name()); // the directory owns tenant names
        return store.read(c -> {
            String sql = "SELECT a.guid, a.name, a.tenant_id, a.created_at, a.revoked_at FROM admin_tokens a"
                    + (who instanceof Principal.TenantAdmin ? " WHERE a.tenant_id = ?" : "") + " ORDER BY a.created_at, a.id";
            List<AdminToken> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (who instanceof Principal.TenantAdmin ta) ps.setLong(1, ta.tenantId());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long tenant = rs.getLong(3);
                        boolean op = rs.wasNull();
                        long revoked = rs.getLong(5);
                        out.add(new AdminToken(rs.getString(1), rs.getString(2), op ? "" : names.getOrDefault(tenant, ""),
                                op ? "Operator" : "TenantAdmin", Instant.ofEpochMilli(rs.getLong(4)), !rs.wasNull() && revoked > 0, null));
                    }
                }
            }
            return out;
        });
    }

    /** Revokes by guid or name, within what the principal may see; NotFound otherwise. */
    public AdminToken revoke(Principal who, String identity) {
        AdminToken match = list(who).stream()
                .filter(t -> t.Identity().equalsIgnoreCase(identity) || t.Name().equalsIgnoreCase(identity))
                .findFirst().orElseThrow(() -> new NotFoundException("The admin token '" + identity + "' couldn't be found"));
        store.writeAndWait(ctx -> {
            PreparedStatement ps = ctx.prepare("UPDATE admin_tokens SET revoked_at = ? WHERE guid = ?");
            ps.setLong(1, System.currentTimeMillis());
            ps.setString(2, match.Identity());
            ps.executeUpdate();
            return null;
        });
        return new AdminToken(match.Identity(), match.Name(), match.Organization(), match.Scope(), match.WhenCreated(), true, null);
    }

    /** The principal a bearer token stands for, if it is known and not revoked. */
    public Optional<Principal> authenticate(String token) {
        if (token == null || token.isBlank() || token.length() > 200) return Optional.empty();
        String h = hash(token.strip());
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT name, tenant_id, revoked_at FROM admin_tokens WHERE token_hash = ?")) {
                ps.setString(1, h);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.<Principal>empty();
                    String name = rs.getString(1);
                    long tid = rs.getLong(2);
                    boolean operator = rs.wasNull();
                    rs.getLong(3);
                    if (!rs.wasNull()) return Optional.<Principal>empty();
                    return Optional.of(operator ? new Principal.Operator(name) : new Principal.TenantAdmin(name, tid));
                }
            }
        });
    }
}
