// Get-InboundMessagesReport (the admin centre's Reports › Mail flow › Inbound messages, spec §10) and Get-MailFlowSummary
// (its home page's numbers) as cmdlets.
package dev.gatehouse.admin;

import static dev.gatehouse.admin.AdminContext.call;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import dev.gatehouse.cmdlet.CmdletDefinition;
import dev.gatehouse.cmdlet.CmdletRegistry;
import dev.gatehouse.cmdlet.ParameterDefinition;
import dev.gatehouse.cmdlet.ParameterType;
import dev.gatehouse.attribution.DirectSendReport;
import dev.gatehouse.reports.MailFlowSummary;
import dev.gatehouse.reports.MailFlowSummaryService;
import dev.gatehouse.trace.InboundMessagesReport;
import dev.gatehouse.trace.InboundMessagesReport.Granularity;

/**
 * Thin: bind, call {@link InboundMessagesReport} (which checks the date window and names the parameter it
 * refuses) or {@link MailFlowSummaryService}, return their rows. {@code | Export-Csv} gives the admin centre's CSV
 * export.
 */
final class MailFlowReportCmdlets {
    private MailFlowReportCmdlets() {}

    /** One UTC day of Get-MailFlowSummary: recipient copies per outcome, and all of them in Total. */
    public record MailFlowDay(Instant Date, long Delivered, long Quarantined, long RejectedByRule, long RefusedAtSmtp, long Pending,
                              long DeletedByRule, long Redirected, long Failed, long Total) {
        static MailFlowDay of(MailFlowSummary.Day d) {
            MailFlowSummary.Outcomes o = d.outcomes();
            return new MailFlowDay(d.date().atStartOfDay(ZoneOffset.UTC).toInstant(), o.delivered(), o.quarantined(), o.rejectedByRule(),
                    o.refusedAtSmtp(), o.pending(), o.deletedByRule(), o.redirected(), o.failed(), o.total());
        }
    }

    /** Get-MailFlowSummary -DirectSend: the home page's Direct Send panel; TopSources reads "IP domain: N messages". */
    public record DirectSendPanel(boolean RejectDirectSend, boolean RejectDirectSendHeaderFrom, long AcceptedMessages,
                                  long AcceptedRecipients, long RefusedMessages, long RefusedRecipients, int SourcesToConnect,
                                  List<String> TopSources) {
        static DirectSendPanel of(MailFlowSummary.DirectSend d) {
            DirectSendReport.Totals t = d.lastSevenDays();
            return new DirectSendPanel(d.rejectDirectSend(), d.rejectDirectSendHeaderFrom(), t.acceptedMessages(), t.acceptedRecipients(),
                    t.refusedMessages(), t.refusedRecipients(), t.sources(), t.topSources().stream()
                            .map(r -> r.SenderIP() + " " + r.MailFromDomain() + ": " + r.MessageCount() + " messages").toList());
        }
    }

    static void register(CmdletRegistry<AdminContext> r) {
        r.register(CmdletDefinition.<AdminContext>builder("Get-InboundMessagesReport")
                .synopsis("Counts the mail the organization received per day (or hour) and inbound connector, by TLS version: "
                        + "the admin centre's Inbound messages report. Mail that came through no connector (Direct Send) has "
                        + "its own row.")
                .parameter(ParameterDefinition.of("StartDate", ParameterType.dateTime())
                        .describedAs("The start of the report, e.g. 2026-11-28 or 11/28/2026 (month/day/year) or an ISO 8601 time, "
                                + "UTC unless an offset is given. At most 90 days back. Default: 7 days before -EndDate."))
                .parameter(ParameterDefinition.of("EndDate", ParameterType.dateTime())
                        .describedAs("The end of the report, later than -StartDate and itself left out: a date without a time "
                                + "means its midnight, so that day isn't counted. Default: now."))
                .parameter(ParameterDefinition.of("ConnectorName", ParameterType.stringArray())
                        .describedAs("Only these inbound connectors, comma-separated, not case-sensitive; \"No connector\" "
                                + "selects the mail that came through none (Direct Send). A connector renamed since counts "
                                + "under the name it had when the mail arrived."))
                .parameter(ParameterDefinition.of("Granularity", ParameterType.enumOf(Granularity.class))
                        .describedAs("Day (the default): one row per UTC day and connector. Hour: one row per UTC hour and "
                                + "connector. Periods without mail have no row."))
                .example("Get-InboundMessagesReport",
                        "Last 7 days, one row per day and connector: how many messages came in, how many over each TLS "
                                + "version, and whether the connector forces TLS.")
                .example("Get-InboundMessagesReport -ConnectorName \"No connector\" -Granularity Hour",
                        "Hour by hour, the mail of the last 7 days that came through no connector: what RejectDirectSend "
                                + "would affect.")
                .example("Get-InboundMessagesReport -ConnectorName Scanner,Hybrid | Format-Table Date,ConnectorDirectionAndName,NoTls,Volume",
                        "Only the connectors Scanner and Hybrid: how much of their mail arrived without TLS.")
                .example("Get-InboundMessagesReport | Export-Csv -Path inbound-messages.csv -NoTypeInformation",
                        "Saves the report as CSV, as the admin centre's Export does.")
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Get-InboundMessagesReport");
                    Granularity g = p.get("Granularity") instanceof Granularity v ? v : Granularity.Day;
                    return List.copyOf(call(() -> new InboundMessagesReport(ctx.services().store())
                            .run(t, p.instant("StartDate"), p.instant("EndDate"), p.strings("ConnectorName"), g)));
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Get-MailFlowSummary")
                .synopsis("Gatehouse's own: the admin centre's home page numbers. For each of the last 7 UTC days (today so far "
                        + "last), the organization's recipient copies by outcome: Delivered, Quarantined, RejectedByRule, "
                        + "RefusedAtSmtp, Pending, DeletedByRule, Redirected, Failed, and Total; with -DirectSend, the Direct Send "
                        + "panel instead.")
                .parameter(ParameterDefinition.of("DirectSend", ParameterType.switchParameter())
                        .describedAs("Shows the Direct Send panel instead of the days: whether RejectDirectSend (and "
                                + "RejectDirectSendHeaderFrom) is on, and over the same 7 days what Get-DirectSendReport says: the "
                                + "anonymous messages from your own domains that got through (AcceptedMessages, AcceptedRecipients: "
                                + "what RejectDirectSend would refuse), those refused with 5.7.68 (RefusedMessages, counted as the "
                                + "report counts refusals, and RefusedRecipients), how many sources still need a connector "
                                + "(SourcesToConnect) and the busiest ten (TopSources)."))
                .example("Get-MailFlowSummary",
                        "Seven rows, today last: how many recipients were delivered, quarantined, rejected by rules, refused at "
                                + "SMTP, still pending and so on each day. A message to three recipients counts three times.")
                .example("Get-MailFlowSummary | Format-Table Date,Delivered,Quarantined,RejectedByRule,RefusedAtSmtp,Pending,Total",
                        "The columns of the home page's chart.")
                .example("Get-MailFlowSummary -DirectSend",
                        "Is RejectDirectSend on, how much anonymous mail from your own domains still got through this week and "
                                + "from where, and how much was refused.")
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Get-MailFlowSummary");
                    MailFlowSummary s = new MailFlowSummaryService(ctx.services().store()).summarize(t);
                    if (p.isSet("DirectSend")) return List.of(DirectSendPanel.of(s.directSend()));
                    return s.days().stream().map(MailFlowDay::of).toList();
                }).build());
    }

}
