// Two gateway "processes" (two Stores, two workers) on one PostgreSQL deliver every recipient exactly once.
package dev.gatehouse.delivery;

import dev.gatehouse.directory.AcceptedDomainService;
import dev.gatehouse.directory.DomainType;
import dev.gatehouse.directory.Mailbox;
import dev.gatehouse.directory.MailboxService;
import dev.gatehouse.directory.Tenant;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static dev.gatehouse.queue.TestMessages.count;
import static dev.gatehouse.queue.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TwoNodesPostgresTest {

    @Test
    void twoWorkersOnOnePostgresDeliverEachRecipientExactlyOnce() throws IOException {
        try (TestDatabase db = new TestDatabase(TestDatabase.Kind.POSTGRES); Store a = db.open(); Store b = db.open()) {
            Tenant tenant = new TenantService(a).create("Contoso");
            new AcceptedDomainService(a).create(tenant.id(), "contoso.com", DomainType.Authoritative, false);
            List<Mailbox> boxes = new ArrayList<>();
            for (int i = 0; i < 3; i++) boxes.add(new MailboxService(a).create(tenant.id(), "User" + i, "user" + i + "@contoso.com", null));
            Path mailRoot = db.dir().resolve("mail");
            DeliverySettings settings = DeliverySettings.defaults().withPollInterval(Duration.ofMillis(10));
            DeliverySettings small = new DeliverySettings(8, 8, settings.pollInterval(), settings.lease(), settings.initialBackoff(),
                    settings.maxBackoff(), settings.maxAge(), null);
            try (DeliveryWorker wa = new DeliveryWorker(a, mailRoot, small); DeliveryWorker wb = new DeliveryWorker(b, mailRoot, small)) {
                wa.start();
                wb.start();
                MessageQueue qa = new MessageQueue(a);
                MessageQueue qb = new MessageQueue(b);
                qa.onEnqueued(wa::wakeUp);
                qb.onEnqueued(wb::wakeUp);
                List<CompletableFuture<Void>> futures = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    Mailbox m = boxes.get(i % 3);
                    futures.add((i % 2 == 0 ? qa : qb).enqueue(message(List.of(new QueuedRecipient(tenant.id(), m.PrimarySmtpAddress(), m.id())))));
                }
                CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
                await().atMost(Duration.ofSeconds(30)).until(() -> count(a, "SELECT COUNT(*) FROM recipients WHERE status = 'Delivered'") == 300);
                // a worker counts a batch after its outcomes' commit returns: wait for the last batch's count
                DeliveryWorkerTest.assertCounted(() -> wa.stats().delivered() + wb.stats().delivered(), 300);
                assertThat(wa.stats().delivered()).isPositive();
                assertThat(wb.stats().delivered()).isPositive();
            }
            long files = 0;
            for (Mailbox m : boxes) {
                try (Stream<Path> s = Files.list(mailRoot.resolve(tenant.Guid()).resolve(m.PrimarySmtpAddress()).resolve("new"))) {
                    files += s.count();
                }
            }
            assertThat(files).isEqualTo(300);
            assertThat(count(a, "SELECT COUNT(*) FROM message_events WHERE event_type = 'Deliver'")).isEqualTo(300);
            assertThat(count(a, "SELECT COUNT(DISTINCT recipient || network_message_id) FROM message_events WHERE event_type = 'Deliver'")).isEqualTo(300);
        }
    }
}
