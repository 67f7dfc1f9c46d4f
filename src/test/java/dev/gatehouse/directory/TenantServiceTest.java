// Tenants as the service provider manages them: names, renames, guids, removal and what removal leaves alone.
package dev.gatehouse.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.kernel.NotFoundException;
import dev.gatehouse.kernel.ValidationException;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.queue.MessageTrace;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.queue.TestMessages;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class TenantServiceTest extends StoreTestBase {

    @Test
    void aRenameKeepsTheGuidAndRefusesAnotherOrganizationsName() {
        TenantService tenants = new TenantService(store);
        Tenant contoso = tenants.create("Contoso");
        tenants.create("Fabrikam");
        Tenant renamed = tenants.set(contoso.id(), "Contoso Ltd");
        assertThat(renamed.Guid()).isEqualTo(contoso.Guid());
        assertThat(renamed.WhenCreated()).isEqualTo(contoso.WhenCreated());
        assertThat(tenants.get("contoso ltd")).isEqualTo(renamed);
        assertThatThrownBy(() -> tenants.get("Contoso")).isInstanceOf(NotFoundException.class)
                .hasMessage("The organization 'Contoso' couldn't be found");
        assertThatThrownBy(() -> tenants.set(contoso.id(), "FABRIKAM")).isInstanceOf(ValidationException.class)
                .hasMessage("The organization 'FABRIKAM' already exists");
        assertThat(tenants.set(contoso.id(), "CONTOSO LTD").Name()).as("its own name in another case").isEqualTo("CONTOSO LTD");
        assertThatThrownBy(() -> tenants.set(424_242, "Nobody")).isInstanceOf(NotFoundException.class)
                .hasMessage("The organization with id 424242 couldn't be found");
    }

    @Test
    void aTenantIsFoundByItsGuidInAnyCaseAndTheGuidDoesNotDependOnTheName() {
        TenantService tenants = new TenantService(store);
        Tenant a = tenants.create("Contoso");
        Tenant b = tenants.create("Fabrikam");
        assertThat(a.Guid()).isNotEqualTo(b.Guid());
        assertThat(tenants.get(a.Guid().toUpperCase(Locale.ROOT))).isEqualTo(a);
        assertThat(tenants.get("  " + a.Guid() + "  ")).isEqualTo(a);
        assertThat(a.Identity()).isEqualTo("Contoso");
        assertThat(a.WhenCreated()).isBeforeOrEqualTo(Instant.now());
        assertThatThrownBy(() -> tenants.get((String) null)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void namesAreValidatedWithTheirParameter() {
        TenantService tenants = new TenantService(store);
        String tooLong = "T".repeat(65);
        assertThatThrownBy(() -> tenants.create(tooLong)).hasMessage("Name '" + tooLong + "' is too long: at most 64 characters");
        assertThatThrownBy(() -> tenants.create("Con\u0000toso")).hasMessage("Name 'Con\u0000toso' contains a control character");
        assertThatThrownBy(() -> tenants.create(null)).hasMessage("Name '' is not valid: a value is required");
        assertThat(tenants.create("  Contoso  ").Name()).isEqualTo("Contoso");
        assertThat(tenants.create("T".repeat(64)).Name()).hasSize(64);
        assertThat(tenants.list()).hasSize(2);
    }

    @Test
    void tenantsAreListedByNameIgnoringCase() {
        TenantService tenants = new TenantService(store);
        tenants.create("fabrikam");
        tenants.create("Contoso");
        tenants.create("adatum");
        assertThat(tenants.list()).extracting(Tenant::Name).containsExactly("adatum", "Contoso", "fabrikam");
    }

    @Test
    void removingATenantTakesItsMailOutOfTheDirectoryButLeavesItsQueuedMailAndOtherTenantsAlone() {
        TenantService tenants = new TenantService(store);
        AcceptedDomainService domains = new AcceptedDomainService(store);
        MailboxService mailboxes = new MailboxService(store);
        OrganizationConfigService config = new OrganizationConfigService(store);
        Directory directory = new Directory(store);
        Tenant contoso = tenants.create("Contoso");
        Tenant fabrikam = tenants.create("Fabrikam");
        domains.create(contoso.id(), "contoso.com", DomainType.Authoritative, false);
        domains.create(fabrikam.id(), "fabrikam.com", DomainType.Authoritative, false);
        Mailbox alice = mailboxes.create(contoso.id(), "Alice", "alice@contoso.com", null);
        mailboxes.create(fabrikam.id(), "Carol", "carol@fabrikam.com", null);
        config.set(contoso.id(), OrganizationSettings.REJECT_DIRECT_SEND, "true");
        config.set(fabrikam.id(), OrganizationSettings.REJECT_DIRECT_SEND, "true");
        var queued = TestMessages.message(List.of(new QueuedRecipient(contoso.id(), "alice@contoso.com", alice.id())));
        new MessageQueue(store).enqueue(queued).join();

        tenants.remove(contoso.id());

        assertThat(directory.resolveRecipient("alice@contoso.com")).isInstanceOf(RecipientResolution.NoTenant.class);
        assertThat(directory.settings(contoso.id())).isEqualTo(OrganizationSettings.DEFAULTS);
        assertThat(directory.tenantGuid(contoso.id())).isNull();
        assertThat(new MessageTrace(store).recipients(contoso.id(), queued.networkMessageId())).as("queued mail stays")
                .singleElement().satisfies(r -> assertThat(r.status()).isEqualTo("Pending"));
        assertThat(directory.resolveRecipient("carol@fabrikam.com")).isInstanceOf(RecipientResolution.Accepted.class);
        assertThat(directory.settings(fabrikam.id()).rejectDirectSend()).isTrue();
        assertThat(mailboxes.list(fabrikam.id())).hasSize(1);
        assertThatThrownBy(() -> tenants.remove(contoso.id())).isInstanceOf(NotFoundException.class);
        assertThat(tenants.create("Contoso").Guid()).as("a new tenant of the same name is another organization")
                .isNotEqualTo(contoso.Guid());
    }

    @Test
    void nothingCanBeAddedToARemovedTenant() {
        TenantService tenants = new TenantService(store);
        long gone = tenants.create("Gone").id();
        tenants.remove(gone);
        assertThatThrownBy(() -> new AcceptedDomainService(store).create(gone, "gone.example", DomainType.Authoritative, false))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> new MailboxService(store).create(gone, "X", "x@gone.example", null)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> new OrganizationConfigService(store).set(gone, "RejectDirectSend", "true"))
                .isInstanceOf(NotFoundException.class).hasMessage("The organization with id " + gone + " couldn't be found");
    }
}
