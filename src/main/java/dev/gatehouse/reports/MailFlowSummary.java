// The admin centre's home page numbers of one organization: its mail per outcome for each of the last 7 UTC days, and Direct Send.
package dev.gatehouse.reports;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import dev.gatehouse.attribution.DirectSendReport;

/**
 * What {@link MailFlowSummaryService#summarize} answers. Counts are <b>recipient copies</b>: a message to three of
 * the organization's recipients counts three times, once under each copy's outcome, because its copies can end
 * differently (one delivered, one quarantined) and because a refusal at SMTP refuses recipients, not messages (a
 * refused message never existed). So the outcomes of a day add up to {@link Outcomes#total()}, every copy the
 * organization was sent that day, accepted or refused. Decision 0019.
 *
 * @param generatedAt   when it was counted
 * @param days          the last 7 UTC days, oldest first, today last (today so far)
 * @param today         today's outcomes (the last of {@code days})
 * @param lastSevenDays the 7 days' outcomes summed
 * @param directSend    the Direct Send panel over the same 7 days
 */
public record MailFlowSummary(Instant generatedAt, List<Day> days, Outcomes today, Outcomes lastSevenDays, DirectSend directSend) {
    public MailFlowSummary {
        days = List.copyOf(days);
    }

    /**
     * How many of the organization's recipient copies of one period ended each way, as they stand now.
     *
     * @param delivered      written to a mailbox, or handed on (relayed to the organization's own servers)
     * @param quarantined    held in the hosted quarantine by a mail flow rule
     * @param rejectedByRule refused by a mail flow rule's RejectMessage action (at DATA, or with an NDR)
     * @param refusedAtSmtp  refused before they were accepted: RejectDirectSend (5.7.68), a partner connector's
     *                       restriction (5.7.51), RequireTls (530), unknown recipients (5.4.1), the header-From check;
     *                       the refusal log's recipients
     * @param pending        still queued, or deferred and waiting for their next attempt
     * @param deletedByRule  dropped without a word by a rule's DeleteMessage
     * @param redirected     sent elsewhere by a rule (the copies it went to count with their own outcome)
     * @param failed         delivery failed for good (refused by the next hop, or expired)
     */
    public record Outcomes(long delivered, long quarantined, long rejectedByRule, long refusedAtSmtp, long pending, long deletedByRule,
                           long redirected, long failed) {
        public static final Outcomes NONE = new Outcomes(0, 0, 0, 0, 0, 0, 0, 0);

        /** Every copy of the period, accepted or refused: the sum of the outcomes. */
        public long total() {
            return delivered + quarantined + rejectedByRule + refusedAtSmtp + pending + deletedByRule + redirected + failed;
        }

        public Outcomes plus(Outcomes o) {
            return new Outcomes(delivered + o.delivered, quarantined + o.quarantined, rejectedByRule + o.rejectedByRule,
                    refusedAtSmtp + o.refusedAtSmtp, pending + o.pending, deletedByRule + o.deletedByRule, redirected + o.redirected,
                    failed + o.failed);
        }
    }

    /** One UTC day's outcomes. */
    public record Day(LocalDate date, Outcomes outcomes) {}

    /**
     * The Direct Send panel: is RejectDirectSend on, and what does the readiness report ({@code Get-DirectSendReport})
     * say about the same 7 days: what got through (and would be refused once it is on), what was refused, and which
     * sources would break.
     */
    public record DirectSend(boolean rejectDirectSend, boolean rejectDirectSendHeaderFrom, DirectSendReport.Totals lastSevenDays) {}
}
