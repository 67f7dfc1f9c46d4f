// Mailbox addresses: how primary and proxies are given, normalised, changed and freed, and that one address is one recipient everywhere.
package dev.gatehouse.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;

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
class MailboxAddressesTest extends StoreTestBase {
    private MailboxService mailboxes;
    private Directory directory;
    private long contoso;
    private long fabrikam;

    @BeforeEach
    void setUp() {
        TenantService tenants = new TenantService(store);
        AcceptedDomainService domains = new AcceptedDomainService(store);
        mailboxes = new MailboxService(store);
        directory = new Directory(store);
        contoso = tenants.create("Contoso").id();
        fabrikam = tenants.create("Fabrikam").id();
        domains.create(contoso, "contoso.com", DomainType.Authoritative, false);
        domains.create(contoso, "bücher.example", DomainType.Authoritative, false);
        domains.create(fabrikam, "fabrikam.com", DomainType.InternalRelay, true);
        // the operator let Contoso host a subdomain of Fabrikam's domain
        domains.create(contoso, null, "hosted.fabrikam.com", DomainType.Authoritative, false, true);
    }

    private Long resolvedMailbox(String address) {
        return directory.resolveRecipient(address) instanceof RecipientResolution.Accepted a ? a.mailboxId() : null;
    }

    @Test
    void thePrimaryMayBeGivenAsTheUppercaseSmtpEntryOfTheAddressList() {
        Mailbox m = mailboxes.create(contoso, "Alice", null, List.of("smtp:al@contoso.com", "SMTP:Alice@contoso.com"));
        assertThat(m.PrimarySmtpAddress()).isEqualTo("Alice@contoso.com");
        assertThat(m.EmailAddresses()).containsExactly("SMTP:Alice@contoso.com", "smtp:al@contoso.com");
        assertThat(mailboxes.get(contoso, "Alice")).isEqualTo(m);
    }

    @Test
    void aMailboxWithoutAPrimaryAddressIsRefused() {
        assertThatThrownBy(() -> mailboxes.create(contoso, "Alice", null, List.of("smtp:al@contoso.com")))
                .isInstanceOf(ValidationException.class).hasMessage("PrimarySmtpAddress '' is not valid: a value is required");
        assertThatThrownBy(() -> mailboxes.create(contoso, "Alice", null, null))
                .hasMessage("PrimarySmtpAddress '' is not valid: a value is required");
        assertThatThrownBy(() -> mailboxes.create(contoso, " ", "alice@contoso.com", null)).hasMessage("Name ' ' is not valid: a value is required");
        assertThat(mailboxes.list(contoso)).isEmpty();
    }

    @Test
    void theSameAddressInAnotherCaseIsOneAddress() {
        Mailbox m = mailboxes.create(contoso, "Alice", "Alice@Contoso.com", List.of("ALICE@contoso.COM", "smtp:alice@contoso.com"));
        assertThat(m.EmailAddresses()).containsExactly("SMTP:Alice@contoso.com");
        assertThat(mailboxes.get(contoso, "aLiCe@CoNtOsO.cOm")).isEqualTo(m);
    }

    @Test
    void invalidAddressesAreRefusedNamingTheParameter() {
        assertThatThrownBy(() -> mailboxes.create(contoso, "A", "\"quoted local\"@contoso.com", null))
                .hasMessage("PrimarySmtpAddress '\"quoted local\"@contoso.com' is not a valid SMTP address");
        assertThatThrownBy(() -> mailboxes.create(contoso, "A", "a@contoso.com", List.of("two..dots@contoso.com")))
                .hasMessage("EmailAddresses 'two..dots@contoso.com' is not a valid SMTP address");
        String tooLong = "l".repeat(65) + "@contoso.com";
        assertThatThrownBy(() -> mailboxes.create(contoso, "A", tooLong, null)).hasMessage("PrimarySmtpAddress '" + tooLong + "' is not a valid SMTP address");
        assertThatThrownBy(() -> mailboxes.create(contoso, "A", "jörg@contoso.com", null)).isInstanceOf(ValidationException.class);
        assertThat(mailboxes.create(contoso, "A", "l".repeat(64) + "@contoso.com", null).PrimarySmtpAddress()).startsWith("llll");
    }

