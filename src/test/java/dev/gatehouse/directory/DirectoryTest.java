// Recipient resolution: no tenant, DBEB unknown, InternalRelay, MatchSubDomains, proxies, case, other nodes.
package dev.gatehouse.directory;

import dev.gatehouse.directory.RecipientResolution.Accepted;
import dev.gatehouse.directory.RecipientResolution.NoTenant;
import dev.gatehouse.directory.RecipientResolution.UnknownRecipient;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class DirectoryTest extends StoreTestBase {
    private Tenant contoso;
    private Tenant fabrikam;
    private Mailbox alice;
    private Directory directory;

    @BeforeEach
    void setUp() {
        TenantService tenants = new TenantService(store);
        AcceptedDomainService domains = new AcceptedDomainService(store);
        directory = new Directory(store);
        contoso = tenants.create("Contoso");
        fabrikam = tenants.create("Fabrikam");
        domains.create(contoso.id(), "contoso.com", DomainType.Authoritative, false);
        domains.create(contoso.id(), "relay.contoso.org", DomainType.InternalRelay, false);
        domains.create(fabrikam.id(), "fabrikam.com", DomainType.InternalRelay, true);
        alice = new MailboxService(store).create(contoso.id(), "Alice", "Alice@contoso.com", List.of("al@contoso.com"));
    }

    @Test
    void unknownDomainHasNoTenant() {
        assertThat(directory.resolveRecipient("x@example.net")).isInstanceOf(NoTenant.class);
        assertThat(directory.resolveRecipient("x@sub.contoso.com")).isInstanceOf(NoTenant.class); // no MatchSubDomains
        assertThat(directory.resolveRecipient("not-an-address")).isInstanceOf(NoTenant.class);
        assertThat(directory.resolveRecipient("x@bad..com")).isInstanceOf(NoTenant.class);
    }

    @Test
    void unknownRecipientInAuthoritativeDomainIsRejected() {
        assertThat(directory.resolveRecipient("nobody@contoso.com")).isEqualTo(new UnknownRecipient(contoso.id()));
    }

    @Test
    void primaryAndProxyAddressesResolveCaseInsensitivelyToThePrimary() {
        Accepted expected = new Accepted(contoso.id(), contoso.Guid(), "contoso.com", DomainType.Authoritative, alice.id(), "Alice@contoso.com");
        assertThat(directory.resolveRecipient("alice@contoso.com")).isEqualTo(expected);
        assertThat(directory.resolveRecipient("ALICE@CONTOSO.COM")).isEqualTo(expected);
        assertThat(directory.resolveRecipient("Al@Contoso.Com")).isEqualTo(expected);
    }

    @Test
    void internalRelayAcceptsUnknownRecipientsAndMatchSubDomainsCoversChildren() {
        assertThat(directory.resolveRecipient("Bob@Relay.Contoso.org")).isEqualTo(
                new Accepted(contoso.id(), contoso.Guid(), "relay.contoso.org", DomainType.InternalRelay, null, "bob@relay.contoso.org"));
        assertThat(directory.resolveRecipient("x@deep.eu.fabrikam.com")).isEqualTo(
                new Accepted(fabrikam.id(), fabrikam.Guid(), "fabrikam.com", DomainType.InternalRelay, null, "x@deep.eu.fabrikam.com"));
        assertThat(directory.isAcceptedDomain(fabrikam.id(), "eu.FABRIKAM.com")).isTrue();
        assertThat(directory.isAcceptedDomain(contoso.id(), "eu.fabrikam.com")).isFalse();
        assertThat(directory.isAcceptedDomain(contoso.id(), "x.relay.contoso.org")).isFalse();
        assertThat(directory.isAcceptedDomain(contoso.id(), "Contoso.com")).isTrue();
    }

    @Test
    void changesThroughTheServicesAreVisibleAtOnce() {
        assertThat(directory.resolveRecipient("new@contoso.com")).isInstanceOf(UnknownRecipient.class);
        new MailboxService(store).create(contoso.id(), "New", "new@contoso.com", null);
        assertThat(directory.resolveRecipient("new@contoso.com")).isInstanceOf(Accepted.class);
        new AcceptedDomainService(store).remove(contoso.id(), "relay.contoso.org");
        assertThat(directory.resolveRecipient("bob@relay.contoso.org")).isInstanceOf(NoTenant.class);
    }

    @Test
    void aSecondNodeSeesChangesThroughConfigVersion() {
        if (kind != TestDatabase.Kind.POSTGRES) return; // SQLite is single-process by design
        try (Store other = db.open()) {
            Directory remote = new Directory(other, Duration.ZERO);
            assertThat(remote.resolveRecipient("late@contoso.com")).isInstanceOf(UnknownRecipient.class);
            new MailboxService(store).create(contoso.id(), "Late", "late@contoso.com", null);
            assertThat(remote.resolveRecipient("late@contoso.com")).isInstanceOf(Accepted.class);
        }
    }

    @Test
    void resolutionIsFastEnoughForTheSmtpHotPath() {
        int n = 200_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) directory.resolveRecipient((i % 2 == 0 ? "alice" : "u" + i) + "@contoso.com");
        double micros = (System.nanoTime() - start) / 1000.0 / n;
        assertThat(micros).isLessThan(20.0);
    }
}
