// Accepted domains of a tenant (New/Get/Set/Remove-AcceptedDomain), with Exchange's rules.
package dev.gatehouse.directory;

import dev.gatehouse.kernel.NotFoundException;
import dev.gatehouse.kernel.ValidationException;

import dev.gatehouse.store.Store;
import dev.gatehouse.store.WriteContext;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Accepted domains. A domain name is stored lower case in A-labels and belongs to at most one tenant;
 * {@code MatchSubDomains} is allowed only on {@link DomainType#InternalRelay}, as in Exchange. Every query is
 * filtered by tenant id, except the cross-tenant uniqueness check, which reveals nothing but "taken".
 */
public final class AcceptedDomainService {
    private static final String COLUMNS = "id, tenant_id, name, domain_name, domain_type, match_subdomains, created_at";
    private final Store store;

    public AcceptedDomainService(Store store) { this.store = store; }

    public AcceptedDomain create(long tenantId, String domainName, DomainType type, boolean matchSubDomains) {
        return create(tenantId, null, domainName, type, matchSubDomains);
    }

    /** @param name the Name (identity); null means the domain name */
    public AcceptedDomain create(long tenantId, String name, String domainName, DomainType type, boolean matchSubDomains) {
        return create(tenantId, name, domainName, type, matchSubDomains, false);
    }

    /**
     * @param allowOverlap also when the domain is a subdomain or a parent of another organization's accepted
     *                     domain (the operator's override for hosting set-ups; without it such a domain is refused,
     *                     so one tenant can't take mail for another's subdomains)
     */
    public AcceptedDomain create(long tenantId, String name, String domainName, DomainType type, boolean matchSubDomains,
                                 boolean allowOverlap) {
        String domain = Names.domain("DomainName", domainName);
        String n = name == null ? domain : Names.name("Name", name);
        DomainType t = type == null ? DomainType.Authoritative : type;
        checkMatchSubDomains(domain, t, matchSubDomains);
        return store.writeAndWait(ctx -> {
            ConfigWrites.requireTenant(ctx, tenantId);
            PreparedStatement check = ctx.prepare("SELECT tenant_id FROM accepted_domains WHERE domain_name = ?");
            check.setString(1, domain);
            try (ResultSet rs = check.executeQuery()) {
                if (rs.next()) {
                    throw new ValidationException(rs.getLong(1) == tenantId
                            ? "An accepted domain with the domain name '" + domain + "' already exists"
                            : "The domain '" + domain + "' is already an accepted domain of another organization");
                }
            }
            if (!allowOverlap) refuseOverlap(ctx, tenantId, domain);
            if (find(ctx, tenantId, n).isPresent()) {
                throw new ValidationException("An accepted domain with the name '" + n + "' already exists");
            }
            long now = System.currentTimeMillis();
            PreparedStatement ps = ctx.prepare("INSERT INTO accepted_domains (tenant_id, name, name_key, domain_name, domain_type,"
                    + " match_subdomains, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
            ps.setLong(1, tenantId);
            ps.setString(2, n);
            ps.setString(3, Names.nameKey(n));
            ps.setString(4, domain);
            ps.setString(5, t.name());
            ps.setBoolean(6, matchSubDomains);
            ps.setLong(7, now);
            long id;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
            ConfigWrites.changed(ctx, store);
            return new AcceptedDomain(id, tenantId, n, domain, t, matchSubDomains, Instant.ofEpochMilli(now));
        });
    }

    /**
     * Refuses a domain that is a subdomain of, or a parent of, another organization's accepted domain, naming that
     * domain (not its organization). Parents are found by exact name, children by suffix; domain names are in
     * A-label form, so they hold no LIKE wildcards.
     */
    private static void refuseOverlap(WriteContext ctx, long tenantId, String domain) throws SQLException {
        List<String> parents = new ArrayList<>();
        for (int dot = domain.indexOf('.'); dot >= 0; dot = domain.indexOf('.', dot + 1)) parents.add(domain.substring(dot + 1));
        StringBuilder sql = new StringBuilder("SELECT domain_name FROM accepted_domains WHERE tenant_id <> ? AND (domain_name LIKE ?");
        for (int i = 0; i < parents.size(); i++) sql.append(" OR domain_name = ?");
        PreparedStatement ps = ctx.prepare(sql.append(") ORDER BY domain_name").toString());
        ps.setLong(1, tenantId);
        ps.setString(2, "%." + domain);
        for (int i = 0; i < parents.size(); i++) ps.setString(3 + i, parents.get(i));
        try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                String other = rs.getString(1);
                String relation = other.endsWith("." + domain) ? "a parent of" : "a subdomain of";
                throw new ValidationException("-DomainName '" + domain + "': the domain is " + relation + " '" + other
                        + "', an accepted domain of another organization; only the operator can add it, with -AllowOverlapWithOtherOrganization");
            }
        }
    }

    /** @param identity the Name or the DomainName */
    public AcceptedDomain get(long tenantId, String identity) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM accepted_domains"
                    + " WHERE tenant_id = ? AND (name_key = ? OR domain_name = ?)")) {
                bindIdentity(ps, tenantId, identity);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.<AcceptedDomain>empty();
                }
            }
        }).orElseThrow(() -> notFound(identity));
    }

    public List<AcceptedDomain> list(long tenantId) {
        return store.read(c -> {
            List<AcceptedDomain> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM accepted_domains WHERE tenant_id = ? ORDER BY domain_name")) {
                ps.setLong(1, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(row(rs));
                }
            }
            return out;
        });
    }

    /** Changes DomainType and/or MatchSubDomains; a null argument leaves the property as it is. */
    public AcceptedDomain set(long tenantId, String identity, DomainType type, Boolean matchSubDomains) {
        return store.writeAndWait(ctx -> {
            AcceptedDomain d = find(ctx, tenantId, identity).orElseThrow(() -> notFound(identity));
            DomainType t = type == null ? d.DomainType() : type;
            boolean m = matchSubDomains == null ? (d.MatchSubDomains() && t == DomainType.InternalRelay) : matchSubDomains;
            checkMatchSubDomains(d.DomainName(), t, m);
            PreparedStatement ps = ctx.prepare("UPDATE accepted_domains SET domain_type = ?, match_subdomains = ? WHERE tenant_id = ? AND id = ?");
            ps.setString(1, t.name());
            ps.setBoolean(2, m);
            ps.setLong(3, tenantId);
            ps.setLong(4, d.id());
            ps.executeUpdate();
            ConfigWrites.changed(ctx, store);
            return new AcceptedDomain(d.id(), tenantId, d.Name(), d.DomainName(), t, m, d.WhenCreated());
        });
    }

    /** Refused while a mailbox address still uses the domain, as Exchange refuses. */
    public void remove(long tenantId, String identity) {
        store.writeAndWait(ctx -> {
            AcceptedDomain d = find(ctx, tenantId, identity).orElseThrow(() -> notFound(identity));
            PreparedStatement use = ctx.prepare("SELECT address_key FROM mailbox_addresses WHERE tenant_id = ?");
            use.setLong(1, tenantId);
            int used = 0;
            try (ResultSet rs = use.executeQuery()) {
                while (rs.next()) {
                    String domain = Names.domainOf(rs.getString(1));
                    if (domain.equals(d.DomainName()) || (d.MatchSubDomains() && domain.endsWith("." + d.DomainName()))) used++;
                }
            }
            if (used > 0) {
                throw new ValidationException("The accepted domain '" + d.DomainName() + "' can't be removed because "
                        + used + " email address(es) of recipients use it");
            }
            PreparedStatement ps = ctx.prepare("DELETE FROM accepted_domains WHERE tenant_id = ? AND id = ?");
            ps.setLong(1, tenantId);
            ps.setLong(2, d.id());
            ps.executeUpdate();
            ConfigWrites.changed(ctx, store);
            return null;
        });
    }

    private static void checkMatchSubDomains(String domain, DomainType type, boolean matchSubDomains) {
        if (matchSubDomains && type != DomainType.InternalRelay) {
            throw new ValidationException("MatchSubDomains can be set only on an InternalRelay domain; the domain '"
                    + domain + "' is " + type);
        }
    }

    private static Optional<AcceptedDomain> find(WriteContext ctx, long tenantId, String identity) throws SQLException {
        PreparedStatement ps = ctx.prepare("SELECT " + COLUMNS + " FROM accepted_domains WHERE tenant_id = ? AND (name_key = ? OR domain_name = ?)");
        bindIdentity(ps, tenantId, identity);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(row(rs)) : Optional.empty();
        }
    }

    private static void bindIdentity(PreparedStatement ps, long tenantId, String identity) throws SQLException {
        String id = identity == null ? "" : identity.strip();
        String domain = Names.domainOrNull(id);
        ps.setLong(1, tenantId);
        ps.setString(2, Names.nameKey(id));
        ps.setString(3, domain == null ? id : domain);
    }

    private static NotFoundException notFound(String identity) {
        return new NotFoundException("The accepted domain '" + identity + "' couldn't be found");
    }

    private static AcceptedDomain row(ResultSet rs) throws SQLException {
        return new AcceptedDomain(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                DomainType.valueOf(rs.getString(5)), rs.getBoolean(6), Instant.ofEpochMilli(rs.getLong(7)));
    }
}