    @Test
    void anAddressInAnInternationalizedDomainIsStoredInACEAndResolvesInEitherSpelling() {
        Mailbox m = mailboxes.create(contoso, "Jörg", "joerg@Bücher.example", null);
        assertThat(m.PrimarySmtpAddress()).isEqualTo("joerg@xn--bcher-kva.example");
        assertThat(m.Name()).isEqualTo("Jörg");
        assertThat(resolvedMailbox("JOERG@bücher.example")).isEqualTo(m.id());
        assertThat(resolvedMailbox("joerg@xn--bcher-kva.example")).isEqualTo(m.id());
        assertThat(mailboxes.get(contoso, "joerg@BÜCHER.example")).isEqualTo(m);
    }

    @Test
    void anAddressIsUniqueAcrossOrganizationsEvenWhereTheirDomainsOverlap() {
        // Fabrikam's MatchSubDomains covers hosted.fabrikam.com too, so both tenants could name this address
        Mailbox hosted = mailboxes.create(contoso, "Hosted", "user@hosted.fabrikam.com", null);
        assertThatThrownBy(() -> mailboxes.create(fabrikam, "Copy", "user@HOSTED.fabrikam.com", null)).isInstanceOf(ValidationException.class)
                .hasMessage("The proxy address 'SMTP:user@hosted.fabrikam.com' is already being used by another recipient")
                .message().doesNotContain("Contoso");
        assertThatThrownBy(() -> mailboxes.create(fabrikam, "Carol", "carol@fabrikam.com", List.of("user@hosted.fabrikam.com")))
                .isInstanceOf(ValidationException.class);
        assertThat(mailboxes.list(fabrikam)).isEmpty();
        mailboxes.remove(contoso, hosted.Guid());
        assertThat(mailboxes.create(fabrikam, "Copy", "user@hosted.fabrikam.com", null).tenantId())
                .as("freed by the removal").isEqualTo(fabrikam);
    }

    @Test
    void makingAProxyThePrimaryKeepsTheFormerPrimaryAsAProxyWithoutDuplicates() {
        Mailbox m = mailboxes.create(contoso, "Alice", "alice@contoso.com", List.of("al@contoso.com", "smith@contoso.com"));
        Mailbox changed = mailboxes.set(contoso, "Alice", "AL@contoso.com", null);
        assertThat(changed.PrimarySmtpAddress()).isEqualTo("AL@contoso.com");
        assertThat(changed.EmailAddresses()).containsExactly("SMTP:AL@contoso.com", "smtp:alice@contoso.com", "smtp:smith@contoso.com");
        assertThat(changed.Guid()).isEqualTo(m.Guid());
        assertThat(directory.resolveRecipient("alice@contoso.com")).isInstanceOfSatisfying(RecipientResolution.Accepted.class,
                a -> assertThat(a.canonicalAddress()).as("delivery goes to the new primary").isEqualTo("AL@contoso.com"));
        assertThat(directory.mailboxAddress(contoso, m.id())).isEqualTo("AL@contoso.com");
    }

    @Test
    void anAddressListWithAnUppercaseEntryChangesThePrimaryAndReplacesTheProxies() {
        mailboxes.create(contoso, "Alice", "alice@contoso.com", List.of("al@contoso.com"));
        Mailbox changed = mailboxes.set(contoso, "Alice", null, List.of("smtp:alice@contoso.com", "SMTP:alice.smith@contoso.com"));
        assertThat(changed.EmailAddresses()).containsExactly("SMTP:alice.smith@contoso.com", "smtp:alice@contoso.com");
        assertThat(directory.resolveRecipient("al@contoso.com")).as("a dropped proxy no longer receives mail")
                .isEqualTo(new RecipientResolution.UnknownRecipient(contoso));

        Mailbox kept = mailboxes.set(contoso, "Alice", null, List.of("smith@contoso.com"));
        assertThat(kept.EmailAddresses()).as("no SMTP: entry: the primary stays, the proxies are replaced")
                .containsExactly("SMTP:alice.smith@contoso.com", "smtp:smith@contoso.com");
    }

