// What the directory answers other packages, as the one owner of its tables: delivery targets, settings, recipients.
package dev.gatehouse.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.kernel.NotFoundException;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class DirectoryOwnerTest extends StoreTestBase {
    private Tenant contoso;
    private Tenant fabrikam;
    private Mailbox alice;
    private Mailbox carol;
    private Directory directory;
    private OrganizationConfigService orgConfig;

    @BeforeEach
    void setUp() {
        TenantService tenants = new TenantService(store);
        AcceptedDomainService domains = new AcceptedDomainService(store);
        directory = new Directory(store);
        orgConfig = new OrganizationConfigService(store);
        contoso = tenants.create("Contoso");
        fabrikam = tenants.create("Fabrikam");
        domains.create(contoso.id(), "contoso.com", DomainType.Authoritative, false);
        domains.create(contoso.id(), "relay.contoso.org", DomainType.InternalRelay, true);
        domains.create(fabrikam.id(), "fabrikam.com", DomainType.Authoritative, false);
        alice = new MailboxService(store).create(contoso.id(), "Alice", "Alice@contoso.com", List.of("al@contoso.com"));
        carol = new MailboxService(store).create(fabrikam.id(), "Carol", "carol@fabrikam.com", List.of());
    }

    @Test
    void deliveryFindsTheTenantGuidAndTheMailboxPrimaryAddressUntilTheyAreRemoved() {
        assertThat(directory.tenantGuid(contoso.id())).isEqualTo(contoso.Guid());
        assertThat(directory.mailboxAddress(contoso.id(), alice.id())).isEqualTo("Alice@contoso.com");
        assertThat(directory.mailboxAddress(fabrikam.id(), alice.id())).as("another tenant's mailbox id").isNull();
        new MailboxService(store).remove(contoso.id(), "Alice");
        assertThat(directory.mailboxAddress(contoso.id(), alice.id())).isNull();
        new TenantService(store).remove(fabrikam.id());
        assertThat(directory.tenantGuid(fabrikam.id())).isNull();
        assertThat(directory.mailboxAddress(fabrikam.id(), carol.id())).isNull();
    }

    @Test
    void organizationSettingsAreTypedDefaultOffAndSeenByTheNextMessage() {
        assertThat(directory.settings(contoso.id())).isEqualTo(OrganizationSettings.DEFAULTS);
        orgConfig.set(contoso.id(), "rejectdirectsend", "$True");
        assertThat(directory.settings(contoso.id()).rejectDirectSend()).isTrue();
        assertThat(directory.settings(contoso.id()).rejectDirectSendHeaderFrom()).isFalse();
        assertThat(directory.settings(fabrikam.id()).rejectDirectSend()).isFalse();
        orgConfig.set(contoso.id(), OrganizationSettings.REJECT_DIRECT_SEND_HEADER_FROM, "true");
        orgConfig.set(contoso.id(), OrganizationSettings.REJECT_DIRECT_SEND, "false");
        assertThat(directory.settings(contoso.id())).isEqualTo(new OrganizationSettings(false, true));
        assertThat(OrganizationSettings.of(orgConfig.get(contoso.id()))).isEqualTo(directory.settings(contoso.id()));
    }

    @Test
    void aRecipientOfTheTenantIsAMailboxByAnyAddressOrAnInternalRelayAddress() {
        assertThat(directory.recipientOf(contoso.id(), "AL@contoso.com")).isEqualTo(new Recipients.Resolved("Alice@contoso.com", alice.id()));
        assertThat(directory.recipientOf(contoso.id(), "anyone@relay.contoso.org")).isEqualTo(new Recipients.Resolved("anyone@relay.contoso.org", null));
        assertThat(directory.recipientOf(contoso.id(), "nobody@contoso.com")).isNull();
        assertThat(directory.recipientOf(contoso.id(), "carol@fabrikam.com")).isNull();
        assertThat(directory.recipientOf(fabrikam.id(), "al@contoso.com")).isNull();
        assertThat(directory.inOrganization(contoso.id(), "nobody@contoso.com")).as("an accepted domain").isTrue();
        assertThat(directory.inOrganization(contoso.id(), "x@sub.relay.contoso.org")).as("MatchSubDomains").isTrue();
        assertThat(directory.inOrganization(contoso.id(), "x@sub.contoso.com")).as("no MatchSubDomains").isFalse();
        assertThat(directory.inOrganization(contoso.id(), "carol@fabrikam.com")).isFalse();
        assertThat(directory.inOrganization(contoso.id(), "x@example.org")).isFalse();
    }

    @Test
    void theAdminLookupAgreesWithTheRunningGatewayAndAlsoTakesMailboxNamesAndGuids() {
        Recipients.Resolved byAddress = resolve(contoso.id(), "al@contoso.com");
        assertThat(byAddress).isEqualTo(new Recipients.Resolved("alice@contoso.com", alice.id()));
        assertThat(resolve(contoso.id(), "alice")).isEqualTo(byAddress);
        assertThat(resolve(contoso.id(), alice.Guid())).isEqualTo(byAddress);
        assertThat(resolve(contoso.id(), "x@sub.relay.contoso.org"))
                .isEqualTo(new Recipients.Resolved("x@sub.relay.contoso.org", null));
        assertThat(resolve(contoso.id(), "nobody@contoso.com")).isNull();
        assertThat(resolve(contoso.id(), "carol")).as("another tenant's mailbox").isNull();
        assertThat(addresses(contoso.id(), "Alice")).containsExactly("alice@contoso.com", "al@contoso.com");
        assertThat(addresses(fabrikam.id(), "Alice")).isNull();
    }

    private Recipients.Resolved resolve(long tenant, String identity) {
        return store.read(c -> Recipients.resolve(c, tenant, identity));
    }

    private List<String> addresses(long tenant, String identity) {
        return store.read(c -> Recipients.mailboxAddresses(c, tenant, identity));
    }

    private String requireTenant(long tenant) {
        return store.writeAndWait(ctx -> ConfigWrites.requireTenant(ctx, tenant));
    }

    private boolean hasDomain(long tenant, String domain) {
        return store.writeAndWait(ctx -> ConfigWrites.hasAcceptedDomain(ctx, tenant, domain));
    }

    @Test
    void otherOwnersCheckATenantAndADomainInsideTheirTransaction() {
        assertThat(requireTenant(contoso.id())).isEqualTo("Contoso");
        assertThatThrownBy(() -> store.writeAndWait(ctx -> ConfigWrites.requireTenant(ctx, 9_999)))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("9999");
        assertThat(hasDomain(contoso.id(), "contoso.com")).isTrue();
        assertThat(hasDomain(fabrikam.id(), "contoso.com")).isFalse();
        assertThat(hasDomain(contoso.id(), "sub.contoso.com")).as("exact only").isFalse();
    }
}
