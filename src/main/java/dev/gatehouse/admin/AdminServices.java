package dev.gatehouse.admin;

import dev.gatehouse.directory.AcceptedDomainService;
import dev.gatehouse.directory.MailboxService;
import dev.gatehouse.directory.OrganizationConfigService;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.store.Store;

/** The service layer the admin surfaces call: one instance per gateway, shared by shell, REST and web. */
public record AdminServices(Store store, TenantService tenants, AcceptedDomainService domains, MailboxService mailboxes,
                            OrganizationConfigService orgConfig, AdminTokenService tokens) {

    public static AdminServices over(Store store) {
        return new AdminServices(store, new TenantService(store), new AcceptedDomainService(store), new MailboxService(store),
                new OrganizationConfigService(store), new AdminTokenService(store));
    }
}
