// Mailbox administration: addresses unique across tenants, domains must be accepted, scoping.
package dev.gatehouse.directory;

import dev.gatehouse.kernel.NotFoundException;
import dev.gatehouse.kernel.ValidationException;

import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class MailboxServiceTest extends StoreTestBase {
    private MailboxService mailboxes;
    private AcceptedDomainService domains;
    private long a;
    private long b;

    @BeforeEach
    void tenants() {
        TenantService tenants = new TenantService(store);
        domains = new AcceptedDomainService(store);
        mailboxes = new MailboxService(store);
        a = tenants.create("Contoso").id();
        b = tenants.create("Fabrikam").id();
        domains.create(a, "contoso.com", DomainType.Authoritative, false);
        domains.create(a, "contoso.net", DomainType.InternalRelay, true);
        domains.create(b, "fabrikam.com", DomainType.Authoritative, false);
    }

    @Test
    void createsMailboxWithPrimaryAndProxyAddresses() {
        Mailbox m = mailboxes.create(a, "Alice", "Alice@Contoso.com", List.of("smtp:al@contoso.com", "alice@eu.contoso.net"));
        assertThat(m.PrimarySmtpAddress()).isEqualTo("Alice@contoso.com");
        assertThat(m.EmailAddresses()).containsExactly("SMTP:Alice@contoso.com", "smtp:al@contoso.com", "smtp:alice@eu.contoso.net");
        assertThat(mailboxes.get(a, "alice")).isEqualTo(m);
        assertThat(mailboxes.get(a, "AL@contoso.com")).isEqualTo(m);
        assertThat(mailboxes.get(a, m.Guid())).isEqualTo(m);
        assertThat(mailboxes.list(a)).containsExactly(m);
    }

    @Test
    void rejectsAddressesOutsideAcceptedDomainsOrAlreadyUsed() {
        mailboxes.create(a, "Alice", "alice@contoso.com", null);
        assertThatThrownBy(() -> mailboxes.create(a, "Bob", "bob@fabrikam.com", null)).isInstanceOf(ValidationException.class)
                .hasMessage("The domain 'fabrikam.com' of the email address 'bob@fabrikam.com' isn't an accepted domain for your organization");
        assertThatThrownBy(() -> mailboxes.create(a, "Bob", "bob@contoso.com", List.of("ALICE@contoso.com")))
                .hasMessage("The proxy address 'SMTP:ALICE@contoso.com' is already being used by another recipient");
        assertThatThrownBy(() -> mailboxes.create(a, "alice", "alice2@contoso.com", null))
                .hasMessage("A mailbox with the name 'alice' already exists");
        assertThatThrownBy(() -> mailboxes.create(a, "Bad", "not an address", null))
                .hasMessage("PrimarySmtpAddress 'not an address' is not a valid SMTP address");
        assertThatThrownBy(() -> mailboxes.create(a, "Bad", "x@sub.contoso.com", null)).isInstanceOf(ValidationException.class);
        assertThat(mailboxes.list(a)).hasSize(1);
    }

    @Test
    void setChangesPrimaryKeepingTheOldOneAsProxy() {
        mailboxes.create(a, "Alice", "alice@contoso.com", null);
        Mailbox m = mailboxes.set(a, "Alice", "a.smith@contoso.com", null);
        assertThat(m.EmailAddresses()).containsExactly("SMTP:a.smith@contoso.com", "smtp:alice@contoso.com");
        m = mailboxes.set(a, "Alice", null, List.of("SMTP:a.smith@contoso.com", "smtp:as@contoso.com"));
        assertThat(m.EmailAddresses()).containsExactly("SMTP:a.smith@contoso.com", "smtp:as@contoso.com");
        assertThat(mailboxes.create(a, "Other", "alice@contoso.com", null).PrimarySmtpAddress()).isEqualTo("alice@contoso.com");
    }

    @Test
    void aTenantNeverSeesOrChangesAnotherTenantsMailboxes() {
        Mailbox alice = mailboxes.create(a, "Alice", "alice@contoso.com", null);
        mailboxes.create(b, "Bob", "bob@fabrikam.com", null);
        assertThat(mailboxes.list(b)).extracting(Mailbox::Name).containsExactly("Bob");
        assertThatThrownBy(() -> mailboxes.get(b, "Alice")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> mailboxes.get(b, alice.Guid())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> mailboxes.get(b, "alice@contoso.com")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> mailboxes.remove(b, "Alice")).isInstanceOf(NotFoundException.class)
                .hasMessage("The mailbox 'Alice' couldn't be found");
        assertThatThrownBy(() -> mailboxes.set(b, "Alice", "x@fabrikam.com", null)).isInstanceOf(NotFoundException.class);
        assertThat(mailboxes.get(a, "Alice")).isEqualTo(alice);
        mailboxes.remove(a, "Alice");
        assertThat(mailboxes.list(a)).isEmpty();
    }

    @Test
    void aDomainInUseByAddressesCannotBeRemoved() {
        mailboxes.create(a, "Alice", "alice@contoso.com", List.of("alice@x.contoso.net"));
        assertThatThrownBy(() -> domains.remove(a, "contoso.net")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("'contoso.net' can't be removed");
        mailboxes.remove(a, "Alice");
        domains.remove(a, "contoso.net");
        assertThat(domains.list(a)).extracting(AcceptedDomain::DomainName).containsExactly("contoso.com");
    }
}