    @Test
    void aRefusedChangeLeavesEveryAddressAsItWas() {
        Mailbox alice = mailboxes.create(contoso, "Alice", "alice@contoso.com", List.of("al@contoso.com"));
        mailboxes.create(contoso, "Bob", "bob@contoso.com", null);
        assertThatThrownBy(() -> mailboxes.set(contoso, "Alice", null, List.of("SMTP:alice@contoso.com", "bob@contoso.com")))
                .hasMessage("The proxy address 'SMTP:bob@contoso.com' is already being used by another recipient");
        assertThatThrownBy(() -> mailboxes.set(contoso, "Alice", "alice@fabrikam.com", null))
                .hasMessage("The domain 'fabrikam.com' of the email address 'alice@fabrikam.com' isn't an accepted domain for your organization");
        assertThat(mailboxes.get(contoso, "Alice")).isEqualTo(alice);
        assertThat(resolvedMailbox("al@contoso.com")).isEqualTo(alice.id());
    }

    @Test
    void aMailboxIsFoundByNameGuidInAnyCaseOrAnyAddressAndRemovedByAny() {
        Mailbox m = mailboxes.create(contoso, "  Alice Smith  ", "alice@contoso.com", List.of("al@contoso.com"));
        assertThat(m.Name()).isEqualTo("Alice Smith");
        assertThat(m.Identity()).isEqualTo("Alice Smith");
        assertThat(mailboxes.get(contoso, "ALICE SMITH")).isEqualTo(m);
        assertThat(mailboxes.get(contoso, m.Guid().toUpperCase(Locale.ROOT))).isEqualTo(m);
        assertThat(mailboxes.get(contoso, " al@contoso.com ")).isEqualTo(m);
        assertThatThrownBy(() -> mailboxes.get(contoso, null)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> mailboxes.create(contoso, "alice smith", "other@contoso.com", null))
                .hasMessage("A mailbox with the name 'alice smith' already exists");
        assertThat(mailboxes.create(fabrikam, "Alice Smith", "alice@fabrikam.com", null).Name()).as("names are per organization")
                .isEqualTo("Alice Smith");

        mailboxes.remove(contoso, "AL@CONTOSO.COM");
        assertThat(mailboxes.list(contoso)).isEmpty();
        assertThat(directory.resolveRecipient("alice@contoso.com")).isEqualTo(new RecipientResolution.UnknownRecipient(contoso));
        assertThat(directory.mailboxAddress(contoso, m.id())).isNull();
        assertThat(mailboxes.create(contoso, "Alice Smith", "al@contoso.com", null).PrimarySmtpAddress()).isEqualTo("al@contoso.com");
    }

    @Test
    void mailboxesAreListedByName() {
        mailboxes.create(contoso, "carol", "carol@contoso.com", null);
        mailboxes.create(contoso, "Alice", "alice@contoso.com", null);
        mailboxes.create(contoso, "bob", "bob@contoso.com", null);
        assertThat(mailboxes.list(contoso)).extracting(Mailbox::Name).containsExactly("Alice", "bob", "carol");
        assertThatThrownBy(() -> mailboxes.create(999_999, "X", "x@contoso.com", null)).isInstanceOf(NotFoundException.class)
                .hasMessage("The organization with id 999999 couldn't be found");
    }

    @Test
    void aChangeAddressedByAProxyThatItDropsStillReturnsTheChangedMailbox() {
        mailboxes.create(contoso, "Alice", "alice@contoso.com", List.of("al@contoso.com"));
        Mailbox changed = mailboxes.set(contoso, "al@contoso.com", null, List.of("SMTP:alice@contoso.com"));
        assertThat(changed.EmailAddresses()).containsExactly("SMTP:alice@contoso.com");
    }

    @Test
    void theChangeAddressedByADroppedProxyIsNonethelessApplied() {
        // companion of the disabled test above: what an admin finds after the error
        mailboxes.create(contoso, "Alice", "alice@contoso.com", List.of("al@contoso.com"));
        try {
            mailboxes.set(contoso, "al@contoso.com", null, List.of("SMTP:alice@contoso.com"));
        } catch (NotFoundException reported) {
            assertThat(reported).hasMessage("The mailbox 'al@contoso.com' couldn't be found");
        }
        assertThat(mailboxes.get(contoso, "Alice").EmailAddresses()).containsExactly("SMTP:alice@contoso.com");
    }
}
