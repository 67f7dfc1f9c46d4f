// Message trace reads: a tenant sees only its own recipients and events of a message that reached several tenants.
package dev.gatehouse.queue;

import static dev.gatehouse.queue.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

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
class MessageTraceTest extends StoreTestBase {

    private static final long CONTOSO = 1;
    private static final long FABRIKAM = 2;

    @Test
    void aMessageToTwoTenantsShowsEachTenantOnlyItsOwnRecipientsAndEvents() {
        IncomingMessage m = message(List.of(new QueuedRecipient(CONTOSO, "alice@contoso.com", 10L),
                new QueuedRecipient(FABRIKAM, "carol@fabrikam.com", 20L), new QueuedRecipient(CONTOSO, "bob@contoso.com", 11L)));
        new MessageQueue(store).enqueue(m).join();
        DeliveryLedger ledger = new DeliveryLedger(store, "node-1");
        for (ClaimedRecipient r : ledger.claim(10, 60_000)) {
            if (r.tenantId() == FABRIKAM) ledger.failed(r, m.networkMessageId(), "550 5.1.1 gone").join();
            else ledger.delivered(r, m.networkMessageId(), "delivered").join();
        }
        MessageTrace trace = new MessageTrace(store);

        assertThat(trace.recipients(CONTOSO, m.networkMessageId())).extracting(TraceRecipient::recipient, TraceRecipient::status)
                .containsExactlyInAnyOrder(tuple("alice@contoso.com", "Delivered"), tuple("bob@contoso.com", "Delivered"));
        assertThat(trace.recipients(FABRIKAM, m.networkMessageId())).singleElement().satisfies(r -> {
            assertThat(r.recipient()).isEqualTo("carol@fabrikam.com");
            assertThat(r.status()).isEqualTo("Failed");
            assertThat(r.attempts()).isEqualTo(1);
            assertThat(r.lastError()).isEqualTo("550 5.1.1 gone");
            assertThat(r.tenantId()).isEqualTo(FABRIKAM);
        });
        assertThat(trace.events(CONTOSO, m.networkMessageId())).extracting(MessageTraceEvent::recipient).containsOnly("alice@contoso.com",
                "bob@contoso.com");
        assertThat(trace.events(FABRIKAM, m.networkMessageId())).extracting(MessageTraceEvent::event, MessageTraceEvent::detail)
                .containsExactly(tuple(TraceEventType.Receive, "size=" + m.size()), tuple(TraceEventType.Fail, "550 5.1.1 gone"));
        assertThat(trace.recipients(3, m.networkMessageId())).as("a tenant the message never reached").isEmpty();
        assertThat(trace.events(3, m.networkMessageId())).isEmpty();
        assertThat(trace.events(CONTOSO, "00000000-0000-0000-0000-000000000000")).isEmpty();
    }

    @Test
    void eventsAreOldestFirstWhateverOrderTheyWereWritten() {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        IncomingMessage base = message(t0, List.of(new QueuedRecipient(CONTOSO, "a@contoso.com", null)));
        IncomingMessage m = new IncomingMessage(base.networkMessageId(), t0, base.mailFrom(), null, null, null, null, null, null, null,
                base.content(), base.size(), base.recipients(), null, List.of(
                new MessageTraceEvent(CONTOSO, base.networkMessageId(), "a@contoso.com", TraceEventType.RuleAction, "later", t0.plusSeconds(5)),
                new MessageTraceEvent(CONTOSO, base.networkMessageId(), "a@contoso.com", TraceEventType.TransportRule, "earlier", t0.minusSeconds(5))),
                null);
        new MessageQueue(store).enqueue(m).join();
        List<MessageTraceEvent> events = new MessageTrace(store).events(CONTOSO, m.networkMessageId());
        assertThat(events).extracting(MessageTraceEvent::detail).containsExactly("earlier", "size=" + m.size(), "later");
        assertThat(events).extracting(MessageTraceEvent::timestamp).containsExactly(t0.minusSeconds(5), t0, t0.plusSeconds(5));
        assertThat(events).allSatisfy(e -> assertThat(e.networkMessageId()).isEqualTo(m.networkMessageId()));
    }

