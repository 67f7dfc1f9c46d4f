// The delivery ledger on both stores: claims and leases, the claims counter, outcomes that need the claim, NDRs with failures.
package dev.gatehouse.queue;

import static dev.gatehouse.queue.TestMessages.count;
import static dev.gatehouse.queue.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.mail.AuthAs;
import dev.gatehouse.mail.Directionality;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class DeliveryLedgerTest extends StoreTestBase {

    private static final long MINUTE = 60_000;

    /** One recipient row as the ledger left it. */
    record Row(String status, int attempts, long nextAttemptAt, String lastError, String claimOwner, Long leaseUntil, int claims) {}

    private Row row(long recipientId) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT status, attempts, next_attempt_at, last_error, claim_owner, lease_until, claims"
                    + " FROM recipients WHERE id = ?")) {
                ps.setLong(1, recipientId);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    long lease = rs.getLong(6);
                    Long leaseUntil = rs.wasNull() ? null : lease;
                    return new Row(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getString(4), rs.getString(5), leaseUntil, rs.getInt(7));
                }
            }
        });
    }

    private IncomingMessage enqueue(String... addresses) {
        List<QueuedRecipient> rs = java.util.Arrays.stream(addresses).map(a -> new QueuedRecipient(1, a, null)).toList();
        IncomingMessage m = message(rs);
        new MessageQueue(store).enqueue(m).join();
        return m;
    }

    private List<MessageTraceEvent> events(IncomingMessage m) { return new MessageTrace(store).events(1, m.networkMessageId()); }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aClaimedRecipientIsNotClaimedByAnotherNodeWhileItsLeaseRuns() {
        enqueue("a@contoso.com", "b@contoso.com", "c@contoso.com");
        DeliveryLedger one = new DeliveryLedger(store, "node-1");
        DeliveryLedger two = new DeliveryLedger(store, "node-2");
        assertThat(one.anyDue()).isTrue();
        List<ClaimedRecipient> claimed = one.claim(10, MINUTE);
        assertThat(claimed).extracting(ClaimedRecipient::address).containsExactlyInAnyOrder("a@contoso.com", "b@contoso.com", "c@contoso.com");
        assertThat(claimed).allSatisfy(r -> {
            assertThat(r.claims()).isEqualTo(1);
            assertThat(r.attempts()).isZero();
            assertThat(r.interrupted()).as("a first claim").isFalse();
            assertThat(row(r.id()).claimOwner()).isEqualTo("node-1");
        });
        assertThat(two.claim(10, MINUTE)).as("leased to node-1").isEmpty();
        assertThat(two.anyDue()).as("nothing due while leased").isFalse();
    }

    @Test
    void aClaimTakesAtMostItsLimitOldestDueFirst() {
        Instant now = Instant.now();
        MessageQueue q = new MessageQueue(store);
        IncomingMessage newest = message(now.minusSeconds(10), List.of(new QueuedRecipient(1, "newest@contoso.com", null)));
        IncomingMessage oldest = message(now.minusSeconds(300), List.of(new QueuedRecipient(1, "oldest@contoso.com", null)));
        IncomingMessage middle = message(now.minusSeconds(60), List.of(new QueuedRecipient(1, "middle@contoso.com", null)));
        for (IncomingMessage m : List.of(newest, oldest, middle)) q.enqueue(m).join();
        DeliveryLedger ledger = new DeliveryLedger(store, "node-1");
        assertThat(ledger.claim(2, MINUTE)).extracting(ClaimedRecipient::address)
                .containsExactlyInAnyOrder("oldest@contoso.com", "middle@contoso.com");
        assertThat(ledger.claim(2, MINUTE)).extracting(ClaimedRecipient::address).containsExactly("newest@contoso.com");
        assertThat(ledger.claim(2, MINUTE)).isEmpty();
    }

    @Test
    void aMessageReceivedInTheFutureIsNotDueYet() {
        new MessageQueue(store).enqueue(message(Instant.now().plusSeconds(3600), List.of(new QueuedRecipient(1, "later@contoso.com", null))))
                .join();
        DeliveryLedger ledger = new DeliveryLedger(store, "node-1");
        assertThat(ledger.anyDue()).isFalse();
        assertThat(ledger.claim(10, MINUTE)).isEmpty();
    }

    @Test
    void anExpiredLeaseLetsAnotherNodeClaimAgainAndTheSecondClaimIsMarkedInterrupted() {
        IncomingMessage m = enqueue("a@contoso.com");
        DeliveryLedger one = new DeliveryLedger(store, "node-1");
        DeliveryLedger two = new DeliveryLedger(store, "node-2");
        ClaimedRecipient first = one.claim(10, 1).getFirst();
        pause(30); // node-1's lease of 1 ms has run out (a crash, a stall)
        assertThat(two.anyDue()).isTrue();
        ClaimedRecipient second = two.claim(10, MINUTE).getFirst();
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.claims()).isEqualTo(2);
        assertThat(second.attempts()).isZero();
        assertThat(second.interrupted()).as("the first claim ended without an outcome: its copy may be delivered").isTrue();
        assertThat(row(second.id()).claimOwner()).isEqualTo("node-2");

        // node-1 comes back and reports: its lease is lost, so it records nothing
        assertThat(one.delivered(first, m.networkMessageId(), "late").join()).isFalse();
        assertThat(row(first.id()).status()).isEqualTo("Pending");
        assertThat(events(m)).extracting(MessageTraceEvent::event).containsExactly(TraceEventType.Receive);

        // node-2 owns the outcome
        assertThat(two.delivered(second, m.networkMessageId(), "delivered to Maildir").join()).isTrue();
        Row after = row(second.id());
        assertThat(after.status()).isEqualTo("Delivered");
        assertThat(after.claimOwner()).isNull();
        assertThat(after.leaseUntil()).isNull();
        assertThat(events(m)).filteredOn(e -> e.event() == TraceEventType.Deliver).extracting(MessageTraceEvent::detail)
                .containsExactly("delivered to Maildir");
    }

    @Test
    void aDeferralKeepsTheRecipientQueuedWithItsBackoffAndReasonAndAReclaimIsNotInterrupted() {
        IncomingMessage m = enqueue("a@contoso.com");
        DeliveryLedger ledger = new DeliveryLedger(store, "node-1");
        ClaimedRecipient r = ledger.claim(10, MINUTE).getFirst();
        long retryAt = System.currentTimeMillis() + 3_600_000;
        assertThat(ledger.deferred(r, m.networkMessageId(), "451 4.3.0 mailbox busy", retryAt).join()).isTrue();
        Row deferred = row(r.id());
        assertThat(deferred).isEqualTo(new Row("Pending", 1, retryAt, "451 4.3.0 mailbox busy", null, null, 1));
        assertThat(ledger.anyDue()).as("not due before its next attempt").isFalse();
        assertThat(ledger.claim(10, MINUTE)).isEmpty();
        assertThat(events(m)).filteredOn(e -> e.event() == TraceEventType.Defer).extracting(MessageTraceEvent::recipient, MessageTraceEvent::detail)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a@contoso.com", "451 4.3.0 mailbox busy"));

        // the next attempt is due: the claim counts it, and an ended attempt is not an interruption
        store.writeAndWait(ctx -> ctx.prepare("UPDATE recipients SET next_attempt_at = 0").executeUpdate());
        ClaimedRecipient again = ledger.claim(10, MINUTE).getFirst();
        assertThat(again.attempts()).isEqualTo(1);
        assertThat(again.claims()).isEqualTo(2);
        assertThat(again.interrupted()).isFalse();
        assertThat(ledger.deferred(again, m.networkMessageId(), "451 again", retryAt + 1000).join()).isTrue();
        assertThat(row(r.id()).attempts()).isEqualTo(2);
        assertThat(row(r.id()).nextAttemptAt()).isEqualTo(retryAt + 1000);
    }

    @Test
    void aDeliveryLeavesTheAttemptCountAndNextAttemptTimeAsTheyWere() {
        IncomingMessage m = enqueue("a@contoso.com");
        long due = count(store, "SELECT next_attempt_at FROM recipients");
        assertThat(due).isEqualTo(m.receivedAt().toEpochMilli());
        DeliveryLedger ledger = new DeliveryLedger(store, "node-1");
        ClaimedRecipient r = ledger.claim(10, MINUTE).getFirst();
        assertThat(ledger.delivered(r, m.networkMessageId(), "ok").join()).isTrue();
        Row done = row(r.id());
        assertThat(done.status()).isEqualTo("Delivered");
        assertThat(done.attempts()).isZero();
        assertThat(done.nextAttemptAt()).isEqualTo(due);
        assertThat(done.lastError()).isNull();
    }

    @Test
    void anOutcomeIsRecordedOnceASecondReportOfTheSameClaimChangesNothing() {
        IncomingMessage m = enqueue("a@contoso.com");
        DeliveryLedger ledger = new DeliveryLedger(store, "node-1");
        ClaimedRecipient r = ledger.claim(10, MINUTE).getFirst();
        assertThat(ledger.delivered(r, m.networkMessageId(), "first").join()).isTrue();
        assertThat(ledger.delivered(r, m.networkMessageId(), "second").join()).isFalse();
        assertThat(ledger.failed(r, m.networkMessageId(), "too late").join()).isFalse();
        assertThat(row(r.id()).status()).isEqualTo("Delivered");
        assertThat(events(m)).extracting(MessageTraceEvent::event).containsExactly(TraceEventType.Receive, TraceEventType.Deliver);
    }

    @Test
    void aFailureWritesItsNonDeliveryReportInTheSameTransactionExactlyOnce() {
        IncomingMessage m = enqueue("gone@contoso.com");
        DeliveryLedger ledger = new DeliveryLedger(store, "node-1");
        ClaimedRecipient r = ledger.claim(10, MINUTE).getFirst();
        IncomingMessage ndr = message(List.of(new QueuedRecipient(1, "sender@example.net", null, RecipientStatus.AwaitingRelay, null,
                Directionality.Originating, AuthAs.Internal, false, null)));
        assertThat(ledger.failed(r, m.networkMessageId(), "550 5.1.1 the recipient no longer exists", ndr).join()).isTrue();

        Row failed = row(r.id());
        assertThat(failed.status()).isEqualTo("Failed");
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.lastError()).isEqualTo("550 5.1.1 the recipient no longer exists");
        assertThat(count(store, "SELECT COUNT(*) FROM messages WHERE network_message_id = '" + ndr.networkMessageId() + "'")).isEqualTo(1);
        assertThat(count(store, "SELECT COUNT(*) FROM recipients WHERE address = 'sender@example.net' AND status = 'AwaitingRelay'"))
                .isEqualTo(1);
        assertThat(events(m)).extracting(MessageTraceEvent::event)
                .containsExactly(TraceEventType.Receive, TraceEventType.Fail, TraceEventType.Ndr);
        assertThat(events(m).getLast().detail())
                .isEqualTo("Non-delivery report " + ndr.networkMessageId() + " queued to sender@example.net");

        // a second report of the same failure finds no claim: no second bounce
        IncomingMessage again = message(ndr.recipients());
        assertThat(ledger.failed(r, m.networkMessageId(), "again", again).join()).isFalse();
        assertThat(count(store, "SELECT COUNT(*) FROM messages WHERE network_message_id = '" + again.networkMessageId() + "'")).isZero();
    }

    @Test
    void aNodeThatLostItsLeaseBouncesNothing() {
        IncomingMessage m = enqueue("a@contoso.com");
        DeliveryLedger one = new DeliveryLedger(store, "node-1");
        ClaimedRecipient stale = one.claim(10, 1).getFirst();
        pause(30);
        new DeliveryLedger(store, "node-2").claim(10, MINUTE);
        IncomingMessage ndr = message(List.of(new QueuedRecipient(1, "sender@example.net", null)));
        assertThat(one.failed(stale, m.networkMessageId(), "expired", ndr).join()).isFalse();
        assertThat(count(store, "SELECT COUNT(*) FROM messages")).as("no NDR row").isEqualTo(1);
        assertThat(events(m)).extracting(MessageTraceEvent::event).containsExactly(TraceEventType.Receive);
    }

    @Test
    void theRelayLedgerClaimsOnlyAwaitingRelayAndADeferralKeepsItThere() {
        QueuedRecipient local = new QueuedRecipient(1, "a@contoso.com", null);
        QueuedRecipient outbound = new QueuedRecipient(1, "x@elsewhere.example", null, RecipientStatus.AwaitingRelay, "CO-APP",
                Directionality.Originating, AuthAs.Internal, false, null);
        IncomingMessage m = message(List.of(local, outbound));
        new MessageQueue(store).enqueue(m).join();
        DeliveryLedger relay = new DeliveryLedger(store, "node-1", RecipientStatus.AwaitingRelay);
        DeliveryLedger localLedger = new DeliveryLedger(store, "node-1");

        ClaimedRecipient r = relay.claim(10, MINUTE).getFirst();
        assertThat(r.address()).isEqualTo("x@elsewhere.example");
        assertThat(relay.claim(10, MINUTE)).isEmpty();
        assertThat(relay.deferred(r, m.networkMessageId(), "421 try later", 1).join()).isTrue();
        assertThat(row(r.id()).status()).isEqualTo("AwaitingRelay");

        assertThat(localLedger.claim(10, MINUTE)).extracting(ClaimedRecipient::address).containsExactly("a@contoso.com");

        ClaimedRecipient again = relay.claim(10, MINUTE).getFirst();
        assertThat(relay.delivered(again, m.networkMessageId(), TraceEventType.Send, "250 2.0.0 queued by next hop").join()).isTrue();
        assertThat(row(r.id()).status()).isEqualTo("Delivered");
        assertThat(events(m)).filteredOn(e -> e.recipient().equals("x@elsewhere.example")).extracting(MessageTraceEvent::event)
                .containsExactly(TraceEventType.Receive, TraceEventType.Defer, TraceEventType.Send);
    }

    @Test
    void anOutcomeOfTheWrongLedgerChangesNothing() {
        IncomingMessage m = enqueue("a@contoso.com");
        ClaimedRecipient r = new DeliveryLedger(store, "node-1").claim(10, MINUTE).getFirst();
        DeliveryLedger relaySameOwner = new DeliveryLedger(store, "node-1", RecipientStatus.AwaitingRelay);
        assertThat(relaySameOwner.delivered(r, m.networkMessageId(), TraceEventType.Send, "250").join())
                .as("the relay agent never settles a local recipient").isFalse();
        assertThat(row(r.id()).status()).isEqualTo("Pending");
    }

    @Test
    void releasingStaleClaimsFreesEveryClaimOnSqliteButOnlyOurOwnOnPostgres() {
        enqueue("a@contoso.com");
        enqueue("b@contoso.com");
        QueuedRecipient outbound = new QueuedRecipient(1, "x@elsewhere.example", null, RecipientStatus.AwaitingRelay, null,
                Directionality.Originating, AuthAs.Internal, false, null);
        new MessageQueue(store).enqueue(message(List.of(outbound))).join();
        DeliveryLedger one = new DeliveryLedger(store, "node-1");
        DeliveryLedger two = new DeliveryLedger(store, "node-2");
        DeliveryLedger relay = new DeliveryLedger(store, "node-1", RecipientStatus.AwaitingRelay);
        assertThat(one.claim(1, MINUTE)).hasSize(1);
        assertThat(two.claim(1, MINUTE)).hasSize(1);
        assertThat(relay.claim(1, MINUTE)).hasSize(1);

        one.releaseStaleClaims(); // a restart of node-1
        int expected = kind == TestDatabase.Kind.SQLITE ? 2 : 1; // SQLite: the lock file proves no other process
        List<ClaimedRecipient> resumed = new DeliveryLedger(store, "node-3").claim(10, MINUTE);
        assertThat(resumed).hasSize(expected);
        assertThat(resumed).allSatisfy(r -> assertThat(r.interrupted()).isTrue());
        assertThat(count(store, "SELECT COUNT(*) FROM recipients WHERE status = 'AwaitingRelay' AND claim_owner = 'node-1'"))
                .as("local delivery's restart leaves the relay's claims alone").isEqualTo(1);
    }

    @Test
    void aDeliveredBatchIsRecordedInOneCommitAndAnOutcomeWhoseClaimWasLostIsNot() {
        IncomingMessage m = enqueue("a@contoso.com", "b@contoso.com", "c@contoso.com");
        DeliveryLedger ledger = new DeliveryLedger(store, "node-1");
        List<ClaimedRecipient> claimed = ledger.claim(10, MINUTE);
        assertThat(claimed).hasSize(3);
        // c's lease ran out and another node claimed it meanwhile
        store.writeAndWait(ctx -> {
            PreparedStatement ps = ctx.prepare("UPDATE recipients SET claim_owner = 'node-2' WHERE id = ?");
            ps.setLong(1, claimed.get(2).id());
            return ps.executeUpdate();
        });
        long commits = store.commits();
        List<Boolean> recorded = ledger.deliveredAll(claimed.stream()
                .map(r -> new DeliveryLedger.Delivered(r, m.networkMessageId(), "maildir=" + r.address())).toList()).join();

        assertThat(recorded).containsExactly(true, true, false);
        assertThat(store.commits() - commits).as("one commit for the batch").isEqualTo(1);
        assertThat(row(claimed.get(0).id()).status()).isEqualTo("Delivered");
        assertThat(row(claimed.get(1).id()).status()).isEqualTo("Delivered");
        assertThat(row(claimed.get(2).id())).as("node-2's claim stands").extracting(Row::status, Row::claimOwner).containsExactly("Pending", "node-2");
        assertThat(events(m)).filteredOn(e -> e.event() == TraceEventType.Deliver).extracting(MessageTraceEvent::recipient)
                .containsExactlyInAnyOrder("a@contoso.com", "b@contoso.com");
    }

    @Test
    void everyRecipientGetsItsOwnTenantsStampFieldsWhenTheMessageKeepsTheSharedOnesOnce() {
        String contoso = "X-MS-Exchange-CrossTenant-Id: contoso\r\n";
        String fabrikam = "X-MS-Exchange-CrossTenant-Id: fabrikam\r\n";
        IncomingMessage base = message(List.of(new QueuedRecipient(1, "unused@contoso.com", null)));
        List<QueuedRecipient> rs = List.of(
                new QueuedRecipient(1, "a@contoso.com", 9L, RecipientStatus.Pending, "", Directionality.Incoming, AuthAs.Anonymous, false, contoso),
                new QueuedRecipient(2, "b@fabrikam.com", 8L, RecipientStatus.Pending, "", Directionality.Incoming, AuthAs.Anonymous, false, fabrikam),
                new QueuedRecipient(1, "c@contoso.com", 7L, RecipientStatus.Pending, "", Directionality.Incoming, AuthAs.Anonymous, false, contoso),
                new QueuedRecipient(1, "d@contoso.com", 6L, RecipientStatus.Pending, "", Directionality.Incoming, AuthAs.Anonymous, false, null));
        IncomingMessage m = new IncomingMessage(base.networkMessageId(), base.receivedAt(), "", null, null, null, null, null, null, null,
                base.content(), rs);
        new MessageQueue(store).enqueue(m).join();
        long messageId = count(store, "SELECT id FROM messages");
        store.writeAndWait(ctx -> { // a quarantine release adds a recipient whose copy (a variant) is already stamped
            MessageQueue.addRecipients(ctx, messageId, m.networkMessageId(), 1, "Subject: released\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII),
                    List.of(new QueuedRecipient(1, "e@contoso.com", 5L)), TraceEventType.Release, "released", Instant.now());
            return null;
        });
        DeliveryLedger ledger = new DeliveryLedger(store, "node-1");
        java.util.Map<String, String> copies = new java.util.HashMap<>();
        for (ClaimedRecipient r : ledger.claim(10, MINUTE)) copies.put(r.address(), new String(ledger.target(r).content(), StandardCharsets.US_ASCII));

        assertThat(copies).hasSize(5);
        assertThat(copies.get("a@contoso.com")).startsWith("Received: from test\r\n" + contoso + "Message-ID:");
        assertThat(copies.get("c@contoso.com")).isEqualTo(copies.get("a@contoso.com"));
        assertThat(copies.get("b@fabrikam.com")).startsWith("Received: from test\r\n" + fabrikam + "Message-ID:");
        assertThat(copies.get("d@contoso.com")).as("no stamp fields of its own: none").isEqualTo(new String(m.content(), StandardCharsets.US_ASCII));
        assertThat(copies.get("e@contoso.com")).as("the released copy as it was kept").isEqualTo("Subject: released\r\n\r\nbody\r\n");
    }

    @Test
    void theTargetIsTheTenantsCopyAndTheHeaderSurvivesTheLossOfTheContent() {
        String stamp = "X-MS-Exchange-CrossTenant-Id: t1\r\n";
        IncomingMessage base = message(List.of(new QueuedRecipient(1, "unused@contoso.com", null)));
        IncomingMessage m = new IncomingMessage(base.networkMessageId(), base.receivedAt().truncatedTo(ChronoUnit.MILLIS), "", null, null, null,
                null, null, null, null, base.content(), List.of(new QueuedRecipient(1, "a@contoso.com", 9L, RecipientStatus.Pending, "",
                Directionality.Incoming, AuthAs.Anonymous, false, stamp)));
        new MessageQueue(store).enqueue(m).join();
        DeliveryLedger ledger = new DeliveryLedger(store, "node-1");
        ClaimedRecipient r = ledger.claim(10, MINUTE).getFirst();
        assertThat(r.mailboxId()).isEqualTo(9L);

        DeliveryLedger.Target t = ledger.target(r);
        assertThat(t.mailFrom()).as("the null sender").isEmpty();
        assertThat(t.receivedAt()).isEqualTo(m.receivedAt());
        assertThat(new String(t.content(), StandardCharsets.US_ASCII)).startsWith("Received: from test\r\n" + stamp + "Message-ID:");
        DeliveryLedger.Target h = ledger.header(r);
        assertThat(h.networkMessageId()).isEqualTo(m.networkMessageId());
        assertThat(h.content()).isNull();
        assertThat(h.mailboxId()).isEqualTo(9L);

        store.writeAndWait(ctx -> ctx.prepare("DELETE FROM messages").executeUpdate());
        assertThat(ledger.target(r)).as("the message is gone").isNull();
        assertThat(ledger.header(r)).isNull();
    }

    /** A batch's targets come from one connection and one statement; each is what a read of its own gives. */
    @Test
    void aBatchsTargetsReadOnOneConnectionAreEachWhatItsOwnReadGives() {
        IncomingMessage m = enqueue("a@contoso.com", "b@contoso.com");
        IncomingMessage other = enqueue("c@contoso.com");
        DeliveryLedger ledger = new DeliveryLedger(store, "node-1");
        List<ClaimedRecipient> claimed = ledger.claim(10, MINUTE);
        assertThat(claimed).hasSize(3);
        ClaimedRecipient ofAnotherTenant = new ClaimedRecipient(claimed.getFirst().id(), claimed.getFirst().messageId(), 2, "a@contoso.com", null, 0);
        try (DeliveryLedger.Targets targets = ledger.targets()) {
            for (ClaimedRecipient r : claimed) {
                DeliveryLedger.Target batch = targets.read(r), alone = ledger.target(r);
                assertThat(batch.content()).isEqualTo(alone.content());
                assertThat(batch.withoutContent()).isEqualTo(alone.withoutContent());
                assertThat(batch.networkMessageId()).isEqualTo((r.address().equals("c@contoso.com") ? other : m).networkMessageId());
            }
            assertThat(targets.read(ofAnotherTenant)).as("scoped by tenant").isNull();
            store.writeAndWait(ctx -> ctx.prepare("DELETE FROM messages").executeUpdate());
            assertThat(targets.read(claimed.getFirst())).as("the message is gone").isNull();
        }
    }

    @Test
    void theClaimsCounterSaysWhenAnEarlierClaimEndedWithoutAnOutcome() {
        assertThat(new ClaimedRecipient(1, 1, 1, "a@b.c", null, 0).claims()).as("legacy constructor: this claim only").isEqualTo(1);
        assertThat(new ClaimedRecipient(1, 1, 1, "a@b.c", null, 3).interrupted()).isFalse();
        assertThat(new ClaimedRecipient(1, 1, 1, "a@b.c", null, 0, 1).interrupted()).isFalse();
        assertThat(new ClaimedRecipient(1, 1, 1, "a@b.c", null, 2, 3).interrupted()).as("two deferrals, third claim").isFalse();
        assertThat(new ClaimedRecipient(1, 1, 1, "a@b.c", null, 2, 4).interrupted()).as("one claim unaccounted for").isTrue();
        assertThat(new ClaimedRecipient(1, 1, 1, "a@b.c", null, 0, 2).interrupted()).isTrue();
        assertThat(new ClaimedRecipient(1, 1, 1, "a@b.c", null, 0, 1).firstClaim()).as("no attempt before this one").isTrue();
        assertThat(new ClaimedRecipient(1, 1, 1, "a@b.c", null, 0, 2).firstClaim()).as("an interrupted claim before").isFalse();
        assertThat(new ClaimedRecipient(1, 1, 1, "a@b.c", null, 1, 2).firstClaim()).as("a deferral may leave its copy in new/").isFalse();
    }
}
