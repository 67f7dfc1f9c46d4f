// The home page's counting in SQL, on SQLite and PostgreSQL: each of a tenant's copies once per UTC day under its outcome
// now, only copies that came in over SMTP, read through the receive-time index.
package dev.gatehouse.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.mail.AuthAs;
import dev.gatehouse.mail.Directionality;
import dev.gatehouse.queue.MessageTrace.DailyOutcome;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class CopyOutcomesTest extends StoreTestBase {

    private static final long CONTOSO = 1;
    private static final long FABRIKAM = 2;
    private static final Instant DAY = Instant.parse("2026-10-05T00:00:00Z");
    private static final Duration ONE_DAY = Duration.ofDays(1);

    /** A copy as the accept path stores it, through the connector "CP-IP" (null: the gateway's own, e.g. an NDR). */
    static QueuedRecipient copy(long tenant, String address, RecipientStatus status, String lastError, String connector) {
        return new QueuedRecipient(tenant, address, null, status, connector, Directionality.Incoming, AuthAs.Anonymous, false, null,
                lastError, null);
    }

    static QueuedRecipient copy(long tenant, String address, RecipientStatus status, String lastError) {
        return copy(tenant, address, status, lastError, "CP-IP");
    }

    void receive(Instant at, QueuedRecipient... copies) {
        new MessageQueue(store).enqueue(TestMessages.message(at, List.of(copies))).join();
    }

    List<DailyOutcome> outcomes(long tenant) {
        return new MessageTrace(store).outcomesPerDay(tenant, DAY, DAY.plus(Duration.ofDays(7)));
    }

    @Test
    void eachCopyCountsOnceUnderItsOutcomeNow() {
        // delivered and failed by the delivery agent; another tenant's copy of the same message
        receive(DAY.plusSeconds(9 * 3600), copy(CONTOSO, "alice@contoso.com", RecipientStatus.Pending, null),
                copy(CONTOSO, "bob@contoso.com", RecipientStatus.Pending, null), copy(FABRIKAM, "carol@fabrikam.com", RecipientStatus.Pending, null));
        DeliveryLedger ledger = new DeliveryLedger(store, "node-1");
        for (ClaimedRecipient r : ledger.claim(10, 60_000)) {
            if (r.address().startsWith("bob")) ledger.failed(r, "n/a", "550 5.1.1 gone").join();
            else ledger.delivered(r, "n/a", "delivered").join();
        }
        // the rules' verdicts, as the rule stage stores them with the message
        receive(DAY.plusSeconds(10 * 3600),
                copy(CONTOSO, "held@contoso.com", RecipientStatus.Quarantined, "Message quarantined by transport rule 'Q'"),
                copy(CONTOSO, "ndr@contoso.com", RecipientStatus.Failed, "5.7.1 Blocked"),
                copy(CONTOSO, "whole@contoso.com", RecipientStatus.Failed, "550 5.7.900 Refused at DATA"),
                copy(CONTOSO, "dropped@contoso.com", RecipientStatus.Failed, "Message deleted by transport rule 'D'"),
                copy(CONTOSO, "cc@contoso.com", RecipientStatus.Failed, "Copy not sent: 5.7.1 Blocked"),
                copy(CONTOSO, "moved@contoso.com", RecipientStatus.Redirected, "Redirected to audit@contoso.com by transport rule"),
                copy(CONTOSO, "audit@contoso.com", RecipientStatus.Pending, null),
                copy(CONTOSO, "relay@partner.example", RecipientStatus.AwaitingRelay, null));
        // not counted: the gateway's own copy (an NDR, a release), and mail outside the window
        receive(DAY.plusSeconds(11 * 3600), copy(CONTOSO, "alice@contoso.com", RecipientStatus.Pending, null, null));
        receive(DAY.minusSeconds(1), copy(CONTOSO, "alice@contoso.com", RecipientStatus.Pending, null));
        receive(DAY.plus(Duration.ofDays(7)), copy(CONTOSO, "alice@contoso.com", RecipientStatus.Pending, null));
        // the next day, still queued
        receive(DAY.plus(ONE_DAY).plusSeconds(5), copy(CONTOSO, "bob@contoso.com", RecipientStatus.Pending, null));

        assertThat(outcomes(CONTOSO)).extracting(DailyOutcome::day, DailyOutcome::outcome, DailyOutcome::copies).containsExactly(
                tuple(DAY, CopyOutcome.DeletedByRule, 2L),
                tuple(DAY, CopyOutcome.Delivered, 1L),
                tuple(DAY, CopyOutcome.Failed, 1L),
                tuple(DAY, CopyOutcome.Pending, 2L),
                tuple(DAY, CopyOutcome.Quarantined, 1L),
                tuple(DAY, CopyOutcome.Redirected, 1L),
                tuple(DAY, CopyOutcome.RejectedByRule, 2L),
                tuple(DAY.plus(ONE_DAY), CopyOutcome.Pending, 1L));
        assertThat(outcomes(FABRIKAM)).extracting(DailyOutcome::day, DailyOutcome::outcome, DailyOutcome::copies)
                .containsExactly(tuple(DAY, CopyOutcome.Delivered, 1L));
        assertThat(outcomes(3)).as("a tenant the mail never reached").isEmpty();
    }

    @Test
    void aDeferredCopyIsPendingAndDaysAreUtc() {
        receive(DAY.plus(Duration.ofHours(23)).plus(Duration.ofMinutes(59)), copy(CONTOSO, "alice@contoso.com", RecipientStatus.Pending, null));
        receive(DAY.plus(ONE_DAY), copy(CONTOSO, "alice@contoso.com", RecipientStatus.Pending, null));
        DeliveryLedger ledger = new DeliveryLedger(store, "node-1");
        for (ClaimedRecipient r : ledger.claim(10, 60_000)) ledger.deferred(r, "n/a", "451 4.3.0 try later", System.currentTimeMillis() + 60_000).join();

        assertThat(outcomes(CONTOSO)).extracting(DailyOutcome::day, DailyOutcome::outcome, DailyOutcome::copies).containsExactly(
                tuple(DAY, CopyOutcome.Pending, 1L), tuple(DAY.plus(ONE_DAY), CopyOutcome.Pending, 1L));
    }

    @Test
    void directSendReadsTheWindowWhateverOrderItsMessagesWereStoredIn() {
        QueuedRecipient direct = new QueuedRecipient(CONTOSO, "alice@contoso.com", null, RecipientStatus.Pending, "", Directionality.Incoming,
                AuthAs.Anonymous, true, null);
        receive(DAY.plusSeconds(3600), direct);
        receive(DAY.minusSeconds(3600), direct); // stored after the window's first message, received before the window
        receive(DAY.plusSeconds(1800), direct, copy(CONTOSO, "bob@contoso.com", RecipientStatus.Pending, null)); // stored later, received earlier
        receive(DAY.plusSeconds(2000), new QueuedRecipient(FABRIKAM, "carol@fabrikam.com", null, RecipientStatus.Pending, "",
                Directionality.Incoming, AuthAs.Anonymous, true, null));

        assertThat(new MessageTrace(store).directSend(CONTOSO, DAY, DAY.plus(ONE_DAY)))
                .extracting(MessageTrace.DirectSendCopy::receivedAt, MessageTrace.DirectSendCopy::recipient)
                .containsExactly(tuple(DAY.plusSeconds(1800), "alice@contoso.com"), tuple(DAY.plusSeconds(3600), "alice@contoso.com"));
        assertThat(new MessageTrace(store).directSend(CONTOSO, DAY.plus(ONE_DAY), DAY.plus(Duration.ofDays(2)))).isEmpty();
    }

    /**
     * On a SQLite store with no statistics (a new gateway's), the home page's reads never walk every copy the tenant
     * ever had, nor other tenants' copies: they read the tenant's copies from the window's first message id on
     * (taken from the receive-time index), then each copy's message by its key. Direct Send used to read every Direct
     * Send copy of the whole retention, whatever the window.
     */
    @Test
    void theWindowIsReadFromItsFirstMessageIdOnTheTenantsCopiesOnly() {
        org.junit.jupiter.api.Assumptions.assumeTrue(kind == TestDatabase.Kind.SQLITE, "PostgreSQL plans by its own statistics");
        long start = DAY.toEpochMilli(), end = DAY.plus(ONE_DAY).toEpochMilli();
        String firstId = "SEARCH messages USING COVERING INDEX messages_received (received_at>? AND received_at<?)";
        String message = "SEARCH m USING INTEGER PRIMARY KEY (rowid=?)";
        assertThat(plan(MessageTrace.outcomesPerDaySql(), CONTOSO, start, end, start, end))
                .startsWith("SEARCH r USING INDEX recipients_tenant (tenant_id=? AND message_id>?)").contains(firstId, message)
                .doesNotContain("SCAN");
        assertThat(plan(MessageTrace.directSendSql(), CONTOSO, start, end, start, end, true))
                .startsWith("SEARCH r USING INDEX recipients_direct_send (tenant_id=? AND direct_send=? AND message_id>?)")
                .contains(firstId, message).doesNotContain("SCAN");
    }

    private String plan(String sql, Object... args) {
        return store.read(c -> {
            StringBuilder out = new StringBuilder();
            try (var ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
                List<Object> given = new ArrayList<>(List.of(args));
                for (int i = 0; i < ps.getParameterMetaData().getParameterCount(); i++) ps.setObject(i + 1, given.get(i));
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) out.append(rs.getString(4)).append('\n');
                }
            }
            return out.toString();
        });
    }
}
