// New-/Get-/Set-/Remove-InboundConnector: validation and tenant-scoped storage of inbound connectors.
package dev.gatehouse.connector;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import dev.gatehouse.directory.ConfigWrites;
import dev.gatehouse.directory.Names;
import dev.gatehouse.kernel.NotFoundException;
import dev.gatehouse.kernel.ValidationException;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.WriteContext;

/**
 * The one place where connector rules of spec §3.1 are enforced: IPv4 addresses or CIDR /24 to /32 only,
 * no embedded wildcards, {@code TreatMessagesAsInternal} only on OnPremises connectors without
 * {@code CloudServicesMailEnabled}, {@code AssociatedAcceptedDomains} must be the tenant's accepted domains,
 * {@code EFSkipIPs} public addresses only and {@code EFUsers} SMTP addresses ({@link EnhancedFilteringValues}).
 * Every statement carries the tenant id. Each change bumps {@code config_version} in its own transaction,
 * so the next SMTP transaction sees it (this node at once, other nodes within a second).
 */
public final class InboundConnectorService {
    private static final String COLUMNS = "id, tenant_id, guid, name, connector_type, sender_domains, sender_ip_addresses,"
            + " restrict_ips, tls_cert_name, restrict_cert, require_tls, enabled, treat_internal, cloud_services,"
            + " associated_domains, comment, cert_thumbprint, ef_skip_ips, ef_skip_last_ip, ef_users, created_at, changed_at";

    private final Store store;

    public InboundConnectorService(Store store) { this.store = store; }

