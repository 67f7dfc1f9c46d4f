package dev.gatehouse.admin;

import java.time.Clock;

import dev.gatehouse.compauth.SenderChecks;
import dev.gatehouse.directory.AcceptedDomainService;
import dev.gatehouse.directory.Directory;
import dev.gatehouse.directory.MailboxService;
import dev.gatehouse.directory.OrganizationConfigService;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.hunting.HuntingService;
import dev.gatehouse.hunting.HuntingTables;
import dev.gatehouse.reports.HistoricalSearchService;
import dev.gatehouse.store.Store;

/**
 * The service layer the admin surfaces call: one instance per gateway, shared by shell, REST and web.
 * {@code senderChecks} is null without a gateway's resolver (Test-MessageAuthentication then says so).
 */
public record AdminServices(Store store, TenantService tenants, AcceptedDomainService domains, MailboxService mailboxes,
                            OrganizationConfigService orgConfig, AdminTokenService tokens, HistoricalSearchService historicalSearch,
                            HuntingService hunting, SenderChecks senderChecks) {

    /** The same services with the gateway's sender-authentication checks. */
    public AdminServices withSenderChecks(SenderChecks checks) {
        return new AdminServices(store, tenants, domains, mailboxes, orgConfig, tokens, historicalSearch, hunting, checks);
    }

    /** Without a gateway's reports directory: historical searches can be listed but not started. */
    public static AdminServices over(Store store) {
        return over(store, new HistoricalSearchService(store, new Directory(store), null, "", () -> {}, Clock.systemUTC()));
    }

    /** Without a gateway's feed: hunting queries run over empty tables. */
    public static AdminServices over(Store store, HistoricalSearchService historicalSearch) {
        return over(store, historicalSearch, new HuntingService(new HuntingTables(java.time.Instant.now(), 0), Clock.systemUTC()));
    }

    public static AdminServices over(Store store, HistoricalSearchService historicalSearch, HuntingService hunting) {
        return new AdminServices(store, new TenantService(store), new AcceptedDomainService(store), new MailboxService(store),
                new OrganizationConfigService(store), new AdminTokenService(store), historicalSearch, hunting, null);
    }
}
