// The feed over a real SQLite store, with messages written by the queue as the accept path writes them: the 30-day
// window at start and as time passes, direction of the tenant's own mail, IPv6 senders, and attachment rows that
// outlive the message's bytes.
package dev.gatehouse.hunting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gatehouse.directory.AcceptedDomainService;
import dev.gatehouse.directory.Directory;
import dev.gatehouse.directory.DomainType;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.mail.Directionality;
import dev.gatehouse.queue.EventFeed;
import dev.gatehouse.queue.IncomingMessage;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.queue.RecipientStatus;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.TestDatabase;

class HuntingFeedStoreTest {
    TestDatabase db;
    Store store;
    long tenant;
    Instant now = Instant.now();

    @BeforeEach
    void open() {
        db = new TestDatabase(TestDatabase.Kind.SQLITE);
        store = db.open();
        tenant = new TenantService(store).create("Contoso").id();
        new AcceptedDomainService(store).create(tenant, "contoso.com", DomainType.Authoritative, false);
    }

    @AfterEach
    void close() {
        store.close();
        db.close();
    }

    /** A message as the accept path commits it, to one recipient, with its final status already set. */
    private String accept(Instant at, String ip, Directionality dir, String recipient, RecipientStatus status, byte[] content) {
        String id = UUID.randomUUID().toString();
        new MessageQueue(store).enqueue(new IncomingMessage(id, at, "alice@contoso.com", ip, "mx.example", null, null, "<" + id + "@x>",
                "s", "alice@contoso.com", content, List.of(new QueuedRecipient(tenant, recipient, null, status, "", dir, null, false, null))))
                .join();
        return id;
    }

    private static byte[] plain() { return "From: alice@contoso.com\r\nSubject: s\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII); }

    /** A feed over new tables, run until it has looked at every event so far. */
    private HuntingTables fed(Instant clockNow) {
        HuntingTables tables = new HuntingTables(clockNow, HuntingTables.defaultMaxRows());
        try (HuntingFeed feed = new HuntingFeed(store, new Directory(store), tables, Clock.fixed(clockNow, java.time.ZoneOffset.UTC),
                Duration.ofMillis(50)).start()) {
            long last = new EventFeed(store).lastId();
            await().atMost(Duration.ofSeconds(20)).until(() -> feed.position() >= last);
        }
        return tables;
    }

    private List<Map<String, Object>> events(HuntingTables t) { return TableRows.of(t.catalog(tenant), "EmailEvents"); }

    @Test
    void rowsOlderThanThirtyDaysAreNotVisibleAtStartOrOnceTimeHasPassed() {
        accept(now.minus(Duration.ofDays(31)), "203.0.113.1", Directionality.Incoming, "bob@contoso.com", RecipientStatus.Delivered, plain());
        String youngest = accept(now.minus(Duration.ofDays(29)), "203.0.113.2", Directionality.Incoming, "bob@contoso.com",
                RecipientStatus.Delivered, plain());
        String today = accept(now, "203.0.113.3", Directionality.Incoming, "bob@contoso.com", RecipientStatus.Delivered, plain());
        HuntingTables t = fed(now);
        assertThat(events(t)).extracting(r -> r.get("NetworkMessageId")).containsExactly(youngest, today);

        t.retain(now.plus(Duration.ofDays(2)));
        assertThat(events(t)).extracting(r -> r.get("NetworkMessageId")).containsExactly(today);
    }

    @Test
    void theTenantsOwnMailIsIntraOrgToItsDomainsAndOutboundElsewhere() {
        accept(now, "2001:db8::25", Directionality.Originating, "bob@contoso.com", RecipientStatus.Pending, plain());
        accept(now, "192.0.2.25", Directionality.Originating, "dave@gmail.example", RecipientStatus.AwaitingRelay, plain());
        List<Map<String, Object>> rows = events(fed(now));
        assertThat(rows).extracting(r -> r.get("EmailDirection")).containsExactly("Intra-org", "Outbound");
        assertThat(rows).extracting(r -> r.get("DeliveryLocation")).containsExactly("On-premises/External", "On-premises/External");
        assertThat(rows.get(0).get("SenderIPv6")).isEqualTo("2001:db8::25");
        assertThat(rows.get(0).get("SenderIPv4")).isEqualTo("");
        assertThat(rows.get(1).get("SenderIPv4")).isEqualTo("192.0.2.25");
    }

    @Test
    void attachmentsAreStillListedAfterTheQueueDroppedTheMessagesBytes() {
        String id = accept(now, "203.0.113.9", Directionality.Incoming, "bob@contoso.com", RecipientStatus.Delivered,
                HuntingMail.report("alice@contoso.com", "bob@contoso.com", "r", "<r@x>").getBytes(StandardCharsets.US_ASCII));
        HuntingTables first = fed(now);
        List<Map<String, Object>> attachments = TableRows.of(first.catalog(tenant), "EmailAttachmentInfo");
        assertThat(attachments).extracting(r -> r.get("SHA256")).containsExactly(HuntingMail.PDF_SHA256);

        assertThat(new MessageQueue(store).dropDeliveredContent(now.plus(Duration.ofHours(2)))).isEqualTo(1);
        assertThat(new EventFeed(store).content(id)).isNull();
        HuntingTables rebuilt = fed(now);
        assertThat(TableRows.of(rebuilt.catalog(tenant), "EmailAttachmentInfo")).isEqualTo(attachments);
        assertThat(TableRows.of(rebuilt.catalog(tenant), "EmailUrlInfo")).hasSize(3);
        assertThat(events(rebuilt)).isEqualTo(events(first));
        assertThat(events(rebuilt).getFirst().get("AttachmentCount")).isEqualTo(1);
    }
}
