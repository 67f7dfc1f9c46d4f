// The reports' kept hours on SQLite and PostgreSQL: the same numbers as a fresh count before and after an hour is kept,
// copies delivered after their hour was first counted, open hours, trace retention, and one tenant's hours never another's.
package dev.gatehouse.queue;

import static dev.gatehouse.queue.TestMessages.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.mail.AuthAs;
import dev.gatehouse.mail.Directionality;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class HourlyCountsTest extends StoreTestBase {

    private static final long CONTOSO = 1;
    private static final long FABRIKAM = 2;
    /** "Now": the hour 14:00-15:00 ended 10 minutes ago, so it is not closed yet (closed 15 minutes after its end). */
    private static final Instant NOW = Instant.parse("2026-10-13T15:10:00Z");
    private static final Instant TODAY = Instant.parse("2026-10-13T00:00:00Z");
    private static final Instant WEEK = TODAY.minus(Duration.ofDays(6));
    private static final Instant TOMORROW = TODAY.plus(Duration.ofDays(1));

    /** A copy through {@code connector} ("" none; null: the gateway's own, never counted), Direct Send when the connector is "". */
    static QueuedRecipient copy(long tenant, String address, RecipientStatus status, String lastError, String connector) {
        return new QueuedRecipient(tenant, address, null, status, connector, Directionality.Incoming, AuthAs.Anonymous,
                "".equals(connector), null, lastError, null);
    }

    static QueuedRecipient copy(long tenant, String address, RecipientStatus status) {
        return copy(tenant, address, status, null, "CP-IP");
    }

    void receive(Instant at, String ip, String from, String tls, QueuedRecipient... copies) {
        String id = UUID.randomUUID().toString();
        byte[] content = ("Subject: t\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
        new MessageQueue(store).enqueue(new IncomingMessage(id, at, from, ip, "client.example", tls, tls == null ? null : "TLS_AES_128_GCM_SHA256",
                "<" + id + "@test>", "t", from, content, List.of(copies))).join();
    }

    void receive(Instant at, QueuedRecipient... copies) { receive(at, "192.0.2.1", "sender@example.net", "TLSv1.3", copies); }

    /** Two organizations' mail over the week: every outcome, connectors, TLS versions, Direct Send, shared messages. */
    void aWeekOfMail() {
        for (int day = 0; day < 7; day++) {
            Instant d = WEEK.plus(Duration.ofDays(day));
            receive(d.plusSeconds(3600 + day), "203.0.113.9", "scanner@contoso.com", null, copy(CONTOSO, "a@contoso.com",
                    RecipientStatus.Delivered, null, ""), copy(CONTOSO, "b@contoso.com", RecipientStatus.Delivered, null, ""));
            receive(d.plusSeconds(3 * 3600), "198.51.100.7", "x@partner.example", "TLSv1.2",
                    copy(CONTOSO, "held@contoso.com", RecipientStatus.Quarantined, "Message quarantined by transport rule 'Q'", "CP-IP"),
                    copy(CONTOSO, "ndr@contoso.com", RecipientStatus.Failed, "5.7.1 Blocked", "CP-IP"),
                    copy(CONTOSO, "gone@contoso.com", RecipientStatus.Failed, "Message deleted by transport rule 'D'", "CP-IP"),
                    copy(CONTOSO, "moved@contoso.com", RecipientStatus.Redirected, "Redirected", "CP-IP"),
                    copy(FABRIKAM, "carol@fabrikam.com", RecipientStatus.Delivered, null, "Fab-In"));
            receive(d.plusSeconds(3 * 3600 + 60), "203.0.113.10", "app@contoso.net", "TLSv1.3",
                    copy(CONTOSO, "c@contoso.com", RecipientStatus.Delivered, null, ""), copy(FABRIKAM, "dave@fabrikam.com",
                            RecipientStatus.Delivered, null, ""));
            receive(d.plusSeconds(5 * 3600), copy(CONTOSO, "ndr-of-ours@contoso.com", RecipientStatus.Delivered, null, null));
            receive(d.plusSeconds(9 * 3600), "192.0.2.44", "f@fabrikam.example", "TLSv1.3", copy(FABRIKAM, "erin@fabrikam.com",
                    RecipientStatus.Failed, "550 5.1.1 gone", "Fab-In"));
        }
        receive(NOW.minus(Duration.ofMinutes(30)), copy(CONTOSO, "late@contoso.com", RecipientStatus.Delivered)); // 14:40: not closed
        receive(NOW.minus(Duration.ofMinutes(5)), copy(CONTOSO, "now@contoso.com", RecipientStatus.Delivered));
    }

    HourlyCounts counts() { return new HourlyCounts(store); }

    MessageTrace trace() { return new MessageTrace(store); }

    long keptRows(String table, long tenant) {
        return count(store, "SELECT COUNT(*) FROM " + table + " WHERE tenant_id = " + tenant);
    }

    /** Direct Send copies, summed per hour, IP and MAIL FROM, as the fresh walk of MessageTrace#directSend gives them. */
    Map<String, long[]> liveDirectSend(long tenant) {
        Map<String, long[]> out = new HashMap<>();
        Map<String, java.util.Set<Long>> messages = new HashMap<>();
        for (MessageTrace.DirectSendCopy c : trace().directSend(tenant, WEEK, TOMORROW)) {
            String k = c.receivedAt().toEpochMilli() / 3_600_000 + " " + c.clientIp() + " " + c.mailFrom();
            out.computeIfAbsent(k, x -> new long[2])[1]++;
            messages.computeIfAbsent(k, x -> new java.util.HashSet<>()).add(c.messageRowId());
        }
        messages.forEach((k, ids) -> out.get(k)[0] = ids.size());
        return out;
    }

    Map<String, long[]> keptDirectSend(long tenant, Instant now) {
        Map<String, long[]> out = new HashMap<>();
        for (DirectSendSender s : counts().directSend(tenant, WEEK, TOMORROW, now)) {
            out.put(s.hour() + " " + s.clientIp() + " " + s.mailFrom(), new long[] {s.messages(), s.copies()});
        }
        return out;
    }

    @Test
    void keptHoursAnswerExactlyWhatAFreshCountOfTheMessagesAnswers() {
        aWeekOfMail();
        List<MessageTrace.DailyOutcome> live = trace().outcomesPerDay(CONTOSO, WEEK, TOMORROW);
        List<MessageTrace.InboundVolume> liveDays = trace().inboundVolume(CONTOSO, WEEK, TOMORROW, Duration.ofDays(1));
        List<MessageTrace.InboundVolume> liveHours = trace().inboundVolume(CONTOSO, WEEK, TOMORROW, Duration.ofHours(1));
        assertThat(keptRows("hourly_outcomes", CONTOSO) + keptRows("hourly_inbound", CONTOSO)).isZero();

        // a fresh store: every hour counted live, and the closed ones kept
        assertThat(counts().outcomesPerDay(CONTOSO, WEEK, TOMORROW, NOW)).containsExactlyInAnyOrderElementsOf(live);
        assertThat(counts().inboundVolume(CONTOSO, WEEK, TOMORROW, Duration.ofDays(1), NOW)).containsExactlyInAnyOrderElementsOf(liveDays);
        assertThat(counts().inboundVolume(CONTOSO, WEEK, TOMORROW, Duration.ofHours(1), NOW)).containsExactlyInAnyOrderElementsOf(liveHours);
        assertThat(keptDirectSend(CONTOSO, NOW)).usingRecursiveComparison().isEqualTo(liveDirectSend(CONTOSO));
        // every closed hour of the window, mail or not: 6 days and 14 hours; the hour that ended 10 minutes ago is not closed
        long closedHours = 6 * 24 + 14;
        assertThat(count(store, "SELECT COUNT(DISTINCT hour) FROM hourly_outcomes WHERE tenant_id = " + CONTOSO)).isEqualTo(closedHours);
        assertThat(count(store, "SELECT COUNT(DISTINCT hour) FROM hourly_inbound WHERE tenant_id = " + CONTOSO)).isEqualTo(closedHours);
        assertThat(count(store, "SELECT COUNT(DISTINCT hour) FROM hourly_direct_send WHERE tenant_id = " + CONTOSO)).isEqualTo(closedHours);
        assertThat(count(store, "SELECT COUNT(*) FROM hourly_outcomes WHERE hour = " + NOW.minusSeconds(1800).toEpochMilli() / 3_600_000))
                .isZero();

        // the same again, now read from the kept hours
        assertThat(counts().outcomesPerDay(CONTOSO, WEEK, TOMORROW, NOW)).containsExactlyInAnyOrderElementsOf(live);
        assertThat(counts().inboundVolume(CONTOSO, WEEK, TOMORROW, Duration.ofDays(1), NOW)).containsExactlyInAnyOrderElementsOf(liveDays);
        assertThat(counts().inboundVolume(CONTOSO, WEEK, TOMORROW, Duration.ofHours(1), NOW)).containsExactlyInAnyOrderElementsOf(liveHours);
        assertThat(keptDirectSend(CONTOSO, NOW)).usingRecursiveComparison().isEqualTo(liveDirectSend(CONTOSO));
        // a window that starts and ends inside hours: the parts of hours counted live, the whole hours kept
        Instant from = WEEK.plusSeconds(3 * 3600 + 30);
        Instant to = TODAY.plusSeconds(3 * 3600 + 30);
        assertThat(counts().outcomesPerDay(CONTOSO, from, to, NOW)).containsExactlyInAnyOrderElementsOf(trace().outcomesPerDay(CONTOSO, from, to));
        // a period shorter than an hour is counted live
        assertThat(counts().inboundVolume(CONTOSO, WEEK, TOMORROW, Duration.ofMinutes(30), NOW))
                .containsExactlyInAnyOrderElementsOf(trace().inboundVolume(CONTOSO, WEEK, TOMORROW, Duration.ofMinutes(30)));
    }

    @Test
    void theSecondAnswerIsReadFromTheKeptHours() {
        receive(WEEK.plusSeconds(3600), copy(CONTOSO, "a@contoso.com", RecipientStatus.Delivered));
        assertThat(counts().outcomesPerDay(CONTOSO, WEEK, TOMORROW, NOW)).extracting(MessageTrace.DailyOutcome::copies).containsExactly(1L);
        // what only a read of the kept row can see: the test changes it behind the report's back
        store.writeAndWait(ctx -> ctx.prepare("UPDATE hourly_outcomes SET copies = 41 WHERE copies = 1").executeUpdate());
        assertThat(counts().outcomesPerDay(CONTOSO, WEEK, TOMORROW, NOW)).extracting(MessageTrace.DailyOutcome::copies).containsExactly(41L);
        assertThat(trace().outcomesPerDay(CONTOSO, WEEK, TOMORROW)).extracting(MessageTrace.DailyOutcome::copies).containsExactly(1L);
    }

    @Test
    void aCopyDeliveredAfterItsHourWasCountedIsCountedDeliveredAndOnlyThenKept() {
        Instant at = TODAY.minus(Duration.ofDays(3)).plusSeconds(10 * 3600);
        long hour = at.toEpochMilli() / 3_600_000;
        receive(at, copy(CONTOSO, "slow@contoso.com", RecipientStatus.Pending), copy(CONTOSO, "bounce@contoso.com", RecipientStatus.Pending),
                copy(CONTOSO, "fast@contoso.com", RecipientStatus.Delivered));
        Instant day = TODAY.minus(Duration.ofDays(3));
        assertThat(counts().outcomesPerDay(CONTOSO, WEEK, TOMORROW, NOW)).extracting(o -> o.day(), o -> o.outcome(), o -> o.copies())
                .containsExactlyInAnyOrder(tuple(day, CopyOutcome.Delivered, 1L), tuple(day, CopyOutcome.Pending, 2L));
        assertThat(count(store, "SELECT COUNT(*) FROM hourly_outcomes WHERE hour = " + hour)).as("an hour with queued copies").isZero();

        DeliveryLedger ledger = new DeliveryLedger(store, "node-1");
        for (ClaimedRecipient r : ledger.claim(10, 60_000)) {
            if (r.address().startsWith("slow")) ledger.deferred(r, "n/a", "451 4.4.1 try later", System.currentTimeMillis()).join();
            else ledger.failed(r, "n/a", "550 5.1.1 gone").join();
        }
        assertThat(counts().outcomesPerDay(CONTOSO, WEEK, TOMORROW, NOW)).extracting(o -> o.outcome(), o -> o.copies())
                .containsExactlyInAnyOrder(tuple(CopyOutcome.Delivered, 1L), tuple(CopyOutcome.Pending, 1L), tuple(CopyOutcome.Failed, 1L));
        assertThat(count(store, "SELECT COUNT(*) FROM hourly_outcomes WHERE hour = " + hour)).as("deferred: still queued").isZero();

        for (ClaimedRecipient r : ledger.claim(10, 60_000)) ledger.delivered(r, "n/a", "delivered").join();
        List<MessageTrace.DailyOutcome> settled = counts().outcomesPerDay(CONTOSO, WEEK, TOMORROW, NOW);
        assertThat(settled).extracting(o -> o.outcome(), o -> o.copies())
                .containsExactlyInAnyOrder(tuple(CopyOutcome.Delivered, 2L), tuple(CopyOutcome.Failed, 1L));
        assertThat(count(store, "SELECT SUM(copies) FROM hourly_outcomes WHERE hour = " + hour)).as("kept once settled").isEqualTo(3);
        assertThat(counts().outcomesPerDay(CONTOSO, WEEK, TOMORROW, NOW)).isEqualTo(settled)
                .containsExactlyInAnyOrderElementsOf(trace().outcomesPerDay(CONTOSO, WEEK, TOMORROW));
    }

    @Test
    void anHourIsKeptOnlyFifteenMinutesAfterItEnded() {
        Instant at = NOW.minus(Duration.ofMinutes(30)); // 14:40
        receive(at, copy(CONTOSO, "a@contoso.com", RecipientStatus.Delivered));
        String kept = "SELECT COUNT(*) FROM hourly_outcomes WHERE hour = " + at.toEpochMilli() / 3_600_000;
        counts().outcomesPerDay(CONTOSO, WEEK, TOMORROW, NOW);
        assertThat(count(store, kept)).isZero();
        // a message committed late into that hour, as an accept under load may be (its receive time is end of data)
        receive(at.plusSeconds(600), copy(CONTOSO, "b@contoso.com", RecipientStatus.Delivered));
        counts().outcomesPerDay(CONTOSO, WEEK, TOMORROW, NOW.plus(Duration.ofMinutes(4)));
        assertThat(count(store, kept)).as("14 minutes after the hour").isZero();
        assertThat(counts().outcomesPerDay(CONTOSO, WEEK, TOMORROW, NOW.plus(Duration.ofMinutes(5))))
                .extracting(MessageTrace.DailyOutcome::copies).containsExactly(2L);
        assertThat(count(store, kept)).as("15 minutes after the hour").isEqualTo(1);
    }

    @Test
    void oneOrganizationsKeptHoursNeverHoldAnotherOrganizationsMail() {
        aWeekOfMail();
        List<MessageTrace.DailyOutcome> contoso = trace().outcomesPerDay(CONTOSO, WEEK, TOMORROW);
        List<MessageTrace.DailyOutcome> fabrikam = trace().outcomesPerDay(FABRIKAM, WEEK, TOMORROW);
        assertThat(counts().outcomesPerDay(CONTOSO, WEEK, TOMORROW, NOW)).containsExactlyInAnyOrderElementsOf(contoso);
        counts().inboundVolume(CONTOSO, WEEK, TOMORROW, Duration.ofDays(1), NOW);
        counts().directSend(CONTOSO, WEEK, TOMORROW, NOW);
        assertThat(keptRows("hourly_outcomes", FABRIKAM) + keptRows("hourly_inbound", FABRIKAM) + keptRows("hourly_direct_send", FABRIKAM))
                .as("Fabrikam's hours: none kept by Contoso's reads").isZero();
        // Contoso's kept rows add up to Contoso's copies, messages and Direct Send alone
        long contosoCopies = contoso.stream().mapToLong(MessageTrace.DailyOutcome::copies).sum();
        assertThat(count(store, "SELECT SUM(copies) FROM hourly_outcomes WHERE tenant_id = " + CONTOSO)).isEqualTo(contosoCopies - 2);
        assertThat(count(store, "SELECT COUNT(*) FROM hourly_inbound WHERE tenant_id = " + CONTOSO + " AND connector = 'Fab-In'")).isZero();
        assertThat(count(store, "SELECT SUM(copies) FROM hourly_direct_send WHERE tenant_id = " + CONTOSO)).isEqualTo(7 * 3);

        assertThat(counts().outcomesPerDay(FABRIKAM, WEEK, TOMORROW, NOW)).containsExactlyInAnyOrderElementsOf(fabrikam);
        assertThat(counts().outcomesPerDay(FABRIKAM, WEEK, TOMORROW, NOW)).containsExactlyInAnyOrderElementsOf(fabrikam);
        assertThat(counts().outcomesPerDay(CONTOSO, WEEK, TOMORROW, NOW)).containsExactlyInAnyOrderElementsOf(contoso);
        assertThat(counts().inboundVolume(FABRIKAM, WEEK, TOMORROW, Duration.ofDays(1), NOW))
                .containsExactlyInAnyOrderElementsOf(trace().inboundVolume(FABRIKAM, WEEK, TOMORROW, Duration.ofDays(1)))
                .extracting(MessageTrace.InboundVolume::connector).containsOnly("Fab-In", "");
        assertThat(keptDirectSend(FABRIKAM, NOW)).usingRecursiveComparison().isEqualTo(liveDirectSend(FABRIKAM));
        assertThat(count(store, "SELECT SUM(copies) FROM hourly_direct_send WHERE tenant_id = " + FABRIKAM)).isEqualTo(7);
    }

    @Test
    void traceRetentionDropsTheKeptHoursOfTheMailItDeletesFirst() {
        Instant old = TODAY.minus(Duration.ofDays(5)).plusSeconds(3600);
        receive(old, copy(CONTOSO, "a@contoso.com", RecipientStatus.Delivered));
        receive(old.plusSeconds(60), copy(CONTOSO, "queued@contoso.com", RecipientStatus.Pending)); // kept by the purge, whatever its age
        receive(TODAY.minus(Duration.ofDays(2)), copy(CONTOSO, "b@contoso.com", RecipientStatus.Delivered));
        receive(TODAY.minus(Duration.ofDays(2)), "203.0.113.9", "scanner@contoso.com", null, copy(CONTOSO, "c@contoso.com",
                RecipientStatus.Delivered, null, ""));
        counts().outcomesPerDay(CONTOSO, WEEK, TOMORROW, NOW);
        counts().inboundVolume(CONTOSO, WEEK, TOMORROW, Duration.ofDays(1), NOW);
        counts().directSend(CONTOSO, WEEK, TOMORROW, NOW);
        assertThat(count(store, "SELECT COUNT(DISTINCT hour) FROM hourly_inbound")).isEqualTo(6 * 24 + 14);

        Instant cutoff = TODAY.minus(Duration.ofDays(3)).plusSeconds(1800); // the purge of a 3-day retention, at half past
        assertThat(new MessageQueue(store).purgeFinalOlderThan(cutoff)).isEqualTo(1);
        long horizon = Math.ceilDiv(cutoff.toEpochMilli(), 3_600_000);
        for (String table : List.of("hourly_outcomes", "hourly_inbound", "hourly_direct_send")) {
            assertThat(count(store, "SELECT COUNT(*) FROM " + table + " WHERE hour < " + horizon)).as(table).isZero();
        }
        assertThat(counts().outcomesPerDay(CONTOSO, WEEK, TOMORROW, NOW)).containsExactlyInAnyOrderElementsOf(
                trace().outcomesPerDay(CONTOSO, WEEK, TOMORROW)).extracting(o -> o.outcome(), o -> o.copies())
                .containsExactlyInAnyOrder(tuple(CopyOutcome.Pending, 1L), tuple(CopyOutcome.Delivered, 2L));
        assertThat(counts().inboundVolume(CONTOSO, WEEK, TOMORROW, Duration.ofDays(1), NOW))
                .containsExactlyInAnyOrderElementsOf(trace().inboundVolume(CONTOSO, WEEK, TOMORROW, Duration.ofDays(1)));
        assertThat(keptDirectSend(CONTOSO, NOW)).usingRecursiveComparison().isEqualTo(liveDirectSend(CONTOSO));
        assertThat(count(store, "SELECT COUNT(*) FROM hourly_inbound WHERE hour < " + horizon)).as("never kept again below it").isZero();
        assertThat(count(store, "SELECT COUNT(*) FROM hourly_inbound WHERE hour >= " + horizon)).isPositive();
    }

    @Test
    void hoursBelowTheRetentionHorizonAreNeverKept() {
        receive(TODAY.minus(Duration.ofDays(5)), copy(CONTOSO, "a@contoso.com", RecipientStatus.Delivered));
        Instant cutoff = TODAY.minus(Duration.ofDays(3));
        // as when the purge raised the horizon between a page's count and its write: the write keeps only the hours above it
        KeptHours.forgetBefore(store, cutoff, HourlyCounts.KINDS);
        counts().outcomesPerDay(CONTOSO, WEEK, TOMORROW, NOW);
        assertThat(count(store, "SELECT COUNT(*) FROM hourly_outcomes WHERE hour < " + cutoff.toEpochMilli() / 3_600_000)).isZero();
        assertThat(count(store, "SELECT COUNT(DISTINCT hour) FROM hourly_outcomes")).isEqualTo(3 * 24 + 14);
    }

    @Test
    void aRowWrittenBelowTheHorizonByAPageThatCountedBeforeThePurgeIsNeverReadAndTheNextPurgeDropsIt() {
        Instant at = TODAY.minus(Duration.ofDays(5));
        long hour = at.toEpochMilli() / 3_600_000;
        receive(at, copy(CONTOSO, "a@contoso.com", RecipientStatus.Delivered));
        Instant cutoff = TODAY.minus(Duration.ofDays(3));
        KeptHours.forgetBefore(store, cutoff, HourlyCounts.KINDS);
        // the page's write, after the purge raised the horizon: a day of counts the purge could have changed (made up:
        // 7 copies where there is 1; a whole day, so that the hours around are not merely counted with the live ones)
        store.writeAndWait(ctx -> {
            for (long h = hour; h < hour + 24; h++) {
                HourlyOutcomes.KIND.keep(ctx, CONTOSO, h, h == hour ? List.of(new HourlyOutcomes.Hour(h, "Delivered", 7)) : List.of());
            }
            return null;
        });
        assertThat(counts().outcomesPerDay(CONTOSO, WEEK, TOMORROW, NOW)).extracting(MessageTrace.DailyOutcome::copies)
                .as("counted live, the row below the horizon not read").containsExactly(1L);
        assertThat(KeptHours.forgetBefore(store, cutoff, HourlyCounts.KINDS)).as("the same cutoff: the horizon stays, the rows go")
                .isEqualTo(24);
        assertThat(count(store, "SELECT COUNT(*) FROM hourly_outcomes WHERE hour < " + cutoff.toEpochMilli() / 3_600_000)).isZero();
    }

    @Test
    void hoursToCountAreJoinedWhenAFewKeptHoursLieBetween() {
        Map<Long, Object> kept = new HashMap<>();
        for (long h : new long[] {11, 12, 13, 14, 15, 16, 17, 25, 26}) kept.put(h, true);
        List<long[]> ranges = KeptHours.liveRanges(kept, 10, 30);
        List<String> shown = new ArrayList<>();
        for (long[] r : ranges) shown.add(r[0] + "-" + r[1]);
        // 10 alone (7 kept hours follow), 18..24, then 25 and 26 kept but joined to 27..29 (2 kept hours between)
        assertThat(shown).containsExactly("10-11", "18-30");
        assertThat(KeptHours.liveRanges(Map.of(), 10, 13)).extracting(r -> r[0] + "-" + r[1]).containsExactly("10-13");
        assertThat(KeptHours.liveRanges(Map.of(10L, 1, 11L, 1), 10, 12)).isEmpty();
        assertThat(KeptHours.closedBefore(NOW)).as("13:00-14:00 is the last closed hour at 15:10")
                .isEqualTo(Instant.parse("2026-10-13T14:00:00Z").toEpochMilli() / 3_600_000);
    }

    @Test
    void anHourKeptByTwoPagesAtOnceIsKeptOnce() {
        receive(WEEK.plusSeconds(3600), copy(CONTOSO, "a@contoso.com", RecipientStatus.Delivered));
        List<HourlyOutcomes.Hour> rows = List.of(new HourlyOutcomes.Hour(WEEK.toEpochMilli() / 3_600_000 + 1, "Delivered", 1));
        for (int i = 0; i < 2; i++) {
            store.writeAndWait(ctx -> {
                HourlyOutcomes.KIND.keep(ctx, CONTOSO, rows.getFirst().hour(), rows);
                return null;
            });
        }
        assertThat(count(store, "SELECT COUNT(*) FROM hourly_outcomes")).isEqualTo(1);
        assertThat(counts().outcomesPerDay(CONTOSO, WEEK, TOMORROW, NOW)).extracting(MessageTrace.DailyOutcome::copies).containsExactly(1L);
    }
}
