// Recipient resolution on the SMTP hot path: which tenant, which mailbox, or reject.
package dev.gatehouse.directory;

import dev.gatehouse.mail.DomainNames;
import dev.gatehouse.store.ConfigCache;
import dev.gatehouse.store.Store;

import java.time.Duration;

/**
 * Answers RCPT TO from an immutable in-memory {@link DirectorySnapshot} (two hash lookups per address, no
 * I/O). The snapshot is rebuilt when this process's services changed something ({@link Store#configEpoch},
 * checked on every call, so an admin change is visible to the next RCPT) and when the shared
 * {@code config_version} row moved, re-read at most once per {@code recheckInterval}, which is how a second
 * node on the same PostgreSQL sees changes within a second. Readers never wait for a periodic refresh: while
 * one thread rebuilds, the others keep using the previous snapshot.
 *
 * <p>This is the one read that is not tenant-scoped: it is how a tenant is found in the first place.
 */
public final class Directory {

    private final ConfigCache<DirectorySnapshot> cache;

    public Directory(Store store) { this(store, Duration.ofSeconds(1)); }

    public Directory(Store store, Duration recheckInterval) {
        this.cache = new ConfigCache<>(store, "directory", recheckInterval, DirectorySnapshot::load);
    }

    public RecipientResolution resolveRecipient(String address) {
        DirectorySnapshot s = current();
        String key = Names.addressKeyOrNull(address);
        if (key == null) return new RecipientResolution.NoTenant();
        DirectorySnapshot.Domain domain = s.match(Names.domainOf(key));
        if (domain == null) return new RecipientResolution.NoTenant();
        DirectorySnapshot.Address mailbox = s.addresses().get(key);
        String guid = s.tenantGuids().get(domain.tenantId());
        if (mailbox != null && mailbox.tenantId() == domain.tenantId()) {
            return new RecipientResolution.Accepted(domain.tenantId(), guid, domain.domainName(), domain.type(),
                    mailbox.mailboxId(), mailbox.primaryAddress());
        }
        if (domain.type() == DomainType.Authoritative) return new RecipientResolution.UnknownRecipient(domain.tenantId());
        return new RecipientResolution.Accepted(domain.tenantId(), guid, domain.domainName(), domain.type(), null, key);
    }

    /**
     * True if the domain (or a parent with MatchSubDomains) is an accepted domain of this tenant. A name that is
     * no domain only because of invisible format characters (joiners, direction marks: {@code con\u200Dtoso.com})
     * is read as a mail client shows it, without them: such a claim to be the tenant is one.
     */
    public boolean isAcceptedDomain(long tenantId, String domain) {
        String d = Names.domainOrNull(domain);
        if (d == null && domain != null) d = Names.domainOrNull(DomainNames.withoutFormatCharacters(domain));
        if (d == null) return false;
        DirectorySnapshot s = current();
        DirectorySnapshot.Domain exact = s.domains().get(d);
        if (exact != null && exact.tenantId() == tenantId) return true;
        for (int dot = d.indexOf('.'); dot >= 0; dot = d.indexOf('.', dot + 1)) {
            DirectorySnapshot.Domain parent = s.domains().get(d.substring(dot + 1));
            if (parent != null && parent.tenantId() == tenantId && parent.matchSubDomains()) return true;
        }
        return false;
    }

    /** The tenant's guid (its Maildir directory, its stamps), or null when the tenant no longer exists. */
    public String tenantGuid(long tenantId) { return current().tenantGuids().get(tenantId); }

    /** The mailbox's primary address, or null when the tenant has no such mailbox (any more). */
    public String mailboxAddress(long tenantId, long mailboxId) {
        DirectorySnapshot.Address a = current().mailboxes().get(mailboxId);
        return a == null || a.tenantId() != tenantId ? null : a.primaryAddress();
    }

    /** The tenant's organization settings (defaults when it set none). */
    public OrganizationSettings settings(long tenantId) {
        return current().settings().getOrDefault(tenantId, OrganizationSettings.DEFAULTS);
    }

    /**
     * The address as a recipient of this tenant (its mailbox's primary address and mailbox id, or the address
     * itself in an InternalRelay domain), or null when it isn't one. Rules at run time (added recipients,
     * redirects) and {@code -FromScope}/{@code -SentToScope} use this, as quarantine release does through
     * {@link Recipients}.
     */
    public Recipients.Resolved recipientOf(long tenantId, String address) {
        return resolveRecipient(address) instanceof RecipientResolution.Accepted a && a.tenantId() == tenantId
                ? new Recipients.Resolved(a.canonicalAddress(), a.mailboxId()) : null;
    }

    /** The address is a mailbox of the tenant or in one of its accepted domains. */
    public boolean inOrganization(long tenantId, String address) {
        return switch (resolveRecipient(address)) {
            case RecipientResolution.Accepted a -> a.tenantId() == tenantId;
            case RecipientResolution.UnknownRecipient u -> u.tenantId() == tenantId;
            case RecipientResolution.NoTenant n -> false;
        };
    }

    /** Forces a rebuild now (tests, or a PostgreSQL NOTIFY listener later). */
    public void refresh() { cache.refresh(); }

    private DirectorySnapshot current() { return cache.get(); }
}
