// The home page's summary on both stores: seven UTC days ending today, today's and the week's outcomes adding up to
// every copy accepted or refused, the organization's RejectDirectSend switch, and nothing of another organization.
package dev.gatehouse.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.attribution.RecipientAttribution;
import dev.gatehouse.attribution.RefusalLog;
import dev.gatehouse.directory.OrganizationConfigService;
import dev.gatehouse.directory.OrganizationSettings;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.mail.AuthAs;
import dev.gatehouse.mail.Directionality;
import dev.gatehouse.pipeline.RefusalReason;
import dev.gatehouse.queue.IncomingMessage;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.queue.RecipientStatus;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class MailFlowSummaryServiceTest extends StoreTestBase {
    /** "Now": Tuesday 13 October 2026, 15:30 UTC; the page's first day is Wednesday 7 October. */
    static final Instant NOW = Instant.parse("2026-10-13T15:30:00Z");
    static final LocalDate TODAY = LocalDate.of(2026, 10, 13);

    long contoso;
    long fabrikam;
    int refusals;

    @BeforeEach
    void tenants() {
        contoso = new TenantService(store).create("Contoso").id();
        fabrikam = new TenantService(store).create("Fabrikam").id();
    }

    MailFlowSummary summary(long tenant) {
        return new MailFlowSummaryService(store, Clock.fixed(NOW, ZoneOffset.UTC)).summarize(tenant);
    }

    /** A message received at {@code at} with these copies (all through the default connector; Direct Send as each says). */
    void receive(Instant at, QueuedRecipient... copies) {
        String id = UUID.randomUUID().toString();
        new MessageQueue(store).enqueue(new IncomingMessage(id, at, "scanner@contoso.com", "203.0.113.7", "scanner.local", null, null,
                "<" + id + "@x>", "scan", "scanner@contoso.com", "Subject: scan\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII),
                List.of(copies))).join();
    }

    static QueuedRecipient copy(long tenant, String address, RecipientStatus status, String lastError, boolean directSend) {
        return new QueuedRecipient(tenant, address, null, status, "", Directionality.Incoming, AuthAs.Anonymous, directSend, null, lastError, null);
    }

    void refuse(long tenant, Instant at, RefusalReason reason) {
        new RefusalLog(store).record(new RefusalLog.Refusal(tenant, at, "203.0.113.7", "scanner.local", null, "scanner@contoso.com",
                "r" + refusals + "@contoso.com", reason, RecipientAttribution.DIRECT_SEND.toString(), null));
        refusals++;
        await().atMost(Duration.ofSeconds(30)).until(() -> new RefusalLog(store).list(tenant, at, at.plusMillis(1), 100).stream()
                .anyMatch(r -> r.recipient().equals("r" + (refusals - 1) + "@contoso.com")));
    }

    @Test
    void sevenUtcDaysEndingTodayAddUpToTodayAndTheWeek() {
        Instant firstDay = Instant.parse("2026-10-07T00:00:00Z");
        receive(firstDay.minusMillis(1), copy(contoso, "old@contoso.com", RecipientStatus.Pending, null, false)); // 8th day back: out
        receive(firstDay, copy(contoso, "held@contoso.com", RecipientStatus.Quarantined, "Message quarantined by transport rule 'Q'", false),
                copy(contoso, "bob@contoso.com", RecipientStatus.Failed, "5.7.1 Blocked", false));
        receive(NOW.minus(Duration.ofHours(15)), copy(contoso, "alice@contoso.com", RecipientStatus.Pending, null, true),
                copy(contoso, "gone@contoso.com", RecipientStatus.Failed, "Message deleted by transport rule 'D'", true),
                copy(fabrikam, "carol@fabrikam.com", RecipientStatus.Pending, null, false));
        refuse(contoso, NOW.minus(Duration.ofHours(1)), RefusalReason.REJECT_DIRECT_SEND);
        refuse(contoso, NOW.minus(Duration.ofDays(2)), RefusalReason.UNKNOWN_RECIPIENT);
        refuse(fabrikam, NOW, RefusalReason.REJECT_DIRECT_SEND);

        MailFlowSummary s = summary(contoso);
        assertThat(s.generatedAt()).isEqualTo(NOW);
        assertThat(s.days()).extracting(MailFlowSummary.Day::date).containsExactly(TODAY.minusDays(6), TODAY.minusDays(5), TODAY.minusDays(4),
                TODAY.minusDays(3), TODAY.minusDays(2), TODAY.minusDays(1), TODAY);
        assertThat(s.days().getFirst().outcomes()).isEqualTo(new MailFlowSummary.Outcomes(0, 1, 1, 0, 0, 0, 0, 0));
        assertThat(s.days().get(4).outcomes()).isEqualTo(new MailFlowSummary.Outcomes(0, 0, 0, 1, 0, 0, 0, 0));
        assertThat(s.today()).isEqualTo(s.days().getLast().outcomes()).isEqualTo(new MailFlowSummary.Outcomes(0, 0, 0, 1, 1, 1, 0, 0));
        assertThat(s.lastSevenDays()).isEqualTo(new MailFlowSummary.Outcomes(0, 1, 1, 2, 1, 1, 0, 0));
        assertThat(s.lastSevenDays().total()).isEqualTo(6).isEqualTo(s.days().stream().mapToLong(d -> d.outcomes().total()).sum());

        MailFlowSummary f = summary(fabrikam);
        assertThat(f.lastSevenDays()).isEqualTo(new MailFlowSummary.Outcomes(0, 0, 0, 1, 1, 0, 0, 0));
    }

    @Test
    void theDirectSendPanelReadsTheSwitchAndTheReadinessReportOfTheSameDays() {
        receive(NOW.minus(Duration.ofDays(6)), copy(contoso, "alice@contoso.com", RecipientStatus.Delivered, null, true),
                copy(contoso, "bob@contoso.com", RecipientStatus.Delivered, null, true));
        receive(NOW.minus(Duration.ofDays(8)), copy(contoso, "alice@contoso.com", RecipientStatus.Delivered, null, true)); // too old
        new OrganizationConfigService(store).set(contoso, OrganizationSettings.REJECT_DIRECT_SEND, "true");
        refuse(contoso, NOW.minus(Duration.ofMinutes(5)), RefusalReason.REJECT_DIRECT_SEND);

        MailFlowSummary.DirectSend panel = summary(contoso).directSend();
        assertThat(panel.rejectDirectSend()).isTrue();
        assertThat(panel.rejectDirectSendHeaderFrom()).isFalse();
        assertThat(panel.lastSevenDays().acceptedMessages()).isEqualTo(1);
        assertThat(panel.lastSevenDays().acceptedRecipients()).isEqualTo(2);
        assertThat(panel.lastSevenDays().refusedRecipients()).isEqualTo(1);
        assertThat(panel.lastSevenDays().topSources()).singleElement()
                .satisfies(r -> assertThat(r.SenderIP() + " " + r.MailFromDomain()).isEqualTo("203.0.113.7 contoso.com"));

        MailFlowSummary.DirectSend other = summary(fabrikam).directSend();
        assertThat(other.rejectDirectSend()).isFalse();
        assertThat(other.lastSevenDays().acceptedMessages()).isZero();
        assertThat(other.lastSevenDays().refusedRecipients()).isZero();
    }

    /**
     * Decision web-report-aggregates: the closed hours are counted once and kept. The page shows the same numbers from
     * a fresh store and once its hours are kept, for each organization apart; a copy still queued when its hour was
     * first counted is counted under its outcome once it is delivered.
     */
    @Test
    void theSameNumbersOnceTheWeeksHoursAreKeptAndAQueuedCopyMovesWhenItIsDelivered() {
        receive(NOW.minus(Duration.ofDays(3)), copy(contoso, "alice@contoso.com", RecipientStatus.Pending, null, true),
                copy(contoso, "held@contoso.com", RecipientStatus.Quarantined, "Message quarantined by transport rule 'Q'", false),
                copy(fabrikam, "carol@fabrikam.com", RecipientStatus.Delivered, null, false));
        receive(NOW.minus(Duration.ofDays(5)), copy(contoso, "bob@contoso.com", RecipientStatus.Delivered, null, true));
        receive(NOW.minus(Duration.ofMinutes(10)), copy(contoso, "now@contoso.com", RecipientStatus.Delivered, null, false));
        MailFlowSummary contosoFresh = summary(contoso);
        MailFlowSummary fabrikamFresh = summary(fabrikam);
        assertThat(dev.gatehouse.queue.TestMessages.count(store, "SELECT COUNT(*) FROM hourly_outcomes WHERE copies > 0")).isEqualTo(2);
        assertThat(summary(contoso)).isEqualTo(contosoFresh);
        assertThat(summary(fabrikam)).isEqualTo(fabrikamFresh);
        assertThat(contosoFresh.lastSevenDays()).isEqualTo(new MailFlowSummary.Outcomes(2, 1, 0, 0, 1, 0, 0, 0));
        assertThat(fabrikamFresh.lastSevenDays()).isEqualTo(new MailFlowSummary.Outcomes(1, 0, 0, 0, 0, 0, 0, 0));
        assertThat(contosoFresh.directSend().lastSevenDays().acceptedRecipients()).isEqualTo(2);

        dev.gatehouse.queue.DeliveryLedger ledger = new dev.gatehouse.queue.DeliveryLedger(store, "node-1");
        for (dev.gatehouse.queue.ClaimedRecipient r : ledger.claim(10, 60_000)) ledger.delivered(r, "n/a", "delivered").join();
        MailFlowSummary delivered = summary(contoso);
        assertThat(delivered.lastSevenDays()).isEqualTo(new MailFlowSummary.Outcomes(3, 1, 0, 0, 0, 0, 0, 0));
        assertThat(delivered.days().get(3).outcomes()).isEqualTo(new MailFlowSummary.Outcomes(1, 1, 0, 0, 0, 0, 0, 0));
        assertThat(summary(contoso)).isEqualTo(delivered);
        assertThat(summary(fabrikam)).isEqualTo(fabrikamFresh);
    }
}
