// Recipient resolution on the SMTP hot path: which tenant, which mailbox, or reject.
package dev.gatehouse.directory;

import dev.gatehouse.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

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
    private static final Logger log = LoggerFactory.getLogger(Directory.class);

    private final Store store;
    private final long recheckNanos;
    private final ReentrantLock reload = new ReentrantLock();
    private volatile DirectorySnapshot snapshot;
    private volatile long checkedAt;

    public Directory(Store store) { this(store, Duration.ofSeconds(1)); }

    public Directory(Store store, Duration recheckInterval) {
        this.store = store;
        this.recheckNanos = recheckInterval.toNanos();
        long epoch = store.configEpoch();
        this.snapshot = store.read(c -> DirectorySnapshot.load(c, epoch));
        this.checkedAt = System.nanoTime();
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

    /** True if the domain (or a parent with MatchSubDomains) is an accepted domain of this tenant. */
    public boolean isAcceptedDomain(long tenantId, String domain) {
        String d = Names.domainOrNull(domain);
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

    /** Forces a rebuild now (tests, or a PostgreSQL NOTIFY listener later). */
    public void refresh() {
        reload.lock();
        try {
            rebuild();
        } finally {
            reload.unlock();
        }
    }

    private DirectorySnapshot current() {
        DirectorySnapshot s = snapshot;
        if (s.epoch() != store.configEpoch()) {
            reload.lock(); // a local change must be visible to the caller: wait for the rebuild
            try {
                if (snapshot.epoch() != store.configEpoch()) rebuild();
            } finally {
                reload.unlock();
            }
            return snapshot;
        }
        if (System.nanoTime() - checkedAt >= recheckNanos && reload.tryLock()) {
            try {
                checkedAt = System.nanoTime();
                long version = store.read(c -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT version FROM config_version WHERE id = 1");
                         ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getLong(1) : 0L;
                    }
                });
                if (version != snapshot.version()) rebuild();
            } catch (RuntimeException e) {
                log.warn("event=directory_recheck_failed error=\"{}\"", e.toString()); // keep serving the old snapshot
            } finally {
                reload.unlock();
            }
        }
        return snapshot;
    }

    private void rebuild() {
        long epoch = store.configEpoch();
        DirectorySnapshot s = store.read(c -> DirectorySnapshot.load(c, epoch));
        snapshot = s;
        checkedAt = System.nanoTime();
        log.debug("event=directory_reloaded version={} domains={} addresses={}", s.version(), s.domains().size(), s.addresses().size());
    }
}