    public InboundConnector create(long tenantId, ConnectorSettings s) {
        String name = Names.name("-Name", s.Name());
        if (s.SenderDomains() == null || s.SenderDomains().isEmpty()) {
            throw new ValidationException("-SenderDomains is required: give the sender domains this connector accepts mail for (* for all)");
        }
        Instant now = Instant.now();
        InboundConnector c = validated(new InboundConnector(0, tenantId, UUID.randomUUID().toString(), name,
                s.ConnectorType() == null ? ConnectorType.Partner : s.ConnectorType(), s.SenderDomains(),
                orEmpty(s.SenderIPAddresses()), isTrue(s.RestrictDomainsToIPAddresses()), blankToNull(s.TlsSenderCertificateName()),
                isTrue(s.RestrictDomainsToCertificate()), isTrue(s.RequireTls()), s.Enabled() == null || s.Enabled(),
                isTrue(s.TreatMessagesAsInternal()), isTrue(s.CloudServicesMailEnabled()), orEmpty(s.AssociatedAcceptedDomains()),
                blankToNull(s.Comment()), blankToNull(s.TlsSenderCertificateThumbprint()), orEmpty(s.EFSkipIPs()), isTrue(s.EFSkipLastIP()),
                orEmpty(s.EFUsers()), now, now));
        return store.writeAndWait(ctx -> {
            requireTenant(ctx, tenantId);
            if (find(ctx, tenantId, name).isPresent()) throw new ValidationException("An inbound connector with the name '" + name + "' already exists");
            checkAssociated(ctx, tenantId, c.AssociatedAcceptedDomains());
            PreparedStatement ps = ctx.prepare("INSERT INTO inbound_connectors (tenant_id, guid, name, name_key, connector_type,"
                    + " sender_domains, sender_ip_addresses, restrict_ips, tls_cert_name, restrict_cert, require_tls, enabled,"
                    + " treat_internal, cloud_services, associated_domains, comment, cert_thumbprint, ef_skip_ips, ef_skip_last_ip, ef_users,"
                    + " created_at, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
            ps.setLong(1, tenantId);
            ps.setString(2, c.Guid());
            ps.setString(3, c.Name());
            ps.setString(4, Names.nameKey(c.Name()));
            bindProperties(ps, 5, c);
            ps.setLong(21, now.toEpochMilli());
            ps.setLong(22, now.toEpochMilli());
            long id;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
            store.configChangedIn(ctx);
            return withId(c, id);
        });
    }

    /** @param identity the Name or the Guid */
    public InboundConnector get(long tenantId, String identity) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM inbound_connectors WHERE tenant_id = ? AND (name_key = ? OR guid = ?)")) {
                bindIdentity(ps, tenantId, identity);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.<InboundConnector>empty();
                }
            }
        }).orElseThrow(() -> notFound(identity));
    }

    public List<InboundConnector> list(long tenantId) {
        return store.read(c -> {
            List<InboundConnector> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM inbound_connectors WHERE tenant_id = ? ORDER BY name_key")) {
                ps.setLong(1, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(row(rs));
                }
            }
            return out;
        });
    }

    /** Applies the given properties (null = unchanged; "" for a string or an empty list = clear) and re-validates. */
    public InboundConnector set(long tenantId, String identity, ConnectorSettings s) {
        return store.writeAndWait(ctx -> {
            InboundConnector old = find(ctx, tenantId, identity).orElseThrow(() -> notFound(identity));
            String name = s.Name() == null ? old.Name() : Names.name("-Name", s.Name());
            if (!name.equalsIgnoreCase(old.Name()) && find(ctx, tenantId, name).isPresent()) {
                throw new ValidationException("An inbound connector with the name '" + name + "' already exists");
            }
            if (s.SenderDomains() != null && s.SenderDomains().isEmpty()) {
                throw new ValidationException("-SenderDomains can't be empty: give the sender domains this connector accepts mail for (* for all)");
            }
            Instant now = Instant.now();
            InboundConnector c = validated(new InboundConnector(old.id(), tenantId, old.Guid(), name,
                    or(s.ConnectorType(), old.ConnectorType()), or(s.SenderDomains(), old.SenderDomains()),
                    or(s.SenderIPAddresses(), old.SenderIPAddresses()), or(s.RestrictDomainsToIPAddresses(), old.RestrictDomainsToIPAddresses()),
                    s.TlsSenderCertificateName() == null ? old.TlsSenderCertificateName() : blankToNull(s.TlsSenderCertificateName()),
                    or(s.RestrictDomainsToCertificate(), old.RestrictDomainsToCertificate()), or(s.RequireTls(), old.RequireTls()),
                    or(s.Enabled(), old.Enabled()), or(s.TreatMessagesAsInternal(), old.TreatMessagesAsInternal()),
                    or(s.CloudServicesMailEnabled(), old.CloudServicesMailEnabled()),
                    or(s.AssociatedAcceptedDomains(), old.AssociatedAcceptedDomains()),
                    s.Comment() == null ? old.Comment() : blankToNull(s.Comment()),
                    s.TlsSenderCertificateThumbprint() == null ? old.TlsSenderCertificateThumbprint() : blankToNull(s.TlsSenderCertificateThumbprint()),
                    or(s.EFSkipIPs(), old.EFSkipIPs()), or(s.EFSkipLastIP(), old.EFSkipLastIP()), or(s.EFUsers(), old.EFUsers()),
                    old.WhenCreated(), now));
            checkAssociated(ctx, tenantId, c.AssociatedAcceptedDomains());
            PreparedStatement ps = ctx.prepare("UPDATE inbound_connectors SET name = ?, name_key = ?, connector_type = ?, sender_domains = ?,"
                    + " sender_ip_addresses = ?, restrict_ips = ?, tls_cert_name = ?, restrict_cert = ?, require_tls = ?, enabled = ?,"
                    + " treat_internal = ?, cloud_services = ?, associated_domains = ?, comment = ?, cert_thumbprint = ?, ef_skip_ips = ?,"
                    + " ef_skip_last_ip = ?, ef_users = ?, changed_at = ? WHERE tenant_id = ? AND id = ?");
            ps.setString(1, c.Name());
            ps.setString(2, Names.nameKey(c.Name()));
            bindProperties(ps, 3, c);
            ps.setLong(19, now.toEpochMilli());
            ps.setLong(20, tenantId);
            ps.setLong(21, old.id());
            ps.executeUpdate();
            store.configChangedIn(ctx);
            return c;
        });
    }

    public void remove(long tenantId, String identity) {
        store.writeAndWait(ctx -> {
            InboundConnector c = find(ctx, tenantId, identity).orElseThrow(() -> notFound(identity));
            PreparedStatement ps = ctx.prepare("DELETE FROM inbound_connectors WHERE tenant_id = ? AND id = ?");
            ps.setLong(1, tenantId);
            ps.setLong(2, c.id());
            ps.executeUpdate();
            store.configChangedIn(ctx);
            return null;
        });
    }

    /** Every connector of every tenant (for the attribution snapshot; the one unscoped read). */
    public static List<InboundConnector> loadAll(java.sql.Connection c) throws SQLException {
        List<InboundConnector> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM inbound_connectors ORDER BY tenant_id, name_key");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(row(rs));
        }
        return out;
    }

    /** Normalises and checks one connector as a whole (the cross-property rules of spec §3.1). */
    static InboundConnector validated(InboundConnector c) {
        List<String> domains = distinct(c.SenderDomains().stream().map(d -> DomainPattern.normalise("-SenderDomains", d, true)).toList());
        List<String> ips = distinct(c.SenderIPAddresses().stream().map(ip -> Ipv4Block.parse(ip).toString()).toList());
        String certName = c.TlsSenderCertificateName() == null ? null
                : DomainPattern.normalise("-TlsSenderCertificateName", c.TlsSenderCertificateName(), false);
        String thumb = c.TlsSenderCertificateThumbprint() == null ? null : thumbprint(c.TlsSenderCertificateThumbprint());
        List<String> associated = distinct(c.AssociatedAcceptedDomains().stream().map(d -> {
            String n = Names.domainOrNull(d);
            if (n == null) throw new ValidationException("-AssociatedAcceptedDomains '" + d + "' is not a valid domain name");
            return n;
        }).toList());
        if (c.TreatMessagesAsInternal() && c.ConnectorType() != ConnectorType.OnPremises) {
            throw new ValidationException("-TreatMessagesAsInternal $true is allowed only on an OnPremises connector (this one is " + c.ConnectorType() + ")");
        }
        if (c.TreatMessagesAsInternal() && c.CloudServicesMailEnabled()) {
            throw new ValidationException("-TreatMessagesAsInternal $true can't be combined with -CloudServicesMailEnabled $true");
        }
        if (c.RestrictDomainsToIPAddresses() && ips.isEmpty()) {
            throw new ValidationException("-RestrictDomainsToIPAddresses $true needs -SenderIPAddresses");
        }
        if (c.RestrictDomainsToCertificate() && certName == null && thumb == null) {
            throw new ValidationException("-RestrictDomainsToCertificate $true needs -TlsSenderCertificateName (or -TlsSenderCertificateThumbprint)");
        }
        if ((c.RestrictDomainsToIPAddresses() || c.RestrictDomainsToCertificate()) && c.ConnectorType() != ConnectorType.Partner) {
            throw new ValidationException("-RestrictDomainsToIPAddresses and -RestrictDomainsToCertificate apply only to Partner connectors");
        }
        if (c.Comment() != null && c.Comment().length() > 1024) throw new ValidationException("-Comment is too long: at most 1024 characters");
        return new InboundConnector(c.id(), c.tenantId(), c.Guid(), c.Name(), c.ConnectorType(), domains, ips,
                c.RestrictDomainsToIPAddresses(), certName, c.RestrictDomainsToCertificate(), c.RequireTls(), c.Enabled(),
                c.TreatMessagesAsInternal(), c.CloudServicesMailEnabled(), associated, c.Comment(), thumb,
                EnhancedFilteringValues.skipIps(c.EFSkipIPs()), c.EFSkipLastIP(), EnhancedFilteringValues.users(c.EFUsers()),
                c.WhenCreated(), c.WhenChanged());
    }

    /** 64 hex digits (colons and spaces ignored), lower case. */
    static String thumbprint(String value) {
        String t = value.replace(":", "").replace(" ", "").strip().toLowerCase(Locale.ROOT);
        if (!t.matches("[0-9a-f]{64}")) {
            throw new ValidationException("-TlsSenderCertificateThumbprint '" + value + "' is not a SHA-256 fingerprint (64 hexadecimal digits)");
        }
        return t;
    }

    private static void checkAssociated(WriteContext ctx, long tenantId, List<String> domains) throws SQLException {
        for (String d : domains) {
            if (!ConfigWrites.hasAcceptedDomain(ctx, tenantId, d)) {
                throw new ValidationException("-AssociatedAcceptedDomains '" + d + "' is not an accepted domain of this organization");
            }
        }
    }

    private static void bindProperties(PreparedStatement ps, int i, InboundConnector c) throws SQLException {
        ps.setString(i, c.ConnectorType().name());
        ps.setString(i + 1, String.join(",", c.SenderDomains()));
        ps.setString(i + 2, String.join(",", c.SenderIPAddresses()));
        ps.setBoolean(i + 3, c.RestrictDomainsToIPAddresses());
        ps.setString(i + 4, c.TlsSenderCertificateName());
        ps.setBoolean(i + 5, c.RestrictDomainsToCertificate());
        ps.setBoolean(i + 6, c.RequireTls());
        ps.setBoolean(i + 7, c.Enabled());
        ps.setBoolean(i + 8, c.TreatMessagesAsInternal());
        ps.setBoolean(i + 9, c.CloudServicesMailEnabled());
        ps.setString(i + 10, String.join(",", c.AssociatedAcceptedDomains()));
        ps.setString(i + 11, c.Comment());
        ps.setString(i + 12, c.TlsSenderCertificateThumbprint());
        ps.setString(i + 13, String.join(",", c.EFSkipIPs()));
        ps.setBoolean(i + 14, c.EFSkipLastIP());
        ps.setString(i + 15, String.join(",", c.EFUsers()));
    }

    private static InboundConnector row(ResultSet rs) throws SQLException {
        return new InboundConnector(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), ConnectorType.valueOf(rs.getString(5)),
                split(rs.getString(6)), split(rs.getString(7)), rs.getBoolean(8), rs.getString(9), rs.getBoolean(10), rs.getBoolean(11),
                rs.getBoolean(12), rs.getBoolean(13), rs.getBoolean(14), split(rs.getString(15)), rs.getString(16), rs.getString(17),
                split(rs.getString(18)), rs.getBoolean(19), split(rs.getString(20)), Instant.ofEpochMilli(rs.getLong(21)),
                Instant.ofEpochMilli(rs.getLong(22)));
    }

    private static Optional<InboundConnector> find(WriteContext ctx, long tenantId, String identity) throws SQLException {
        PreparedStatement ps = ctx.prepare("SELECT " + COLUMNS + " FROM inbound_connectors WHERE tenant_id = ? AND (name_key = ? OR guid = ?)");
        bindIdentity(ps, tenantId, identity);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(row(rs)) : Optional.empty();
        }
    }

    private static void bindIdentity(PreparedStatement ps, long tenantId, String identity) throws SQLException {
        String id = identity == null ? "" : identity.strip();
        ps.setLong(1, tenantId);
        ps.setString(2, Names.nameKey(id));
        ps.setString(3, id.toLowerCase(Locale.ROOT));
    }

    private static void requireTenant(WriteContext ctx, long tenantId) throws SQLException {
        ConfigWrites.requireTenant(ctx, tenantId);
    }


    private static NotFoundException notFound(String identity) {
        return new NotFoundException("The operation couldn't be performed because object '" + identity + "' couldn't be found");
    }

    private static InboundConnector withId(InboundConnector c, long id) {
        return new InboundConnector(id, c.tenantId(), c.Guid(), c.Name(), c.ConnectorType(), c.SenderDomains(), c.SenderIPAddresses(),
                c.RestrictDomainsToIPAddresses(), c.TlsSenderCertificateName(), c.RestrictDomainsToCertificate(), c.RequireTls(),
                c.Enabled(), c.TreatMessagesAsInternal(), c.CloudServicesMailEnabled(), c.AssociatedAcceptedDomains(), c.Comment(),
                c.TlsSenderCertificateThumbprint(), c.EFSkipIPs(), c.EFSkipLastIP(), c.EFUsers(), c.WhenCreated(), c.WhenChanged());
    }

    private static List<String> split(String s) {
        return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split(","));
    }

    private static List<String> distinct(List<String> values) { return List.copyOf(new LinkedHashSet<>(values)); }

    private static List<String> orEmpty(List<String> l) { return l == null ? List.of() : l; }

    private static boolean isTrue(Boolean b) { return Boolean.TRUE.equals(b); }

    private static <T> T or(T value, T fallback) { return value == null ? fallback : value; }

    private static String blankToNull(String s) { return s == null || s.isBlank() ? null : s.strip(); }

}
