package dev.gatehouse.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.gatehouse.directory.AcceptedDomainService;
import dev.gatehouse.directory.DomainType;
import dev.gatehouse.directory.MailboxService;
import dev.gatehouse.kernel.NotFoundException;
import dev.gatehouse.directory.Tenant;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.kernel.ValidationException;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gatehouse provision}: creates (or reuses) a tenant, an accepted domain and mailboxes straight
 * through the service layer, without a running server. Meant for bootstrapping a data directory and for
 * benchmarks; with the embedded SQLite store the server must be stopped (the store is single-process).
 */
@Command(name = "provision", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, description = "Create a tenant, an accepted domain and mailboxes directly in the store (server stopped).")
final class ProvisionCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = "./data", description = "Data directory. Default ./data") Path dataDir;
    @Option(names = "--store", description = "Store URL (default: SQLite in the data dir)") String store;
    @Option(names = "--tenant", required = true, description = "Tenant (organization) name") String tenant;
    @Option(names = "--domain", description = "Accepted domain to add") String domain;
    @Option(names = "--domain-type", defaultValue = "Authoritative", description = "Authoritative or InternalRelay") String domainType;
    @Option(names = "--mailbox", split = ",", description = "Mailbox primary SMTP address(es) to add") List<String> mailboxes;

    @Override
    public Integer call() {
        try (Store s = Store.open(store, dataDir.toAbsolutePath())) {
            TenantService tenants = new TenantService(s);
            Tenant t;
            try {
                t = tenants.get(tenant);
            } catch (NotFoundException e) {
                t = tenants.create(tenant);
            }
            System.out.println("tenant " + t.Name() + " " + t.Guid());
            if (domain != null) {
                var d = new AcceptedDomainService(s).create(t.id(), domain, DomainType.parse(domainType), false);
                System.out.println("accepted domain " + d.DomainName() + " " + d.DomainType());
            }
            if (mailboxes != null) {
                MailboxService mb = new MailboxService(s);
                for (String a : mailboxes) {
                    var m = mb.create(t.id(), a.substring(0, a.indexOf('@') < 0 ? a.length() : a.indexOf('@')), a, List.of());
                    System.out.println("mailbox " + m.PrimarySmtpAddress());
                }
            }
            return 0;
        } catch (ValidationException | NotFoundException | StoreException e) {
            System.err.println("gatehouse provision: " + e.getMessage());
            return 2;
        }
    }
}
