// The directory snapshot's freshness contract: this node's change at the next lookup, another node's within the recheck interval.
package dev.gatehouse.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.directory.RecipientResolution.Accepted;
import dev.gatehouse.directory.RecipientResolution.NoTenant;
import dev.gatehouse.directory.RecipientResolution.UnknownRecipient;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class DirectoryFreshnessTest extends StoreTestBase {
    private Tenant contoso;
    private AcceptedDomainService domains;
    private MailboxService mailboxes;

    @BeforeEach
    void setUp() {
        contoso = new TenantService(store).create("Contoso");
        domains = new AcceptedDomainService(store);
        mailboxes = new MailboxService(store);
        domains.create(contoso.id(), "contoso.com", DomainType.Authoritative, false);
    }

    @Test
    void everyKindOfLocalChangeIsSeenByTheVeryNextLookupEvenWithALongRecheckInterval() {
        Directory directory = new Directory(store, Duration.ofHours(1));
        assertThat(directory.resolveRecipient("x@contoso.com")).isEqualTo(new UnknownRecipient(contoso.id()));

        domains.set(contoso.id(), "contoso.com", DomainType.InternalRelay, null);
        assertThat(directory.resolveRecipient("x@contoso.com")).as("domain type")
                .isEqualTo(new Accepted(contoso.id(), contoso.Guid(), "contoso.com", DomainType.InternalRelay, null, "x@contoso.com"));

        domains.set(contoso.id(), "contoso.com", null, true);
        assertThat(directory.isAcceptedDomain(contoso.id(), "eu.contoso.com")).as("MatchSubDomains").isTrue();

        Mailbox x = mailboxes.create(contoso.id(), "X", "x@contoso.com", null);
        assertThat(directory.resolveRecipient("x@contoso.com")).as("new mailbox")
                .isInstanceOfSatisfying(Accepted.class, a -> assertThat(a.mailboxId()).isEqualTo(x.id()));

        mailboxes.set(contoso.id(), "X", "xavier@contoso.com", null);
        assertThat(directory.mailboxAddress(contoso.id(), x.id())).as("new primary").isEqualTo("xavier@contoso.com");

        new TenantService(store).set(contoso.id(), "Contoso Renamed");
        assertThat(directory.tenantGuid(contoso.id())).as("a rename keeps the guid mail is filed under").isEqualTo(contoso.Guid());

        new OrganizationConfigService(store).set(contoso.id(), OrganizationSettings.REJECT_DIRECT_SEND, "true");
        assertThat(directory.settings(contoso.id()).rejectDirectSend()).as("organization config").isTrue();

        mailboxes.remove(contoso.id(), "X");
        domains.remove(contoso.id(), "contoso.com");
        assertThat(directory.resolveRecipient("xavier@contoso.com")).as("domain removed").isInstanceOf(NoTenant.class);
    }

    @Test
    void aFailedChangeDoesNotDisturbTheSnapshot() {
        Directory directory = new Directory(store, Duration.ofHours(1));
        mailboxes.create(contoso.id(), "Alice", "alice@contoso.com", null);
        Accepted before = (Accepted) directory.resolveRecipient("alice@contoso.com");
        try {
            mailboxes.create(contoso.id(), "Alice2", "alice@contoso.com", null);
        } catch (RuntimeException expected) {
            // already used
        }
        assertThat(directory.resolveRecipient("alice@contoso.com")).isEqualTo(before);
    }

    @Test
    void lookupsRacingAChangeSeeEitherTheOldOrTheNewDirectoryNeverAnError() throws Exception {
        Directory directory = new Directory(store, Duration.ofMillis(1));
        CountDownLatch done = new CountDownLatch(1);
        ExecutorService readers = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(readers.submit((Callable<Integer>) () -> {
                    int seen = 0;
                    while (done.getCount() > 0) {
                        RecipientResolution r = directory.resolveRecipient("m@contoso.com");
                        assertThat(r).isInstanceOfAny(UnknownRecipient.class, Accepted.class);
                        seen++;
                    }
                    return seen;
                }));
            }
            for (int i = 0; i < 10; i++) {
                mailboxes.create(contoso.id(), "M", "m@contoso.com", null);
                mailboxes.remove(contoso.id(), "M");
            }
            done.countDown();
            for (Future<Integer> f : results) assertThat(f.get(30, TimeUnit.SECONDS)).isPositive();
        } finally {
            readers.shutdownNow();
        }
        assertThat(directory.resolveRecipient("m@contoso.com")).isEqualTo(new UnknownRecipient(contoso.id()));
    }

    @Test
    void anotherNodeSeesAChangeWithinItsRecheckIntervalButNotBefore() {
        Assumptions.assumeTrue(kind == TestDatabase.Kind.POSTGRES, "SQLite is one process by design: there is no other node");
        try (Store other = db.open()) {
            Directory remote = new Directory(other, Duration.ofSeconds(2));
            assertThat(remote.resolveRecipient("late@contoso.com")).isEqualTo(new UnknownRecipient(contoso.id()));
            long changedAt = System.nanoTime();
            Mailbox late = mailboxes.create(contoso.id(), "Late", "late@contoso.com", null);
            RecipientResolution atOnce = remote.resolveRecipient("late@contoso.com");
            if (System.nanoTime() - changedAt < Duration.ofMillis(1500).toNanos()) {
                assertThat(atOnce).as("another node's change is not seen before its recheck").isEqualTo(new UnknownRecipient(contoso.id()));
            }
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> remote.resolveRecipient("late@contoso.com") instanceof Accepted);
            assertThat(Duration.ofNanos(System.nanoTime() - changedAt)).isLessThan(Duration.ofSeconds(10));
            assertThat(remote.mailboxAddress(contoso.id(), late.id())).isEqualTo("late@contoso.com");

            // an explicit refresh needs no interval
            new OrganizationConfigService(store).set(contoso.id(), OrganizationSettings.REJECT_DIRECT_SEND, "true");
            remote.refresh();
            assertThat(remote.settings(contoso.id()).rejectDirectSend()).isTrue();
        }
    }

    @Test
    void aChangeMadeOnAnotherNodeIsSeenHereToo() {
        Assumptions.assumeTrue(kind == TestDatabase.Kind.POSTGRES, "SQLite is one process by design: there is no other node");
        Directory here = new Directory(store, Duration.ofMillis(100));
        assertThat(here.resolveRecipient("bob@contoso.com")).isInstanceOf(UnknownRecipient.class);
        try (Store other = db.open()) {
            new MailboxService(other).create(contoso.id(), "Bob", "bob@contoso.com", null);
            new AcceptedDomainService(other).create(contoso.id(), "contoso.org", DomainType.InternalRelay, false);
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> here.resolveRecipient("bob@contoso.com") instanceof Accepted
                        && here.resolveRecipient("anyone@contoso.org") instanceof Accepted);
    }
}
