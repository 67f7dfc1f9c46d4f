// Start-/Get-/Stop-HistoricalSearch (spec §8), scoped to the caller's organization.
package dev.gatehouse.admin;

import static dev.gatehouse.admin.AdminContext.call;
import static dev.gatehouse.admin.AdminContext.run;

import java.util.List;

import dev.gatehouse.cmdlet.CmdletDefinition;
import dev.gatehouse.cmdlet.CmdletRegistry;
import dev.gatehouse.cmdlet.ParameterDefinition;
import dev.gatehouse.cmdlet.ParameterType;
import dev.gatehouse.reports.HistoricalSearchService;

/**
 * Thin: bind, call {@link HistoricalSearchService} (which checks Exchange's limits and names what it refuses),
 * show {@link dev.gatehouse.reports.HistoricalSearch}. {@code -ReportType} takes every Exchange value so a pasted
 * command binds; the service says which reports Gatehouse can't make, and why.
 */
final class HistoricalSearchCmdlets {
    private HistoricalSearchCmdlets() {}

    /** The examples' sample JobId and dates; a test runs the examples with real ones. */
    static final String SAMPLE_JOB = "8a1f5c7e-3b2d-4e6f-9a0b-1c2d3e4f5a6b";
    static final String SAMPLE_START = "2026-12-01";
    static final String SAMPLE_END = "2026-12-06";

