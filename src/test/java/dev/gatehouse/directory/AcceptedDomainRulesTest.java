// Accepted domains as an admin meets them: validation messages, IDN, MatchSubDomains, overlap with other organizations, removal.
package dev.gatehouse.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.kernel.NotFoundException;
import dev.gatehouse.kernel.ValidationException;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class AcceptedDomainRulesTest extends StoreTestBase {
    private AcceptedDomainService domains;
    private Directory directory;
    private long contoso;
    private long fabrikam;

    @BeforeEach
    void tenants() {
        TenantService tenants = new TenantService(store);
        domains = new AcceptedDomainService(store);
        directory = new Directory(store);
        contoso = tenants.create("Contoso").id();
        fabrikam = tenants.create("Fabrikam").id();
    }

    @Test
    void invalidDomainNamesAreRefusedNamingTheParameterAndTheValue() {
        for (String bad : List.of("localhost", "contoso.com.", "under_score.com", "192.0.2.1", "*.contoso.com", "contoso..com",
                "x." + "a".repeat(64) + ".com", "")) {
            assertThatThrownBy(() -> domains.create(contoso, bad, DomainType.Authoritative, false)).as(bad)
                    .isInstanceOf(ValidationException.class).hasMessage("DomainName '" + bad + "' is not a valid domain name");
        }
        assertThat(domains.list(contoso)).isEmpty();
        assertThat(domains.create(contoso, "  Contoso.COM  ", DomainType.Authoritative, false).DomainName())
                .as("surrounding blanks and case don't matter").isEqualTo("contoso.com");
        assertThat(domains.create(contoso, "x." + "a".repeat(63) + ".com", DomainType.Authoritative, false).DomainName())
                .as("a label of 63 octets is fine").hasSize(69);
    }

    @Test
    void anInternationalizedDomainIsOneDomainInEitherSpelling() {
        AcceptedDomain d = domains.create(contoso, "München.DE", DomainType.Authoritative, false);
        assertThat(d.DomainName()).isEqualTo("xn--mnchen-3ya.de");
        assertThat(d.Name()).as("the Name defaults to the stored form").isEqualTo("xn--mnchen-3ya.de");
        assertThat(domains.get(contoso, "münchen.de")).isEqualTo(d);
        assertThat(domains.get(contoso, "XN--MNCHEN-3YA.de")).isEqualTo(d);
        assertThatThrownBy(() -> domains.create(fabrikam, "xn--mnchen-3ya.de", DomainType.Authoritative, false))
                .hasMessage("The domain 'xn--mnchen-3ya.de' is already an accepted domain of another organization");
        assertThatThrownBy(() -> domains.create(contoso, "MÜNCHEN.de", DomainType.InternalRelay, false))
                .hasMessage("An accepted domain with the domain name 'xn--mnchen-3ya.de' already exists");
        assertThat(directory.isAcceptedDomain(contoso, "münchen.de")).isTrue();
        assertThat(directory.resolveRecipient("someone@münchen.de")).isEqualTo(new RecipientResolution.UnknownRecipient(contoso));
    }

    @Test
    void namesAreValidatedAndUniquePerTenantIgnoringCase() {
        domains.create(contoso, "Main", "contoso.com", DomainType.Authoritative, false);
        assertThatThrownBy(() -> domains.create(contoso, "MAIN", "contoso.org", DomainType.Authoritative, false))
                .isInstanceOf(ValidationException.class).hasMessage("An accepted domain with the name 'MAIN' already exists");
        assertThat(domains.create(fabrikam, "Main", "fabrikam.com", DomainType.Authoritative, false).Name())
                .as("another organization may use the same Name").isEqualTo("Main");
        String longName = "n".repeat(65);
        assertThatThrownBy(() -> domains.create(contoso, longName, "contoso.net", DomainType.Authoritative, false))
                .hasMessage("Name '" + longName + "' is too long: at most 64 characters");
        assertThatThrownBy(() -> domains.create(contoso, "bad\tname", "contoso.net", DomainType.Authoritative, false))
                .hasMessage("Name 'bad\tname' contains a control character");
        assertThat(domains.list(contoso)).extracting(AcceptedDomain::DomainName).containsExactly("contoso.com");
    }

    @Test
    void matchSubDomainsIsOnlyForInternalRelayAndFollowsTheTypeWhenItChanges() {
        assertThatThrownBy(() -> domains.create(contoso, "contoso.com", DomainType.Authoritative, true))
                .hasMessage("MatchSubDomains can be set only on an InternalRelay domain; the domain 'contoso.com' is Authoritative");
        assertThatThrownBy(() -> domains.create(contoso, "contoso.com", null, true)).as("the default type is Authoritative")
                .hasMessageContaining("is Authoritative");
        AcceptedDomain plain = domains.create(contoso, "contoso.com", null, false);
        assertThat(plain.DomainType()).isEqualTo(DomainType.Authoritative);
        assertThatThrownBy(() -> domains.set(contoso, "contoso.com", null, true))
                .hasMessage("MatchSubDomains can be set only on an InternalRelay domain; the domain 'contoso.com' is Authoritative");

        AcceptedDomain relay = domains.set(contoso, "contoso.com", DomainType.InternalRelay, true);
        assertThat(relay.MatchSubDomains()).isTrue();
        assertThat(relay.WhenCreated()).isEqualTo(plain.WhenCreated());
        assertThat(directory.resolveRecipient("x@eu.contoso.com")).isInstanceOf(RecipientResolution.Accepted.class);

        AcceptedDomain typeOnly = domains.set(contoso, "contoso.com", DomainType.InternalRelay, null);
        assertThat(typeOnly.MatchSubDomains()).as("unchanged when neither is given otherwise").isTrue();
        AcceptedDomain back = domains.set(contoso, "contoso.com", DomainType.Authoritative, null);
        assertThat(back.MatchSubDomains()).as("dropped with the type that allowed it").isFalse();
        assertThat(domains.get(contoso, "contoso.com")).isEqualTo(back);
        assertThat(directory.resolveRecipient("x@eu.contoso.com")).isInstanceOf(RecipientResolution.NoTenant.class);
    }

    @Test
    void domainTypesParseIgnoringCaseAndAnUnknownOneIsNamed() {
        assertThat(DomainType.parse("internalrelay")).isEqualTo(DomainType.InternalRelay);
        assertThat(DomainType.parse("AUTHORITATIVE")).isEqualTo(DomainType.Authoritative);
        assertThatThrownBy(() -> DomainType.parse("ExternalRelay")).isInstanceOf(ValidationException.class)
                .hasMessage("DomainType 'ExternalRelay' is not valid: use Authoritative or InternalRelay");
    }

    @Test
    void aParentSeveralLevelsAboveAnotherOrganizationsDomainIsRefused() {
        domains.create(fabrikam, "mail.eu.fabrikam.net", DomainType.Authoritative, false);
        assertThatThrownBy(() -> domains.create(contoso, "fabrikam.net", DomainType.InternalRelay, true))
                .hasMessage("-DomainName 'fabrikam.net': the domain is a parent of 'mail.eu.fabrikam.net', an accepted domain of another"
                        + " organization; only the operator can add it, with -AllowOverlapWithOtherOrganization");
        assertThatThrownBy(() -> domains.create(contoso, "eu.fabrikam.net", DomainType.Authoritative, false))
                .hasMessageContaining("a parent of 'mail.eu.fabrikam.net'");
        assertThatThrownBy(() -> domains.create(contoso, "x.mail.eu.fabrikam.net", DomainType.Authoritative, false))
                .hasMessageContaining("a subdomain of 'mail.eu.fabrikam.net'");
        assertThat(domains.create(contoso, "ail.eu.fabrikam.net", DomainType.Authoritative, false).DomainName())
                .as("a sibling that merely ends with the same letters").isEqualTo("ail.eu.fabrikam.net");
        assertThat(domains.create(contoso, "fabrikam.net.example", DomainType.Authoritative, false).DomainName())
                .as("the other domain as a label prefix, not a parent").isEqualTo("fabrikam.net.example");
        assertThat(domains.list(contoso)).extracting(AcceptedDomain::DomainName)
                .containsExactly("ail.eu.fabrikam.net", "fabrikam.net.example");
    }

    @Test
    void theOperatorsOverrideAllowsAnOverlapAndTheExactDomainWinsAtRcpt() {
        domains.create(fabrikam, "fabrikam.com", DomainType.InternalRelay, true);
        AcceptedDomain sub = domains.create(contoso, "Hosted", "hosted.fabrikam.com", DomainType.Authoritative, false, true);
        assertThat(sub.tenantId()).isEqualTo(contoso);
        new MailboxService(store).create(contoso, "Hosted", "user@hosted.fabrikam.com", null);
        assertThat(directory.resolveRecipient("user@hosted.fabrikam.com")).isInstanceOfSatisfying(RecipientResolution.Accepted.class,
                a -> assertThat(a.tenantId()).isEqualTo(contoso));
        assertThat(directory.resolveRecipient("nobody@hosted.fabrikam.com")).as("Contoso's Authoritative domain, not Fabrikam's relay")
                .isEqualTo(new RecipientResolution.UnknownRecipient(contoso));
        assertThat(directory.resolveRecipient("x@other.fabrikam.com")).isInstanceOfSatisfying(RecipientResolution.Accepted.class,
                a -> assertThat(a.tenantId()).isEqualTo(fabrikam));
        assertThatThrownBy(() -> domains.create(contoso, null, "hosted.fabrikam.com", DomainType.Authoritative, false, true))
                .as("the override never allows the same domain twice")
                .hasMessage("An accepted domain with the domain name 'hosted.fabrikam.com' already exists");
    }

    @Test
    void aDomainIsFoundAndRemovedByItsNameOrItsDomainNameAndRemovalIsSeenAtOnce() {
        AcceptedDomain d = domains.create(contoso, "Primary", "contoso.com", DomainType.Authoritative, false);
        assertThat(d.Identity()).isEqualTo("Primary");
        assertThat(d.WhenCreated()).isBeforeOrEqualTo(Instant.now());
        assertThat(domains.get(contoso, " primary ")).isEqualTo(d);
        assertThatThrownBy(() -> domains.get(contoso, "Secondary")).isInstanceOf(NotFoundException.class)
                .hasMessage("The accepted domain 'Secondary' couldn't be found");
        assertThat(directory.resolveRecipient("x@contoso.com")).isInstanceOf(RecipientResolution.UnknownRecipient.class);
        domains.remove(contoso, "PRIMARY");
        assertThat(domains.list(contoso)).isEmpty();
        assertThat(directory.resolveRecipient("x@contoso.com")).isInstanceOf(RecipientResolution.NoTenant.class);
        assertThatThrownBy(() -> domains.remove(contoso, "Primary")).isInstanceOf(NotFoundException.class);
        assertThat(domains.create(fabrikam, "contoso.com", DomainType.Authoritative, false).tenantId())
                .as("a removed domain is free for another organization").isEqualTo(fabrikam);
    }

    @Test
    void removalIsRefusedWhileAMailboxAddressUsesTheDomainAndCountsThem() {
        domains.create(contoso, "contoso.com", DomainType.Authoritative, false);
        domains.create(contoso, "contoso.org", DomainType.Authoritative, false);
        MailboxService mailboxes = new MailboxService(store);
        mailboxes.create(contoso, "Alice", "alice@contoso.com", List.of("alice@contoso.org"));
        mailboxes.create(contoso, "Bob", "bob@contoso.org", List.of("robert@contoso.org"));
        assertThatThrownBy(() -> domains.remove(contoso, "contoso.org")).isInstanceOf(ValidationException.class)
                .hasMessage("The accepted domain 'contoso.org' can't be removed because 3 email address(es) of recipients use it");
        assertThat(domains.list(contoso)).hasSize(2);
        mailboxes.set(contoso, "Alice", null, List.of("SMTP:alice@contoso.com"));
        mailboxes.remove(contoso, "Bob");
        domains.remove(contoso, "contoso.org");
        assertThat(domains.list(contoso)).extracting(AcceptedDomain::DomainName).containsExactly("contoso.com");
    }

    @Test
    void anotherOrganizationsAddressesNeverBlockARemoval() {
        domains.create(contoso, "contoso.com", DomainType.Authoritative, false);
        domains.create(fabrikam, "fabrikam.com", DomainType.Authoritative, false);
        new MailboxService(store).create(fabrikam, "Carol", "carol@fabrikam.com", null);
        domains.remove(contoso, "contoso.com");
        assertThat(domains.list(contoso)).isEmpty();
        assertThat(domains.list(fabrikam)).hasSize(1);
    }
}
