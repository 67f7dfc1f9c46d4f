// Local delivery giving up: retries spaced by the backoff schedule, then Failed with one NDR; recipients deleted since the accept.
package dev.gatehouse.delivery;

import static dev.gatehouse.queue.TestMessages.count;
import static dev.gatehouse.queue.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.directory.AcceptedDomainService;
import dev.gatehouse.directory.Directory;
import dev.gatehouse.directory.DomainType;
import dev.gatehouse.directory.Mailbox;
import dev.gatehouse.directory.MailboxService;
import dev.gatehouse.directory.Tenant;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.ndr.Bounces;
import dev.gatehouse.queue.IncomingMessage;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.queue.MessageTraceEvent;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.queue.TraceEventType;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;
import dev.gatehouse.trace.TraceService;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class DeliveryGiveUpTest extends StoreTestBase {

    private static final Duration MAX_AGE = Duration.ofDays(2);

    private Tenant tenant;
    private Mailbox alice;
    private Mailbox bob;
    private Path mailRoot;
    private DeliveryWorker worker;

    @BeforeEach
    void setUp() {
        tenant = new TenantService(store).create("Contoso");
        new AcceptedDomainService(store).create(tenant.id(), "contoso.com", DomainType.Authoritative, false);
        alice = new MailboxService(store).create(tenant.id(), "Alice", "alice@contoso.com", null);
        bob = new MailboxService(store).create(tenant.id(), "Bob", "bob@contoso.com", null);
        mailRoot = db.dir().resolve("mail");
    }

    @AfterEach
    void stopWorker() {
        if (worker != null) worker.close();
    }

    private void start(DeliverySettings settings) {
        Directory directory = new Directory(store);
        worker = new DeliveryWorker(store, directory, mailRoot, settings.withMaxAge(MAX_AGE), new Bounces(directory, "mx.gatehouse.test"));
        worker.start();
    }

    /** Alice's Maildir can't be created: a file stands where her tenant's directory should be. */
    private void blockAlice() throws IOException {
        Files.createDirectories(mailRoot);
        Files.writeString(mailRoot.resolve(tenant.Guid()), "a file where the tenant directory should be");
    }

    private IncomingMessage enqueueToAlice(Instant receivedAt, String mailFrom) {
        IncomingMessage m = message(receivedAt, mailFrom, List.of(new QueuedRecipient(tenant.id(), alice.PrimarySmtpAddress(), alice.id())));
        new MessageQueue(store).enqueue(m).join();
        return m;
    }

    private List<MessageTraceEvent> events(IncomingMessage m) { return new TraceService(store).events(tenant.id(), m.networkMessageId()); }

    private long status(String status) { return count(store, "SELECT COUNT(*) FROM recipients WHERE status = '" + status + "'"); }

    /** The one NDR the gateway queued: its recipient's address and status, and its bytes. */
    private record Ndr(String to, String status, String text) {}

    private List<Ndr> ndrs() {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT r.address, r.status, m.content FROM recipients r JOIN messages m"
                    + " ON m.id = r.message_id WHERE m.mail_from = '' ORDER BY r.id"); ResultSet rs = ps.executeQuery()) {
                List<Ndr> out = new java.util.ArrayList<>();
                while (rs.next()) out.add(new Ndr(rs.getString(1), rs.getString(2), new String(rs.getBytes(3), StandardCharsets.UTF_8)));
                return out;
            }
        });
    }

    private static List<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> {
                try {
                    return Files.readString(p, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void aRecipientDeferredUntilItsMessageIsTooOldFailsWithOneNdrToTheSender() throws IOException {
        blockAlice();
        start(DeliveryWorkerTest.FAST);
        // received just under the give-up age ago: the first attempts defer, then the message ages out
        IncomingMessage m = enqueueToAlice(Instant.now().minus(MAX_AGE).plusMillis(4000), "sender@example.net");
        worker.wakeUp();
        await().atMost(Duration.ofSeconds(20)).until(() -> status("Failed") == 1);

        List<TraceEventType> trace = events(m).stream().map(MessageTraceEvent::event).toList();
        assertThat(trace.getFirst()).isEqualTo(TraceEventType.Receive);
        assertThat(trace.subList(1, trace.size() - 2)).isNotEmpty().containsOnly(TraceEventType.Defer);
        assertThat(trace.subList(trace.size() - 2, trace.size())).containsExactly(TraceEventType.Fail, TraceEventType.Ndr);
        assertThat(count(store, "SELECT attempts FROM recipients WHERE address = 'alice@contoso.com'")).isEqualTo(trace.size() - 2);

        // the sender is outside every tenant: the NDR waits for the relay, and says why in the tenant's words
        assertThat(ndrs()).singleElement().satisfies(ndr -> {
            assertThat(ndr.to()).isEqualTo("sender@example.net");
            assertThat(ndr.status()).isEqualTo("AwaitingRelay");
            assertThat(ndr.text()).contains("Subject: Undeliverable: " + m.subject() + "\r\n")
                    .contains("Final-Recipient: rfc822; alice@contoso.com\r\nAction: failed\r\nStatus: 5.4.7\r\n")
                    .contains("Diagnostic-Code: smtp; 550 5.4.7 delivery expired (last error: FileSystemException: "
                            + tenant.Guid() + "/alice@contoso.com")
                    .contains("X-Gatehouse-Network-Message-Id: " + m.networkMessageId())
                    .doesNotContain(mailRoot.toAbsolutePath().toString());
        });
        DeliveryWorkerTest.assertCounted(() -> worker.stats().failed(), 1);
        DeliveryWorkerTest.assertCounted(() -> worker.stats().bounced(), 1);
        assertThat(worker.stats().deferred()).isEqualTo(trace.size() - 3);
    }

    @Test
    void anExpiredMessageFromAMailboxOfTheTenantBouncesIntoThatMailbox() throws IOException {
        Files.createDirectories(mailRoot.resolve(tenant.Guid()));
        Files.writeString(mailRoot.resolve(tenant.Guid()).resolve("alice@contoso.com"), "a file where Alice's Maildir should be");
        start(DeliveryWorkerTest.FAST);
        IncomingMessage m = enqueueToAlice(Instant.now().minus(MAX_AGE.plusHours(1)), "bob@contoso.com");
        worker.wakeUp();
        // the NDR is ordinary local mail: the same worker delivers it to Bob
        await().atMost(Duration.ofSeconds(10)).until(() -> status("Delivered") == 1 && status("Failed") == 1);
        assertThat(files(mailRoot.resolve(tenant.Guid()).resolve("bob@contoso.com").resolve("new"))).singleElement().asString()
                .contains("From: Mail Delivery System <postmaster@mx.gatehouse.test>\r\n")
                .contains("To: <bob@contoso.com>\r\n")
                .contains("Final-Recipient: rfc822; alice@contoso.com")
                .contains("Message-ID: " + m.internetMessageId()); // the original's header fields are attached
        assertThat(events(m)).extracting(MessageTraceEvent::event).containsExactly(TraceEventType.Receive, TraceEventType.Fail, TraceEventType.Ndr);
    }

    @Test
    void anExpiredMessageWithANullSenderFailsWithoutAnNdr() throws IOException {
        blockAlice();
        start(DeliveryWorkerTest.FAST);
        IncomingMessage m = enqueueToAlice(Instant.now().minus(MAX_AGE.plusHours(1)), "");
        worker.wakeUp();
        await().atMost(Duration.ofSeconds(10)).until(() -> status("Failed") == 1);
        // a bounce of a bounce would loop between two gateways (RFC 5321 §6.1): nothing is queued
        assertThat(count(store, "SELECT COUNT(*) FROM recipients")).isEqualTo(1);
        assertThat(events(m)).extracting(MessageTraceEvent::event).containsExactly(TraceEventType.Receive, TraceEventType.Fail);
        assertThat(worker.stats().bounced()).isZero();
    }

    @Test
    void aMailboxRemovedSinceTheAcceptFailsAtOnceWith511AndGetsNoMaildir() throws IOException {
        IncomingMessage m = enqueueToAlice(Instant.now(), "sender@example.net");
        new MailboxService(store).remove(tenant.id(), "alice@contoso.com");
        start(DeliveryWorkerTest.FAST);
        await().atMost(Duration.ofSeconds(10)).until(() -> status("Failed") == 1);
        assertThat(events(m)).filteredOn(e -> e.event() == TraceEventType.Fail).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo("the tenant or mailbox no longer exists"));
        assertThat(ndrs()).singleElement().satisfies(ndr -> assertThat(ndr.text())
                .contains("Status: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 the recipient no longer exists\r\n"));
        assertThat(mailRoot.resolve(tenant.Guid()).resolve("alice@contoso.com")).doesNotExist();
        assertThat(worker.stats().deferred()).as("not retried: the mailbox won't come back by waiting").isZero();
    }

    @Test
    void aTenantRemovedSinceTheAcceptFailsItsRecipientsAndWritesNothingUnderItsGuid() {
        IncomingMessage m = enqueueToAlice(Instant.now(), "sender@example.net");
        new TenantService(store).remove(tenant.id());
        start(DeliveryWorkerTest.FAST);
        await().atMost(Duration.ofSeconds(10)).until(() -> status("Failed") == 1);
        assertThat(events(m)).extracting(MessageTraceEvent::event).containsExactly(TraceEventType.Receive, TraceEventType.Fail, TraceEventType.Ndr);
        assertThat(mailRoot.resolve(tenant.Guid())).doesNotExist();
        DeliveryWorkerTest.assertCounted(() -> worker.stats().failed(), 1);
    }

    @Test
    void eachDeferralSchedulesTheNextAttemptByTheBackoffOfItsAttemptNumber() throws IOException {
        blockAlice();
        enqueueToAlice(Instant.now(), "sender@example.net");
        enqueueToAlice(Instant.now(), "sender@example.net");
        // as if three and twelve attempts had already been deferred
        store.writeAndWait(ctx -> {
            ctx.prepare("UPDATE recipients SET attempts = 3 WHERE id = (SELECT MIN(id) FROM recipients)").executeUpdate();
            ctx.prepare("UPDATE recipients SET attempts = 12 WHERE id = (SELECT MAX(id) FROM recipients)").executeUpdate();
            return null;
        });
        DeliverySettings settings = DeliveryWorkerTest.FAST.withBackoff(Duration.ofMinutes(1), Duration.ofHours(1));
        long before = System.currentTimeMillis();
        start(settings);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count(store, "SELECT COUNT(*) FROM recipients WHERE attempts IN (4, 13)") == 2);
        long after = System.currentTimeMillis();
        long fourth = count(store, "SELECT next_attempt_at FROM recipients WHERE attempts = 4");
        long thirteenth = count(store, "SELECT next_attempt_at FROM recipients WHERE attempts = 13");
        assertThat(fourth).isBetween(before + Duration.ofMinutes(8).toMillis(), after + Duration.ofMinutes(8).toMillis());
        assertThat(thirteenth).isBetween(before + Duration.ofHours(1).toMillis(), after + Duration.ofHours(1).toMillis());
        // and neither is tried again before then, however often the worker polls
        worker.wakeUp();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> count(store, "SELECT COUNT(*) FROM recipients WHERE attempts IN (4, 13) AND status = 'Pending'") == 2);
        String lastError = store.read(c -> {
            try (ResultSet rs = c.prepareStatement("SELECT last_error FROM recipients WHERE attempts = 4").executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertThat(lastError).startsWith("FileSystemException: " + tenant.Guid() + "/alice@contoso.com").doesNotContain(mailRoot.toAbsolutePath().toString());
    }
}
