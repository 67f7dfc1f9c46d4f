// Tenant and accepted-domain administration: CRUD, Exchange-like validation messages, tenant scoping.
package dev.gatehouse.directory;

import dev.gatehouse.kernel.NotFoundException;
import dev.gatehouse.kernel.ValidationException;

import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class TenantAndDomainServiceTest extends StoreTestBase {

    @Test
    void createsGetsListsRenamesAndRemovesTenants() {
        TenantService tenants = new TenantService(store);
        Tenant contoso = tenants.create("Contoso");
        Tenant fabrikam = tenants.create("Fabrikam");
        assertThat(contoso.Guid()).matches("[0-9a-f-]{36}");
        assertThat(tenants.get(contoso.id())).isEqualTo(contoso);
        assertThat(tenants.get("contoso")).isEqualTo(contoso);
        assertThat(tenants.get(contoso.Guid())).isEqualTo(contoso);
        assertThat(tenants.list()).extracting(Tenant::Name).containsExactly("Contoso", "Fabrikam");
        assertThat(tenants.set(fabrikam.id(), "Fabrikam Inc").Name()).isEqualTo("Fabrikam Inc");
        tenants.remove(fabrikam.id());
        assertThat(tenants.list()).containsExactly(contoso);
        assertThatThrownBy(() -> tenants.get(fabrikam.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void tenantNamesAreUniqueCaseInsensitively() {
        TenantService tenants = new TenantService(store);
        tenants.create("Contoso");
        assertThatThrownBy(() -> tenants.create("CONTOSO")).isInstanceOf(ValidationException.class)
                .hasMessage("The organization 'CONTOSO' already exists");
        assertThatThrownBy(() -> tenants.create("  ")).isInstanceOf(ValidationException.class).hasMessageStartingWith("Name '  '");
    }

    @Test
    void acceptedDomainsAreNormalisedAndValidated() {
        TenantService tenants = new TenantService(store);
        AcceptedDomainService domains = new AcceptedDomainService(store);
        long a = tenants.create("Contoso").id();
        long b = tenants.create("Fabrikam").id();

        AcceptedDomain d = domains.create(a, "Contoso.COM", DomainType.Authoritative, false);
        assertThat(d.DomainName()).isEqualTo("contoso.com");
        assertThat(d.Name()).isEqualTo("contoso.com");
        assertThat(domains.create(a, "bücher.example", DomainType.Authoritative, false).DomainName()).isEqualTo("xn--bcher-kva.example");

        assertThatThrownBy(() -> domains.create(a, "bad..com", DomainType.Authoritative, false))
                .isInstanceOf(ValidationException.class).hasMessage("DomainName 'bad..com' is not a valid domain name");
        assertThatThrownBy(() -> domains.create(a, "-x.com", DomainType.Authoritative, false))
                .hasMessage("DomainName '-x.com' is not a valid domain name");
        assertThatThrownBy(() -> domains.create(b, "CONTOSO.com", DomainType.Authoritative, false))
                .isInstanceOf(ValidationException.class)
                .hasMessage("The domain 'contoso.com' is already an accepted domain of another organization");
        assertThatThrownBy(() -> domains.create(a, "contoso.com", DomainType.InternalRelay, false))
                .hasMessage("An accepted domain with the domain name 'contoso.com' already exists");
        assertThatThrownBy(() -> domains.create(a, "sub.contoso.org", DomainType.Authoritative, true))
                .isInstanceOf(ValidationException.class).hasMessageContaining("MatchSubDomains can be set only on an InternalRelay domain");

        AcceptedDomain relay = domains.create(a, "Relay", "contoso.org", DomainType.InternalRelay, true);
        assertThat(domains.get(a, "relay")).isEqualTo(relay);
        assertThat(domains.get(a, "CONTOSO.org")).isEqualTo(relay);
        assertThatThrownBy(() -> domains.set(a, "contoso.org", DomainType.Authoritative, true))
                .isInstanceOf(ValidationException.class);
        AcceptedDomain changed = domains.set(a, "contoso.org", DomainType.Authoritative, null);
        assertThat(changed.DomainType()).isEqualTo(DomainType.Authoritative);
        assertThat(changed.MatchSubDomains()).isFalse();
        assertThat(domains.list(a)).extracting(AcceptedDomain::DomainName)
                .containsExactly("contoso.com", "contoso.org", "xn--bcher-kva.example");
    }

    @Test
    void aTenantCannotTakeASubdomainOrAParentOfAnotherOrganizationsDomainAndTheErrorNamesTheDomainNotTheOwner() {
        TenantService tenants = new TenantService(store);
        Tenant contoso = tenants.create("Contoso");
        Tenant fabrikam = tenants.create("Fabrikam");
        AcceptedDomainService domains = new AcceptedDomainService(store);
        domains.create(fabrikam.id(), "fabrikam.com", DomainType.InternalRelay, true);
        domains.create(contoso.id(), "contoso.com", DomainType.Authoritative, false);
        assertThatThrownBy(() -> domains.create(contoso.id(), "fab3", "sub.fabrikam.com", DomainType.InternalRelay, true))
                .isInstanceOf(ValidationException.class)
                .hasMessage("-DomainName 'sub.fabrikam.com': the domain is a subdomain of 'fabrikam.com', an accepted domain of another"
                        + " organization; only the operator can add it, with -AllowOverlapWithOtherOrganization")
                .message().doesNotContain("Fabrikam");
        assertThatThrownBy(() -> domains.create(contoso.id(), "deep", "a.b.FABRIKAM.com", DomainType.Authoritative, false))
                .isInstanceOf(ValidationException.class).hasMessageContaining("a subdomain of 'fabrikam.com'");
        // the other way round: Fabrikam can't take a parent of Contoso's domain either
        domains.create(contoso.id(), "mail.contoso.org", DomainType.Authoritative, false);
        assertThatThrownBy(() -> domains.create(fabrikam.id(), "cont", "contoso.org", DomainType.Authoritative, false))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("the domain is a parent of 'mail.contoso.org', an accepted domain of another organization");
        // a tenant's own subdomains, and look-alike names that are not subdomains, are fine
        assertThat(domains.create(contoso.id(), "own", "sub.contoso.com", DomainType.Authoritative, false).DomainName()).isEqualTo("sub.contoso.com");
        assertThat(domains.create(contoso.id(), "alike", "notfabrikam.com", DomainType.Authoritative, false).DomainName()).isEqualTo("notfabrikam.com");
        assertThat(domains.list(contoso.id())).extracting(AcceptedDomain::DomainName).doesNotContain("sub.fabrikam.com", "a.b.fabrikam.com");
        // the operator's override, for hosting set-ups
        assertThat(domains.create(contoso.id(), "fab3", "sub.fabrikam.com", DomainType.Authoritative, false, true).DomainName())
                .isEqualTo("sub.fabrikam.com");
    }

    @Test
    void aTenantNeverSeesOrRemovesAnotherTenantsDomains() {
        TenantService tenants = new TenantService(store);
        AcceptedDomainService domains = new AcceptedDomainService(store);
        long a = tenants.create("Contoso").id();
        long b = tenants.create("Fabrikam").id();
        domains.create(a, "contoso.com", DomainType.Authoritative, false);
        domains.create(b, "fabrikam.com", DomainType.Authoritative, false);

        assertThat(domains.list(b)).extracting(AcceptedDomain::DomainName).containsExactly("fabrikam.com");
        assertThatThrownBy(() -> domains.get(b, "contoso.com")).isInstanceOf(NotFoundException.class)
                .hasMessage("The accepted domain 'contoso.com' couldn't be found");
        assertThatThrownBy(() -> domains.remove(b, "contoso.com")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> domains.set(b, "contoso.com", DomainType.InternalRelay, null)).isInstanceOf(NotFoundException.class);
        assertThat(domains.list(a)).hasSize(1);
        assertThatThrownBy(() -> domains.create(999_999, "x.example", DomainType.Authoritative, false)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void removingATenantRemovesItsDomainsMailboxesAndConfig() {
        TenantService tenants = new TenantService(store);
        AcceptedDomainService domains = new AcceptedDomainService(store);
        MailboxService mailboxes = new MailboxService(store);
        OrganizationConfigService config = new OrganizationConfigService(store);
        long a = tenants.create("Contoso").id();
        domains.create(a, "contoso.com", DomainType.Authoritative, false);
        mailboxes.create(a, "Alice", "alice@contoso.com", null);
        config.set(a, "RejectDirectSend", "True");
        tenants.remove(a);

        long b = tenants.create("Other").id();
        assertThat(domains.create(b, "contoso.com", DomainType.Authoritative, false).tenantId()).isEqualTo(b);
        assertThat(mailboxes.create(b, "Alice", "alice@contoso.com", null).tenantId()).isEqualTo(b);
        assertThat(config.get(b).values()).isEmpty();
        assertThatThrownBy(() -> config.get(a)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void organizationConfigIsPerTenantKeyValue() {
        TenantService tenants = new TenantService(store);
        OrganizationConfigService config = new OrganizationConfigService(store);
        long a = tenants.create("Contoso").id();
        long b = tenants.create("Fabrikam").id();
        config.set(a, "RejectDirectSend", "False");
        config.set(a, "rejectdirectsend", "True");
        assertThat(config.get(a).getBoolean("RejectDirectSend", false)).isTrue();
        assertThat(config.get(a).values()).hasSize(1);
        assertThat(config.get(b).getBoolean("RejectDirectSend", false)).isFalse();
        config.set(a, "RejectDirectSend", null);
        assertThat(config.get(a).values()).isEmpty();
    }
}