    static void register(CmdletRegistry<AdminContext> r) {
        r.register(CmdletDefinition.<AdminContext>builder("Start-HistoricalSearch")
                .synopsis("Starts a report over up to 90 days of the organization's mail, written as a CSV file in the background.")
                .parameter(ParameterDefinition.of("ReportTitle", ParameterType.string()).required()
                        .describedAs("A name for the report, shown by Get-HistoricalSearch and in the notification (at most 255 characters)."))
                .parameter(ParameterDefinition.of("StartDate", ParameterType.dateTime()).required()
                        .describedAs("The start of the period (included), at most 90 days back: 07/01/2026 (month/day/year), 2026-07-01 or "
                                + "an ISO 8601 time, UTC unless an offset is given."))
                .parameter(ParameterDefinition.of("EndDate", ParameterType.dateTime()).required()
                        .describedAs("The end of the period (excluded): a date without a time is its midnight, so that day is not in the "
                                + "report. Gatehouse's data is current, so the period may end now."))
                .parameter(ParameterDefinition.of("ReportType", ParameterType.enumOf("HistoricalSearchReportType", "ATPReport",
                                "ConnectorReport", "DLP", "MessageTrace", "MessageTraceDetail", "OutboundSecurityReport", "P2SenderAttribution",
                                "Refusals", "SPAM", "Spoof", "TransportRule", "UnifiedDLP")).required()
                        .describedAs("ConnectorReport: one row per message with the connector it came through (or NoConnector) and its "
                                + "TLS. MessageTrace: one row per message with each recipient's status. MessageTraceDetail: one row per "
                                + "event of each recipient. TransportRule: one row per rule that matched a recipient, with its actions. "
                                + "Refusals (Gatehouse's own): the recipients refused before acceptance (5.7.68 RejectDirectSend, 5.7.51, "
                                + "5.7.64, 5.4.1, RequireTls). Exchange's other types are refused with the reason. README lists the columns."))
                .parameter(ParameterDefinition.of("ConnectorType", ParameterType.enumOf("ConnectorType", "OnPremises", "Partner", "NoConnector"))
                        .describedAs("ConnectorReport only: mail through OnPremises connectors, Partner connectors, or through none "
                                + "(NoConnector: anonymous mail, Direct Send included)."))
                .parameter(ParameterDefinition.of("Direction", ParameterType.enumOf("Direction", "All", "Received", "Sent"))
                        .describedAs("Received (mail that came in), Sent (mail your OnPremises servers relayed out through Gatehouse) or "
                                + "All (the default)."))
                .parameter(ParameterDefinition.of("DeliveryStatus", ParameterType.enumOf("DeliveryStatus", "Delivered", "Expanded", "Failed"))
                        .describedAs("Only recipients that were Delivered, or Failed. Gatehouse has no groups, so Expanded finds nothing."))
                .parameter(ParameterDefinition.of("TLSUsed", ParameterType.enumOf("TLSUsed", "No Tls", "TLS1.2", "TLS1.3"))
                        .describedAs("ConnectorReport only: mail received without TLS ('No Tls'), over TLS1.2 or over TLS1.3."))
                .parameter(ParameterDefinition.of("SenderAddress", ParameterType.stringArray())
                        .describedAs("Only mail from these MAIL FROM addresses, comma-separated, at most 100."))
                .parameter(ParameterDefinition.of("RecipientAddress", ParameterType.stringArray())
                        .describedAs("Only mail to these recipients, comma-separated, at most 100 (name a group's members, not the group)."))
                .parameter(ParameterDefinition.of("MessageID", ParameterType.stringArray())
                        .describedAs("Only messages with these Message-ID headers, with or without angle brackets, at most 100. "
                                + "MessageTrace and MessageTraceDetail need -MessageID, -SenderAddress or -RecipientAddress."))
                .parameter(ParameterDefinition.of("OriginalClientIP", ParameterType.string())
                        .describedAs("Only mail whose sending server had this IP address."))
                .parameter(ParameterDefinition.of("TransportRule", ParameterType.stringArray())
                        .describedAs("TransportRule only: only these rules, by name."))
                .parameter(ParameterDefinition.of("NotifyAddress", ParameterType.stringArray())
                        .describedAs("Addresses in the organization's accepted domains that get a message with the report's link when it is "
                                + "done, delivered by Gatehouse itself."))
                .parameter(ParameterDefinition.of("CompressFile", ParameterType.bool())
                        .describedAs("$true: the report is a .zip file holding the CSV. Default $false."))
                .example("Start-HistoricalSearch -ReportTitle DirectSendMessages -StartDate " + SAMPLE_START + " -EndDate " + SAMPLE_END
                                + " -ReportType ConnectorReport -ConnectorType NoConnector -Direction Received -NotifyAddress admin@contoso.com",
                        "Lists the mail that came in through no connector (Direct Send among it) in the first five days of December; "
                                + "admin@contoso.com gets the link when it's done.")
                .example("Start-HistoricalSearch -ReportTitle Refused -StartDate " + SAMPLE_START + " -EndDate " + SAMPLE_END + " -ReportType Refusals",
                        "Who was refused at RCPT TO, for example by RejectDirectSend (5.7.68), in those days.")
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Start-HistoricalSearch");
                    var q = new HistoricalSearchService.Request(p.string("ReportTitle"), p.instant("StartDate"), p.instant("EndDate"),
                            p.string("ReportType"), p.string("Direction"), p.string("ConnectorType"), p.string("DeliveryStatus"),
                            p.string("TLSUsed"), p.strings("SenderAddress"), p.strings("RecipientAddress"), p.strings("MessageID"),
                            p.string("OriginalClientIP"), p.strings("TransportRule"), p.strings("NotifyAddress"),
                            Boolean.TRUE.equals(p.get("CompressFile")));
                    return List.of(call(() -> ctx.services().historicalSearch().start(t, ctx.currentTenant().Name(), ctx.principal().name(), q)));
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Get-HistoricalSearch")
                .synopsis("Lists the organization's historical searches of the last 10 days (newest first), or shows one.")
                .parameter(ParameterDefinition.of("JobId", ParameterType.string()).at(0).fromPipelineByPropertyName()
                        .describedAs("The search's JobId (a GUID from Start-HistoricalSearch or this list)."))
                .example("Get-HistoricalSearch", "Every search of the last 10 days with its Status, Rows and FileUrl.")
                .example("Get-HistoricalSearch -JobId " + SAMPLE_JOB + " | Format-List",
                        "One search in full: its filters, progress and, when Done, the FileUrl to download with your admin token.")
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Get-HistoricalSearch");
                    String name = ctx.currentTenant().Name();
                    if (p.has("JobId")) return List.of(call(() -> ctx.services().historicalSearch().get(t, name, p.string("JobId"))));
                    return List.copyOf(ctx.services().historicalSearch().list(t, name));
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Stop-HistoricalSearch")
                .synopsis("Cancels a historical search that hasn't started yet (NotStarted); one that is InProgress can't be stopped.")
                .parameter(ParameterDefinition.of("JobId", ParameterType.string()).required().at(0).fromPipelineByPropertyName()
                        .describedAs("Which search to cancel: its JobId, a GUID shown by Start-HistoricalSearch and Get-HistoricalSearch."))
                .example("Stop-HistoricalSearch -JobId " + SAMPLE_JOB, "Cancels that search if it is still waiting to start. It "
                        + "still counts toward the 250 searches a day.")
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Stop-HistoricalSearch");
                    run(() -> ctx.services().historicalSearch().stop(t, p.string("JobId")));
                    return List.of();
                }).build());
    }

}
