package dev.gatehouse.admin;

import java.time.Clock;

import dev.gatehouse.directory.AcceptedDomainService;
import dev.gatehouse.directory.Directory;
import dev.gatehouse.directory.MailboxService;
import dev.gatehouse.directory.OrganizationConfigService;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.reports.HistoricalSearchService;
import dev.gatehouse.store.Store;

/** The service layer the admin surfaces call: one instance per gateway, shared by shell, REST and web. */
public record AdminServices(Store store, TenantService tenants, AcceptedDomainService domains, MailboxService mailboxes,
                            OrganizationConfigService orgConfig, AdminTokenService tokens, HistoricalSearchService historicalSearch) {

    /** Without a gateway's reports directory: historical searches can be listed but not started. */
    public static AdminServices over(Store store) {
        return over(store, new HistoricalSearchService(store, new Directory(store), null, "", () -> {}, Clock.systemUTC()));
    }

    public static AdminServices over(Store store, HistoricalSearchService historicalSearch) {
        return new AdminServices(store, new TenantService(store), new AcceptedDomainService(store), new MailboxService(store),
                new OrganizationConfigService(store), new AdminTokenService(store), historicalSearch);
    }
}
