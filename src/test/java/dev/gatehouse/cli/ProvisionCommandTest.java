// `gatehouse provision` in-process against a temp data directory (SQLite) or a fresh PostgreSQL schema.
package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.directory.AcceptedDomain;
import dev.gatehouse.directory.AcceptedDomainService;
import dev.gatehouse.directory.DomainType;
import dev.gatehouse.directory.Mailbox;
import dev.gatehouse.directory.MailboxService;
import dev.gatehouse.directory.Tenant;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class ProvisionCommandTest {

    @Parameter TestDatabase.Kind kind;
    private TestDatabase db;

    @BeforeEach
    void database() { db = new TestDatabase(kind, "gh_cli_"); }

    @AfterEach
    void dropDatabase() { db.close(); }

    private Cli.Result provision(String... args) {
        List<String> all = new ArrayList<>(List.of("provision", "--data-dir", db.dir().resolve("data").toString()));
        if (db.url() != null) all.addAll(List.of("--store", db.url()));
        all.addAll(List.of(args));
        return Cli.run(all.toArray(String[]::new));
    }

    /** Reads what provision left in the store (it must have closed it: SQLite's lock is free again). */
    private <T> T inStore(java.util.function.Function<Store, T> read) {
        try (Store s = db.open()) {
            return read.apply(s);
        }
    }

    @Test
    void createsTheTenantItsDomainAndMailboxesAndSaysWhatItCreated() {
        Cli.Result r = provision("--tenant", "Contoso", "--domain", "contoso.com", "--mailbox", "alice@contoso.com,bob@contoso.com");
        assertThat(r.code()).as("%s", r).isZero();
        Tenant t = inStore(s -> new TenantService(s).get("Contoso"));
        assertThat(r.out()).isEqualTo("tenant Contoso " + t.Guid() + "\naccepted domain contoso.com Authoritative\n"
                + "mailbox alice@contoso.com\nmailbox bob@contoso.com\n");
        List<Mailbox> boxes = inStore(s -> new MailboxService(s).list(t.id()));
        assertThat(boxes).extracting(Mailbox::Name, Mailbox::PrimarySmtpAddress)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("alice", "alice@contoso.com"),
                        org.assertj.core.groups.Tuple.tuple("bob", "bob@contoso.com"));
    }

    @Test
    void runningAgainReusesTheTenantAndRefusesAMailboxThatExists() {
        assertThat(provision("--tenant", "Contoso", "--mailbox", "alice@contoso.com").code()).isEqualTo(2); // no domain yet: refused
        assertThat(provision("--tenant", "Contoso", "--domain", "contoso.com").code()).isZero();
        Cli.Result more = provision("--tenant", "contoso", "--mailbox", "alice@contoso.com");
        assertThat(more.code()).as("%s", more).isZero();
        Cli.Result again = provision("--tenant", "Contoso", "--mailbox", "alice@contoso.com");
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).isEqualTo("gatehouse provision: A mailbox with the name 'alice' already exists\n");
        List<Tenant> tenants = inStore(s -> new TenantService(s).list());
        assertThat(tenants).hasSize(1);
        String guid = inStore(s -> new TenantService(s).get("Contoso").Guid());
        assertThat(more.out()).startsWith("tenant Contoso " + guid + "\n");
        assertThat(again.out()).startsWith("tenant Contoso " + guid + "\n");
    }

    @Test
    void anInternalRelayDomainTypeIsReadWithoutCaseAndAnUnknownOneIsNamed() {
        Cli.Result bad = provision("--tenant", "Contoso", "--domain", "contoso.com", "--domain-type", "Hosted");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("gatehouse provision: DomainType 'Hosted' is not valid: use Authoritative or InternalRelay\n");
        Cli.Result ok = provision("--tenant", "Contoso", "--domain", "contoso.com", "--domain-type", "internalrelay");
        assertThat(ok.code()).as("%s", ok).isZero();
        assertThat(ok.out()).contains("accepted domain contoso.com InternalRelay");
        long tenantId = inStore(s -> new TenantService(s).get("Contoso").id());
        List<AcceptedDomain> domains = inStore(s -> new AcceptedDomainService(s).list(tenantId));
        assertThat(domains).extracting(AcceptedDomain::DomainType)
                .containsExactly(DomainType.InternalRelay);
    }

    @Test
    void aMailboxAddressWithoutADomainIsRefusedNamingIt() {
        provision("--tenant", "Contoso", "--domain", "contoso.com");
        Cli.Result r = provision("--tenant", "Contoso", "--mailbox", "alice");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("gatehouse provision: ").contains("alice");
    }

    /** SQLite is one process's: provision refuses a data directory a running gateway holds, and leaves it alone. */
    @Test
    void aDataDirectoryInUseIsRefused() {
        assumeTrue(kind == TestDatabase.Kind.SQLITE, "the lock belongs to the embedded store");
        try (Store running = db.open()) {
            Cli.Result r = provision("--tenant", "Contoso");
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).startsWith("gatehouse provision: The SQLite store is in use by another Gatehouse process");
            assertThat(new TenantService(running).list()).isEmpty();
        }
    }

    @Test
    void anUnreachableStoreIsNamedWithoutItsPassword() {
        assumeTrue(kind == TestDatabase.Kind.POSTGRES, "one run is enough");
        Cli.Result r = Cli.run("provision", "--tenant", "Contoso", "--store", "jdbc:postgresql://127.0.0.1:1/test?user=gh&password=hunter2");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("gatehouse provision: ").contains("127.0.0.1:1").doesNotContain("hunter2");
    }
}