    @Test
    void recentRecipientsAreTheTenantsNewestMessagesFirstUpToTheLimit() {
        Instant t0 = Instant.parse("2026-10-01T08:00:00Z");
        MessageQueue q = new MessageQueue(store);
        for (int i = 0; i < 5; i++) {
            q.enqueue(message(t0.plusSeconds(i * 60L), List.of(new QueuedRecipient(CONTOSO, "m" + i + "@contoso.com", null)))).join();
        }
        q.enqueue(message(t0.plusSeconds(3600), List.of(new QueuedRecipient(FABRIKAM, "newest@fabrikam.com", null)))).join();
        List<TraceRecipient> recent = new MessageTrace(store).recentRecipients(CONTOSO, 3);
        assertThat(recent).extracting(TraceRecipient::recipient).containsExactly("m4@contoso.com", "m3@contoso.com", "m2@contoso.com");
        assertThat(recent).extracting(TraceRecipient::receivedAt)
                .containsExactly(t0.plusSeconds(240), t0.plusSeconds(180), t0.plusSeconds(120));
        assertThat(recent).allSatisfy(r -> assertThat(r.status()).isEqualTo("Pending"));
        assertThat(new MessageTrace(store).recentRecipients(FABRIKAM, 100)).extracting(TraceRecipient::recipient)
                .containsExactly("newest@fabrikam.com");
    }

