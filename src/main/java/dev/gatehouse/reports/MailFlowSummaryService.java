// Counts one organization's mail of the last 7 UTC days per outcome, and its Direct Send, for the admin centre's home page.
package dev.gatehouse.reports;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import dev.gatehouse.attribution.DirectSendReport;
import dev.gatehouse.attribution.RefusalLog;
import dev.gatehouse.directory.OrganizationConfigService;
import dev.gatehouse.directory.OrganizationSettings;
import dev.gatehouse.queue.CopyOutcome;
import dev.gatehouse.queue.HourlyCounts;
import dev.gatehouse.queue.MessageTrace;
import dev.gatehouse.store.Store;

/**
 * The one place the home page's numbers are counted (the page and {@code Get-MailFlowSummary} both call
 * {@link #summarize}). Each part is counted by the package that owns its table, in SQL over a time index: the
 * accepted copies by the queue ({@link HourlyCounts#outcomesPerDay}: the closed hours kept once they can no longer
 * change, the rest walked live), the refusals by the refusal log ({@link RefusalLog#perDay}), Direct Send by its
 * readiness report ({@link DirectSendReport#totals}); the organization's own switches come from its configuration.
 * Always one organization's mail only. The Direct Send report is read on a second pooled connection while the
 * outcomes are counted, so the page waits for the longer of the two reads, not for both.
 */
public final class MailFlowSummaryService {
    /** Days on the page, today included. */
    public static final int DAYS = 7;
    /** Direct Send sources listed by name on the panel (the busiest). */
    public static final int TOP_SOURCES = 10;

    private final HourlyCounts counts;
    private final RefusalLog refusals;
    private final DirectSendReport directSend;
    private final OrganizationConfigService orgConfig;
    private final Clock clock;

    public MailFlowSummaryService(Store store) { this(store, Clock.systemUTC()); }

    public MailFlowSummaryService(Store store, Clock clock) {
        this.counts = new HourlyCounts(store);
        this.refusals = new RefusalLog(store);
        this.directSend = new DirectSendReport(store, clock);
        this.orgConfig = new OrganizationConfigService(store);
        this.clock = clock;
    }

    /** The organization's last 7 UTC days up to now (today so far last), and its Direct Send over them. */
    public MailFlowSummary summarize(long tenantId) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate first = today.minusDays(DAYS - 1);
        Instant start = first.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();

        // the Direct Send report walks other rows of the same window: read it on another pooled connection meanwhile
        CompletableFuture<DirectSendReport.Totals> panelTotals = CompletableFuture.supplyAsync(
                () -> directSend.totals(tenantId, start, end, TOP_SOURCES), ALONGSIDE);
        Tally[] tallies = new Tally[DAYS];
        for (int i = 0; i < DAYS; i++) tallies[i] = new Tally();
        for (MessageTrace.DailyOutcome o : counts.outcomesPerDay(tenantId, start, end, now)) {
            tallies[index(start, o.day())].add(o.outcome(), o.copies());
        }
        for (RefusalLog.DailyRefusals r : refusals.perDay(tenantId, start, end)) tallies[index(start, r.day())].refusedAtSmtp += r.recipients();

        List<MailFlowSummary.Day> days = new ArrayList<>(DAYS);
        MailFlowSummary.Outcomes week = MailFlowSummary.Outcomes.NONE;
        for (int i = 0; i < DAYS; i++) {
            MailFlowSummary.Outcomes day = tallies[i].outcomes();
            days.add(new MailFlowSummary.Day(first.plusDays(i), day));
            week = week.plus(day);
        }
        OrganizationSettings settings = OrganizationSettings.of(orgConfig.get(tenantId));
        MailFlowSummary.DirectSend panel = new MailFlowSummary.DirectSend(settings.rejectDirectSend(), settings.rejectDirectSendHeaderFrom(),
                joined(panelTotals));
        return new MailFlowSummary(now, days, days.getLast().outcomes(), week, panel);
    }

    /** Runs the second read of a summary; a virtual thread each, parked while the store's read pool is busy. */
    private static final Executor ALONGSIDE = Executors.newVirtualThreadPerTaskExecutor();

    /** Its value, or the read's own exception (a store failure stays a store failure). */
    private static <T> T joined(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    private static int index(Instant start, Instant day) {
        return (int) Duration.between(start, day).toDays();
    }

    /** One day's counts while they are read. */
    private static final class Tally {
        long delivered, quarantined, rejectedByRule, refusedAtSmtp, pending, deletedByRule, redirected, failed;

        void add(CopyOutcome outcome, long copies) {
            switch (outcome) {
                case Delivered -> delivered += copies;
                case Quarantined -> quarantined += copies;
                case RejectedByRule -> rejectedByRule += copies;
                case Pending -> pending += copies;
                case DeletedByRule -> deletedByRule += copies;
                case Redirected -> redirected += copies;
                case Failed -> failed += copies;
            }
        }

        MailFlowSummary.Outcomes outcomes() {
            return new MailFlowSummary.Outcomes(delivered, quarantined, rejectedByRule, refusedAtSmtp, pending, deletedByRule, redirected, failed);
        }
    }
}
