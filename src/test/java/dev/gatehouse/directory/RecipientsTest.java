// The admin side's recipient lookup (rules being saved, quarantine releases), inside a write transaction, agreeing with the directory.
package dev.gatehouse.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class RecipientsTest extends StoreTestBase {
    private long contoso;
    private long fabrikam;
    private Mailbox alice;
    private Directory directory;

    @BeforeEach
    void setUp() {
        TenantService tenants = new TenantService(store);
        AcceptedDomainService domains = new AcceptedDomainService(store);
        contoso = tenants.create("Contoso").id();
        fabrikam = tenants.create("Fabrikam").id();
        domains.create(contoso, "contoso.com", DomainType.Authoritative, false);
        domains.create(contoso, "relay.contoso.com", DomainType.InternalRelay, false);
        domains.create(contoso, "deep.contoso.net", DomainType.InternalRelay, true);
        domains.create(fabrikam, "fabrikam.com", DomainType.InternalRelay, false);
        alice = new MailboxService(store).create(contoso, "Alice", "Alice@contoso.com", List.of("al@relay.contoso.com"));
        directory = new Directory(store);
    }

    /** Resolved inside a write, as a rule save or a release does. */
    private Recipients.Resolved inWrite(long tenant, String identity) {
        return store.writeAndWait(ctx -> Recipients.resolve(ctx.connection(), tenant, identity));
    }

    private List<String> addresses(long tenant, String identity) {
        return store.read(c -> Recipients.mailboxAddresses(c, tenant, identity));
    }

    private boolean internalRelay(long tenant, String domain) {
        return store.read(c -> Recipients.internalRelay(c, tenant, domain));
    }

    @Test
    void aMailboxAddressInARelayDomainIsTheMailboxNotARelayAddress() {
        assertThat(inWrite(contoso, "AL@relay.contoso.com")).isEqualTo(new Recipients.Resolved("alice@contoso.com", alice.id()));
        assertThat(inWrite(contoso, "someone@relay.contoso.com")).isEqualTo(new Recipients.Resolved("someone@relay.contoso.com", null));
        assertThat(inWrite(contoso, "Someone@Relay.Contoso.com")).as("lower case, as the directory resolves it")
                .isEqualTo(new Recipients.Resolved("someone@relay.contoso.com", null));
        assertThat(directory.recipientOf(contoso, "Someone@Relay.Contoso.com").address()).isEqualTo("someone@relay.contoso.com");
    }

    @Test
    void relayAddressesFollowMatchSubDomainsOnlyWhereItIsSet() {
        assertThat(inWrite(contoso, "x@a.b.deep.contoso.net")).isEqualTo(new Recipients.Resolved("x@a.b.deep.contoso.net", null));
        assertThat(inWrite(contoso, "x@sub.relay.contoso.com")).isNull();
        assertThat(internalRelay(contoso, "deep.contoso.net")).isTrue();
        assertThat(internalRelay(contoso, "eu.deep.contoso.net")).isTrue();
        assertThat(internalRelay(contoso, "sub.relay.contoso.com")).isFalse();
        assertThat(internalRelay(contoso, "contoso.com")).as("Authoritative").isFalse();
        assertThat(internalRelay(contoso, "xdeep.contoso.net")).as("not a subdomain").isFalse();
        assertThat(internalRelay(fabrikam, "relay.contoso.com")).as("another organization's").isFalse();
    }

    @Test
    void anotherOrganizationsRecipientsAndUnknownsAreNotRecipients() {
        assertThat(inWrite(fabrikam, "alice@contoso.com")).isNull();
        assertThat(inWrite(fabrikam, alice.Guid())).isNull();
        assertThat(inWrite(fabrikam, "Alice")).isNull();
        assertThat(inWrite(contoso, "nobody@contoso.com")).as("an Authoritative domain without such a mailbox").isNull();
        assertThat(inWrite(contoso, "x@fabrikam.com")).isNull();
        assertThat(inWrite(contoso, null)).isNull();
        assertThat(inWrite(contoso, "not an address")).isNull();
        assertThat(addresses(contoso, "someone@relay.contoso.com")).as("not a mailbox").isNull();
    }

    @Test
    void theAdminLookupAndTheRunningGatewayAgreeOnEveryKindOfRecipient() {
        for (String address : List.of("alice@contoso.com", "AL@relay.contoso.com", "x@relay.contoso.com", "x@q.deep.contoso.net",
                "nobody@contoso.com", "x@fabrikam.com", "x@nowhere.example")) {
            assertThat(inWrite(contoso, address)).as(address).isEqualTo(lowerCased(directory.recipientOf(contoso, address)));
        }
    }

    private static Recipients.Resolved lowerCased(Recipients.Resolved r) {
        return r == null ? null : new Recipients.Resolved(r.address().toLowerCase(java.util.Locale.ROOT), r.mailboxId());
    }

    @Test
    void everyAddressOfAMailboxIsListedPrimaryFirstWhicheverIdentityNamesIt() {
        List<String> expected = List.of("alice@contoso.com", "al@relay.contoso.com");
        assertThat(addresses(contoso, "al@relay.contoso.com")).containsExactlyElementsOf(expected);
        assertThat(addresses(contoso, alice.Guid().toUpperCase(java.util.Locale.ROOT)))
                .containsExactlyElementsOf(expected);
        assertThat(addresses(contoso, "ALICE")).containsExactlyElementsOf(expected);
        new MailboxService(store).remove(contoso, "Alice");
        assertThat(addresses(contoso, "alice@contoso.com")).isNull();
        assertThat(inWrite(contoso, "al@relay.contoso.com")).as("a relay address again once the mailbox is gone")
                .isEqualTo(new Recipients.Resolved("al@relay.contoso.com", null));
    }
}
