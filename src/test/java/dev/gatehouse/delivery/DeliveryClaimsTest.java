// Claims across nodes and restarts: another node's lease is respected until it ends, and a stop waits for the batch in flight.
package dev.gatehouse.delivery;

import static dev.gatehouse.queue.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.directory.AcceptedDomainService;
import dev.gatehouse.directory.DomainType;
import dev.gatehouse.directory.Mailbox;
import dev.gatehouse.directory.MailboxService;
import dev.gatehouse.directory.Tenant;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.queue.IncomingMessage;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.queue.MessageTraceEvent;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;
import dev.gatehouse.trace.TraceService;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class DeliveryClaimsTest extends StoreTestBase {

    private Tenant tenant;
    private Mailbox alice;
    private Path mailRoot;
    private final List<DeliveryWorker> workers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        tenant = new TenantService(store).create("Contoso");
        new AcceptedDomainService(store).create(tenant.id(), "contoso.com", DomainType.Authoritative, false);
        alice = new MailboxService(store).create(tenant.id(), "Alice", "alice@contoso.com", null);
        mailRoot = db.dir().resolve("mail");
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(DeliveryWorker::close);
    }

    private DeliveryWorker start() {
        DeliveryWorker w = new DeliveryWorker(store, mailRoot, DeliveryWorkerTest.FAST);
        workers.add(w);
        w.start();
        return w;
    }

    private IncomingMessage toAlice() {
        return message(List.of(new QueuedRecipient(tenant.id(), alice.PrimarySmtpAddress(), alice.id())));
    }

    private Path aliceDir() { return mailRoot.resolve(tenant.Guid()).resolve("alice@contoso.com"); }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    private long count(String sql) { return dev.gatehouse.queue.TestMessages.count(store, sql); }

    /**
     * Node B claimed the recipient, published its copy and died before recording the outcome. On PostgreSQL
     * this node leaves B's claim alone while B's lease runs (B may still be working), then takes it over and
     * finds B's copy instead of delivering a second one. On SQLite no other process can hold a claim, so a
     * start frees it at once; the copy is found all the same.
     */
    @Test
    void aClaimLeftByAnotherNodeIsTakenOverWhenItsLeaseEndsWithoutDeliveringTwice() throws IOException {
        IncomingMessage m = toAlice();
        new MessageQueue(store).enqueue(m).join();
        long row = count("SELECT id FROM recipients");
        long leaseEnds = System.currentTimeMillis() + 5_000;   // room for the 600 ms check below on a busy machine
        store.writeAndWait(ctx -> {
            var ps = ctx.prepare("UPDATE recipients SET claim_owner = 'node-b', lease_until = ?, claims = 1");
            ps.setLong(1, leaseEnds);
            return ps.executeUpdate();
        });
        String name = Maildir.nameFor(m.receivedAt(), m.networkMessageId(), row);
        Maildir.publish(Maildir.write(aliceDir(), name, m.content()));

        start();
        if (kind == TestDatabase.Kind.POSTGRES) {
            await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(4))
                    .until(() -> count("SELECT COUNT(*) FROM recipients WHERE status = 'Pending' AND claim_owner = 'node-b'") == 1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT COUNT(*) FROM recipients WHERE status = 'Delivered'") == 1);
        if (kind == TestDatabase.Kind.POSTGRES) assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(leaseEnds);
        assertThat(files(aliceDir().resolve("new"))).extracting(p -> p.getFileName().toString()).containsExactly(name);
        assertThat(files(aliceDir().resolve("tmp"))).isEmpty();
        assertThat(new TraceService(store).events(tenant.id(), m.networkMessageId())).extracting(MessageTraceEvent::detail)
                .anyMatch(d -> d.endsWith("(delivered by an interrupted attempt)"));
    }

    /** A stop while a batch is in flight lets it finish: every claimed recipient has its outcome, every outcome its file. */
    @Test
    void closingWhileABatchIsInFlightWaitsForItsOutcomesAndTheNextStartDeliversTheRest() throws IOException {
        MessageQueue queue = new MessageQueue(store);
        List<IncomingMessage> sent = new ArrayList<>();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            IncomingMessage m = toAlice();
            sent.add(m);
            writes.add(queue.enqueue(m));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();

        DeliveryWorker first = start();
        await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT COUNT(*) FROM recipients WHERE claim_owner IS NOT NULL OR status = 'Delivered'") > 0);
        first.close();

        assertThat(count("SELECT COUNT(*) FROM recipients WHERE claim_owner IS NOT NULL")).as("no claim is left running").isZero();
        long delivered = count("SELECT COUNT(*) FROM recipients WHERE status = 'Delivered'");
        assertThat(delivered).isPositive();
        assertThat(files(aliceDir().resolve("new"))).hasSize((int) delivered);
        assertThat(files(aliceDir().resolve("tmp"))).isEmpty();
        assertThat(first.stats().delivered()).isEqualTo(delivered);

        start();
        await().atMost(Duration.ofSeconds(15)).until(() -> count("SELECT COUNT(*) FROM recipients WHERE status = 'Delivered'") == 300);
        List<String> held = new ArrayList<>();
        for (Path f : files(aliceDir().resolve("new"))) held.add(Files.readString(f));
        assertThat(held).containsExactlyInAnyOrderElementsOf(sent.stream().map(m -> new String(m.content())).toList());
    }
}