    @Test
    void theUpdateTimeOfARecipientMovesWithItsOutcome() throws Exception {
        Instant t0 = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        IncomingMessage m = message(t0, List.of(new QueuedRecipient(CONTOSO, "a@contoso.com", null)));
        new MessageQueue(store).enqueue(m).join();
        MessageTrace trace = new MessageTrace(store);
        assertThat(trace.recipients(CONTOSO, m.networkMessageId()).getFirst().updatedAt()).isEqualTo(t0);
        DeliveryLedger ledger = new DeliveryLedger(store, "n");
        ledger.deferred(ledger.claim(1, 60_000).getFirst(), m.networkMessageId(), "451 busy", System.currentTimeMillis() + 60_000).join();
        TraceRecipient r = trace.recipients(CONTOSO, m.networkMessageId()).getFirst();
        assertThat(r.updatedAt()).isAfter(t0);
        assertThat(r.status()).isEqualTo("Pending");
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.lastError()).isEqualTo("451 busy");
    }

    @Test
    void theDirectSendWindowIncludesItsStartAndExcludesItsEnd() {
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        QueuedRecipient ds = new QueuedRecipient(CONTOSO, "a@contoso.com", null, RecipientStatus.Pending, "", Directionality.Incoming,
                AuthAs.Anonymous, true, null);
        MessageQueue q = new MessageQueue(store);
        q.enqueue(message(t0, List.of(ds))).join();
        q.enqueue(message(t0.plusSeconds(30), List.of(ds))).join();
        q.enqueue(message(t0.plusSeconds(60), List.of(ds))).join();
        List<MessageTrace.DirectSendCopy> copies = new MessageTrace(store).directSend(CONTOSO, t0, t0.plusSeconds(60));
        assertThat(copies).extracting(MessageTrace.DirectSendCopy::receivedAt).containsExactly(t0, t0.plusSeconds(30));
        assertThat(copies).extracting(MessageTrace.DirectSendCopy::messageRowId).doesNotHaveDuplicates();
    }

    @Test
    void mailEventsCarryTheirMessagesFactsPerCopyInTheOrderOfTheSteps() {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60);
        IncomingMessage base = message(at, "scanner@contoso.com", List.of(new QueuedRecipient(CONTOSO, "alice@contoso.com", 10L,
                RecipientStatus.Pending, "CP-IP", Directionality.Incoming, AuthAs.Anonymous, false, null),
                new QueuedRecipient(CONTOSO, "bob@contoso.com", 11L), new QueuedRecipient(FABRIKAM, "carol@fabrikam.com", 20L)));
        // a rule's evaluation error concerns the whole message: it comes with each copy of its tenant
        IncomingMessage m = new IncomingMessage(base.networkMessageId(), base.receivedAt(), base.mailFrom(), base.clientIp(), base.helo(),
                base.tlsProtocol(), base.tlsCipher(), base.internetMessageId(), base.subject(), base.headerFrom(), base.content(),
                base.size(), base.recipients(), List.of(), List.of(new MessageTraceEvent(CONTOSO, base.networkMessageId(), null,
                TraceEventType.RuleError, "Transport rule: 'x' Error: y", at.plusMillis(1))), EnqueueHook.NONE);
        new MessageQueue(store).enqueue(m).join();
        DeliveryLedger ledger = new DeliveryLedger(store, "node-1");
        for (ClaimedRecipient r : ledger.claim(10, 60_000)) ledger.delivered(r, m.networkMessageId(), "maildir=x").join();

        List<MailEvent> seen = new java.util.ArrayList<>();
        TraceSearch window = new TraceSearch(at.minusSeconds(1), at.plusSeconds(1), List.of(), List.of(), List.of(), null, List.of(),
                List.of(), null, null, 0, 1);
        new MessageTrace(store).mailEvents(CONTOSO, window, seen::add);
        assertThat(seen).extracting(e -> e.copy().recipient(), MailEvent::event).containsExactly(
                tuple("alice@contoso.com", TraceEventType.Receive), tuple("alice@contoso.com", TraceEventType.RuleError),
                tuple("alice@contoso.com", TraceEventType.Deliver), tuple("bob@contoso.com", TraceEventType.Receive),
                tuple("bob@contoso.com", TraceEventType.RuleError), tuple("bob@contoso.com", TraceEventType.Deliver));
        MailEvent first = seen.getFirst();
        assertThat(first.copy().networkMessageId()).isEqualTo(m.networkMessageId());
        assertThat(first.copy().internetMessageId()).isEqualTo(m.internetMessageId());
        assertThat(first.copy().sender()).isEqualTo("scanner@contoso.com");
        assertThat(first.copy().headerFrom()).isEqualTo(m.headerFrom());
        assertThat(first.copy().clientIp()).isEqualTo(m.clientIp());
        assertThat(first.copy().helo()).isEqualTo(m.helo());
        assertThat(first.copy().tlsProtocol()).isEqualTo("TLSv1.3");
        assertThat(first.copy().inboundConnector()).isEqualTo("CP-IP");
        assertThat(first.copy().size()).isEqualTo(m.size());
        assertThat(first.copy().subject()).isEqualTo(m.subject());
        assertThat(first.copy().status()).as("the copy's status now").isEqualTo(RecipientStatus.Delivered);
        assertThat(first.at()).isEqualTo(at);

        // another tenant sees its own copy only; a sink that says stop is not called again
        List<MailEvent> fabrikam = new java.util.ArrayList<>();
        new MessageTrace(store).mailEvents(FABRIKAM, window, e -> fabrikam.add(e) && fabrikam.size() < 1);
        assertThat(fabrikam).singleElement().satisfies(e -> assertThat(e.copy().recipient()).isEqualTo("carol@fabrikam.com"));
        // filters as in message trace: the copy's recipient
        List<MailEvent> bob = new java.util.ArrayList<>();
        new MessageTrace(store).mailEvents(CONTOSO, new TraceSearch(at.minusSeconds(1), at.plusSeconds(1), List.of(), List.of("BOB@contoso.com"),
                List.of(), null, List.of(), List.of(), null, null, 0, 1), bob::add);
        assertThat(bob).extracting(e -> e.copy().recipient()).containsOnly("bob@contoso.com").hasSize(3);
    }

    /**
     * A trace reads its window through the receive-time index (or the sender index) and finds each message's
     * recipients through theirs, on a SQLite store with no statistics, as a new gateway's is: before, the planner
     * walked every recipient of the tenant, and a 90-day historical search over 100,000 messages took over 70 s instead of 0.8 (bench/trace-scale.sh --events 200000 --sqlite-only).
     */
    @Test
    void aTraceReadsItsWindowThroughTheTimeOrSenderIndexNotEveryRecipientOfTheTenant() {
        org.junit.jupiter.api.Assumptions.assumeTrue(kind == TestDatabase.Kind.SQLITE, "PostgreSQL plans by its own statistics");
        Instant now = Instant.now();
        TraceSearch window = new TraceSearch(now.minusSeconds(3600), now, List.of(), List.of(), List.of(), null, List.of(), List.of(), null,
                null, 0, 1000);
        TraceSearch sender = new TraceSearch(now.minusSeconds(864_000), now, List.of("scanner@contoso.com"), List.of(), List.of(), null,
                List.of(), List.of(), null, null, 0, 1000);
        // the wrong order reads "SEARCH r USING INDEX recipients_direct_send (tenant_id=?)" first: every copy of the tenant
        assertThat(plan(window)).startsWith("SEARCH m USING INDEX messages_received").containsPattern("SEARCH r USING [A-Z ]*INDEX \\w+ \\([^)]*message_id=\\?")
                .doesNotContain("SCAN");
        assertThat(plan(sender)).startsWith("SEARCH m USING INDEX messages_sender").containsPattern("SEARCH r USING [A-Z ]*INDEX \\w+ \\([^)]*message_id=\\?")
                .doesNotContain("SCAN");
    }

    private String plan(TraceSearch q) {
        List<Object> args = new java.util.ArrayList<>();
        String sql = MessageTrace.searchSql(CONTOSO, q, args);
        return store.read(c -> {
            StringBuilder out = new StringBuilder();
            try (var ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
                for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) out.append(rs.getString(4)).append('\n');
                }
            }
            return out.toString();
        });
    }
}
