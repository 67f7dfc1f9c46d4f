// Local delivery: Maildir bytes, relay placeholder, retry with backoff, give-up age, resume after restart.
package dev.gatehouse.delivery;

import dev.gatehouse.directory.AcceptedDomainService;
import dev.gatehouse.directory.DomainType;
import dev.gatehouse.directory.Mailbox;
import dev.gatehouse.directory.MailboxService;
import dev.gatehouse.directory.Tenant;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.queue.ClaimedRecipient;
import dev.gatehouse.queue.DeliveryLedger;
import dev.gatehouse.queue.IncomingMessage;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.queue.RecipientStatus;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;
import dev.gatehouse.queue.MessageTraceEvent;
import dev.gatehouse.queue.TraceEventType;
import dev.gatehouse.trace.TraceService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static dev.gatehouse.queue.TestMessages.count;
import static dev.gatehouse.queue.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class DeliveryWorkerTest extends StoreTestBase {
    static final DeliverySettings FAST = DeliverySettings.defaults()
            .withPollInterval(Duration.ofMillis(20)).withBackoff(Duration.ofMillis(50), Duration.ofMillis(200));

    private Tenant tenant;
    private Mailbox alice;
    private Path mailRoot;
    private DeliveryWorker worker;

    @BeforeEach
    void setUp() {
        tenant = new TenantService(store).create("Contoso");
        new AcceptedDomainService(store).create(tenant.id(), "contoso.com", DomainType.Authoritative, false);
        new AcceptedDomainService(store).create(tenant.id(), "contoso.org", DomainType.InternalRelay, false);
        alice = new MailboxService(store).create(tenant.id(), "Alice", "alice@contoso.com", null);
        mailRoot = db.dir().resolve("mail");
    }

    @AfterEach
    void stopWorker() {
        if (worker != null) worker.close();
    }

    private DeliveryWorker start(DeliverySettings settings) {
        worker = new DeliveryWorker(store, mailRoot, settings);
        worker.start();
        return worker;
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

    private long status(String status) {
        return count(store, "SELECT COUNT(*) FROM recipients WHERE status = '" + status + "'");
    }

    @Test
    void deliversIntoTheMailboxMaildirWithTheExactBytes() throws IOException {
        MessageQueue queue = new MessageQueue(store);
        start(FAST);
        queue.onEnqueued(worker::wakeUp);
        IncomingMessage m = toAlice();
        queue.enqueue(m).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> status("Delivered") == 1);
        List<Path> delivered = files(aliceDir().resolve("new"));
        assertThat(delivered).hasSize(1);
        assertThat(Files.readAllBytes(delivered.getFirst())).isEqualTo(m.content());
        // the name is the same on every attempt and every node: received second, network message id, recipient row
        long row = count(store, "SELECT id FROM recipients");
        assertThat(delivered.getFirst().getFileName().toString())
                .isEqualTo(m.receivedAt().getEpochSecond() + ".G" + m.networkMessageId().replace("-", "") + "R" + row + ".gatehouse");
        assertThat(files(aliceDir().resolve("tmp"))).isEmpty();
        assertThat(Files.isDirectory(aliceDir().resolve("cur"))).isTrue();
        assertThat(new TraceService(store).events(tenant.id(), m.networkMessageId())).extracting(MessageTraceEvent::event)
                .containsExactly(TraceEventType.Receive, TraceEventType.Deliver);
        assertCounted(() -> worker.stats().delivered(), 1);
    }

    /**
     * A worker counts an outcome after the store's commit of it returns, so a test that has just seen the row
     * change waits for the count (briefly: the worker's own thread is a few statements behind), then holds it to
     * exactly the expected number.
     */
    static void assertCounted(java.util.function.LongSupplier counter, long expected) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> counter.getAsLong() >= expected);
        assertThat(counter.getAsLong()).isEqualTo(expected);
    }

    /**
     * The queue hands local delivery the accepted bytes so a first delivery need not read them back: each
     * recipient's copy (shared stamp, its own stamp, a rule's variant) must be the one the store would give, to the
     * byte and in the file name, and a copy not handed over (a second message, enqueued before the hand-over was
     * wired) is read from the store as before.
     */
    @Test
    void theCopyHandedOverAtAcceptIsTheCopyTheStoreHolds() throws IOException {
        Mailbox bob = new MailboxService(store).create(tenant.id(), "Bob", "bob@contoso.com", null);
        Mailbox carol = new MailboxService(store).create(tenant.id(), "Carol", "carol@contoso.com", null);
        String shared = "X-Stamp: shared\r\n";
        IncomingMessage base = toAlice();
        byte[] edited = new String(base.content(), java.nio.charset.StandardCharsets.US_ASCII)
                .replace("Body of", "Edited body of").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        List<QueuedRecipient> to = List.of(
                new QueuedRecipient(tenant.id(), alice.PrimarySmtpAddress(), alice.id()).withStamp(shared),
                new QueuedRecipient(tenant.id(), bob.PrimarySmtpAddress(), bob.id()).withStamp("X-Stamp: bob's own\r\n"),
                new QueuedRecipient(tenant.id(), carol.PrimarySmtpAddress(), carol.id()).withStamp(shared)
                        .withVerdict(carol.PrimarySmtpAddress(), carol.id(), RecipientStatus.Pending, null, 0));
        IncomingMessage m = new IncomingMessage(base.networkMessageId(), Instant.parse("2026-12-06T10:00:00.123456789Z"),
                base.mailFrom(), base.clientIp(), base.helo(), base.tlsProtocol(), base.tlsCipher(), base.internetMessageId(),
                base.subject(), base.headerFrom(), base.content(), base.content().length, to, List.of(edited), List.of(), null);
        IncomingMessage notHandedOver = toAlice();

        MessageQueue queue = new MessageQueue(store);
        queue.enqueue(notHandedOver).join();
        start(FAST);
        queue.handOverTo(worker::handOver);
        queue.onEnqueued(worker::wakeUp);
        queue.enqueue(m).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> status("Delivered") == 4);
        assertThat(worker.handOversTaken()).isEqualTo(3);

        DeliveryLedger ledger = new DeliveryLedger(store, "reader");
        for (Mailbox box : List.of(alice, bob, carol)) {
            Path dir = mailRoot.resolve(tenant.Guid()).resolve(box.PrimarySmtpAddress()).resolve("new");
            long row = count(store, "SELECT id FROM recipients WHERE address = '" + box.PrimarySmtpAddress() + "' AND message_id = "
                    + "(SELECT id FROM messages WHERE network_message_id = '" + m.networkMessageId() + "')");
            ClaimedRecipient r = new ClaimedRecipient(row, count(store, "SELECT message_id FROM recipients WHERE id = " + row),
                    tenant.id(), box.PrimarySmtpAddress(), box.id(), 0, 1);
            DeliveryLedger.Target stored = ledger.target(r);
            Path file = dir.resolve(Maildir.nameFor(stored.receivedAt(), stored.networkMessageId(), row));
            assertThat(file).as(box.PrimarySmtpAddress()).exists();
            assertThat(Files.readAllBytes(file)).as(box.PrimarySmtpAddress()).isEqualTo(stored.content());
        }
        assertThat(new String(Files.readAllBytes(files(mailRoot.resolve(tenant.Guid()).resolve("carol@contoso.com").resolve("new"))
                .getFirst()), java.nio.charset.StandardCharsets.US_ASCII)).contains("Edited body of").contains("X-Stamp: shared");
        assertThat(new String(Files.readAllBytes(files(mailRoot.resolve(tenant.Guid()).resolve("bob@contoso.com").resolve("new"))
                .getFirst()), java.nio.charset.StandardCharsets.US_ASCII)).contains("X-Stamp: bob's own").doesNotContain("shared");
        assertThat(files(aliceDir().resolve("new"))).hasSize(2);
    }

    /** Simulates a claim that ended in a crash after the copy was published but before its outcome was written. */
    private String interruptedAfterPublishing(IncomingMessage m, String where) throws IOException {
        long row = count(store, "SELECT id FROM recipients");
        store.writeAndWait(ctx -> {
            ctx.prepare("UPDATE recipients SET claims = 1").executeUpdate();
            return null;
        });
        String name = Maildir.nameFor(m.receivedAt(), m.networkMessageId(), row);
        Path dir = aliceDir().resolve(where);
        Files.createDirectories(dir);
        Files.createDirectories(aliceDir().resolve("tmp"));
        Files.createDirectories(aliceDir().resolve(where.equals("new") ? "cur" : "new"));
        Files.write(dir.resolve(where.equals("cur") ? name + ":2,S" : name), m.content());
        return name;
    }

    @Test
    void aCopyAnInterruptedAttemptAlreadyPublishedIsRecordedNotDeliveredAgain() throws IOException {
        IncomingMessage m = toAlice();
        new MessageQueue(store).enqueue(m).join();
        String name = interruptedAfterPublishing(m, "new");
        start(FAST);
        await().atMost(Duration.ofSeconds(10)).until(() -> status("Delivered") == 1);
        assertThat(files(aliceDir().resolve("new"))).extracting(p -> p.getFileName().toString()).containsExactly(name);
        assertThat(new TraceService(store).events(tenant.id(), m.networkMessageId())).extracting(MessageTraceEvent::detail)
                .anyMatch(d -> d.contains("delivered by an interrupted attempt"));
    }

    @Test
    void aCopyTheMailClientAlreadyMovedToCurIsFoundWhenAnAttemptWasInterrupted() throws IOException {
        IncomingMessage m = toAlice();
        new MessageQueue(store).enqueue(m).join();
        String name = interruptedAfterPublishing(m, "cur");
        start(FAST);
        await().atMost(Duration.ofSeconds(10)).until(() -> status("Delivered") == 1);
        assertThat(files(aliceDir().resolve("new"))).isEmpty();
        assertThat(files(aliceDir().resolve("cur"))).extracting(p -> p.getFileName().toString()).containsExactly(name + ":2,S");
    }

    @Test
    void aLeftoverTmpFileOfAnInterruptedWriteIsOverwrittenNotPublishedTwice() throws IOException {
        IncomingMessage m = toAlice();
        new MessageQueue(store).enqueue(m).join();
        long row = count(store, "SELECT id FROM recipients");
        String name = Maildir.nameFor(m.receivedAt(), m.networkMessageId(), row);
        Files.createDirectories(aliceDir().resolve("tmp"));
        Files.createDirectories(aliceDir().resolve("new"));
        Files.createDirectories(aliceDir().resolve("cur"));
        Files.writeString(aliceDir().resolve("tmp").resolve(name), "half a mess");
        start(FAST);
        await().atMost(Duration.ofSeconds(10)).until(() -> status("Delivered") == 1);
        assertThat(files(aliceDir().resolve("tmp"))).isEmpty();
        assertThat(files(aliceDir().resolve("new"))).singleElement().satisfies(p -> assertThat(Files.readAllBytes(p)).isEqualTo(m.content()));
    }

    @Test
    void internalRelayRecipientsWithoutMailboxGoToTheRelayPlaceholder() throws IOException {
        MessageQueue queue = new MessageQueue(store);
        start(FAST);
        queue.enqueue(message(List.of(new QueuedRecipient(tenant.id(), "bob/../x@contoso.org", null)))).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> status("Delivered") == 1);
        Path dir = mailRoot.resolve(tenant.Guid()).resolve("_relay").resolve("bob%2F..%2Fx@contoso.org").resolve("new");
        assertThat(files(dir)).hasSize(1);
    }

    @Test
    void deferWithBackoffWhileTheMaildirIsUnwritableThenDeliver() throws IOException {
        Files.createDirectories(mailRoot);
        Path blocker = mailRoot.resolve(tenant.Guid());
        Files.writeString(blocker, "a file where the tenant directory should be");
        MessageQueue queue = new MessageQueue(store);
        start(FAST);
        IncomingMessage m = toAlice();
        queue.enqueue(m).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> count(store, "SELECT COUNT(*) FROM recipients WHERE attempts >= 2") == 1);
        assertThat(status("Pending")).isEqualTo(1);
        List<MessageTraceEvent> events = new TraceService(store).events(tenant.id(), m.networkMessageId());
        assertThat(events).filteredOn(e -> e.event() == TraceEventType.Defer).isNotEmpty()
                .allSatisfy(e -> assertThat(e.detail()).startsWith("FileSystemException: " + tenant.Guid() + "/alice@contoso.com"));
        Files.delete(blocker);
        await().atMost(Duration.ofSeconds(10)).until(() -> status("Delivered") == 1);
        assertThat(files(aliceDir().resolve("new"))).hasSize(1);
        assertThat(new TraceService(store).events(tenant.id(), m.networkMessageId()).getLast().event()).isEqualTo(TraceEventType.Deliver);
    }

    /**
     * Delivery remembers the Maildirs it has created and stops checking for them; a Maildir (or one of its
     * directories) removed while the gateway runs is created again and the mail still arrives, not deferred.
     */
    @Test
    void aMaildirRemovedWhileTheGatewayRunsIsCreatedAgainAndMailStillArrives() throws IOException {
        MessageQueue queue = new MessageQueue(store);
        start(FAST);
        queue.onEnqueued(worker::wakeUp);
        List<IncomingMessage> sent = new java.util.ArrayList<>();
        for (String removed : List.of("nothing yet", "the tenant's directory", "tmp", "new", "tmp+new")) {
            switch (removed) {
                case "nothing yet" -> { }
                case "the tenant's directory" -> deleteTree(mailRoot.resolve(tenant.Guid()));
                default -> { for (String sub : removed.split("\\+")) deleteTree(aliceDir().resolve(sub)); }
            }
            for (Path f : files(aliceDir().resolve("new"))) Files.delete(f); // only this round's copy counts
            IncomingMessage m = toAlice();
            sent.add(m);
            queue.enqueue(m).join();
            await().atMost(Duration.ofSeconds(10)).until(() -> status("Delivered") == sent.size());
            assertThat(files(aliceDir().resolve("new"))).as("after removing '%s'", removed).singleElement()
                    .satisfies(p -> assertThat(Files.readAllBytes(p)).isEqualTo(m.content()));
            assertThat(files(aliceDir().resolve("tmp"))).isEmpty();
        }
        assertThat(status("Pending")).isZero();
        assertThat(worker.stats().deferred()).as("nothing waited for a retry").isZero();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @Test
    void backoffDoublesUpToTheCap() {
        DeliverySettings s = DeliverySettings.defaults();
        assertThat(s.backoff(1)).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.backoff(2)).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.backoff(3)).isEqualTo(Duration.ofMinutes(4));
        assertThat(s.backoff(7)).isEqualTo(Duration.ofHours(1));
        assertThat(s.backoff(500)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aMessageOlderThanMaxAgeFailsInsteadOfDeferring() throws IOException {
        Files.createDirectories(mailRoot);
        Files.writeString(mailRoot.resolve(tenant.Guid()), "blocker");
        MessageQueue queue = new MessageQueue(store);
        start(FAST.withMaxAge(Duration.ofDays(2)));
        IncomingMessage old = message(Instant.now().minus(Duration.ofDays(3)),
                List.of(new QueuedRecipient(tenant.id(), alice.PrimarySmtpAddress(), alice.id())));
        queue.enqueue(old).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> status("Failed") == 1);
        assertThat(new TraceService(store).events(tenant.id(), old.networkMessageId()).getLast().event()).isEqualTo(TraceEventType.Fail);
    }

    @Test
    void afterARestartEveryPendingRecipientIsDelivered() throws IOException {
        MessageQueue queue = new MessageQueue(store);
        for (int i = 0; i < 20; i++) queue.enqueue(toAlice()).join();
        // A claim left behind by a crashed run of this process must not block delivery after the restart.
        String staleOwner = FAST.ownerId();
        store.writeAndWait(ctx -> {
            var ps = ctx.prepare("UPDATE recipients SET claim_owner = ?, lease_until = ? WHERE id IN (SELECT id FROM recipients LIMIT 5)");
            ps.setString(1, staleOwner);
            ps.setLong(2, System.currentTimeMillis() + 3_600_000);
            return ps.executeUpdate();
        });
        queue.close();
        restart();
        start(FAST);
        await().atMost(Duration.ofSeconds(15)).until(() -> status("Delivered") == 20);
        assertThat(files(aliceDir().resolve("new"))).hasSize(20);
    }

    /**
     * Delivery works in batches made durable by one flush: a batch that holds a recipient whose Maildir
     * cannot be written delivers every other message intact and defers only that one.
     */
    @Test
    void oneBadMaildirInABatchDefersOnlyItsRecipient() throws IOException {
        Mailbox bob = new MailboxService(store).create(tenant.id(), "Bob", "bob@contoso.com", null);
        Files.createDirectories(mailRoot.resolve(tenant.Guid()));
        Files.writeString(mailRoot.resolve(tenant.Guid()).resolve("bob@contoso.com"), "a file where Bob's Maildir should be");
        MessageQueue queue = new MessageQueue(store);
        List<IncomingMessage> toAlice = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            IncomingMessage m = toAlice();
            toAlice.add(m);
            queue.enqueue(m).join();
            if (i == 20) queue.enqueue(message(List.of(new QueuedRecipient(tenant.id(), bob.PrimarySmtpAddress(), bob.id())))).join();
        }
        start(FAST); // everything is due at once: it goes out in one claim, one batch
        await().atMost(Duration.ofSeconds(10)).until(() -> status("Delivered") == 40
                && count(store, "SELECT COUNT(*) FROM recipients WHERE attempts >= 1 AND status = 'Pending'") == 1);
        assertThat(files(aliceDir().resolve("new"))).hasSize(40);
        assertAliceHoldsExactly(toAlice);
        assertCounted(() -> worker.stats().delivered(), 40);
        await().atMost(Duration.ofSeconds(10)).until(() -> worker.stats().deferred() >= 1);
    }

    /** Where syncfs cannot be trusted the batch is made durable with an fsync per file and directory: same result. */
    @Test
    void withoutSyncfsABatchIsDeliveredWithAnFsyncPerFile() throws IOException {
        FileSystemFlush.groupedForTests(false);
        try {
            MessageQueue queue = new MessageQueue(store);
            List<IncomingMessage> sent = new java.util.ArrayList<>();
            for (int i = 0; i < 30; i++) {
                IncomingMessage m = toAlice();
                sent.add(m);
                queue.enqueue(m).join();
            }
            start(FAST);
            await().atMost(Duration.ofSeconds(10)).until(() -> status("Delivered") == 30);
            assertAliceHoldsExactly(sent);
        } finally {
            FileSystemFlush.groupedForTests(true);
        }
    }

    /** Alice's Maildir holds each of {@code sent} once, byte for byte, and nothing is left in tmp/. */
    private void assertAliceHoldsExactly(List<IncomingMessage> sent) throws IOException {
        List<String> held = new java.util.ArrayList<>();
        for (Path f : files(aliceDir().resolve("new"))) held.add(Files.readString(f));
        assertThat(held).containsExactlyInAnyOrderElementsOf(sent.stream().map(m -> new String(m.content())).toList());
        assertThat(files(aliceDir().resolve("tmp"))).isEmpty();
    }
}
