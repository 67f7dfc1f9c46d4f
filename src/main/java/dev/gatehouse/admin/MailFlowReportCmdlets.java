// Get-InboundMessagesReport: the admin centre's Reports › Mail flow › Inbound messages report as a cmdlet (spec §10).
package dev.gatehouse.admin;

import static dev.gatehouse.admin.AdminContext.call;

import java.util.List;

import dev.gatehouse.cmdlet.CmdletDefinition;
import dev.gatehouse.cmdlet.CmdletRegistry;
import dev.gatehouse.cmdlet.ParameterDefinition;
import dev.gatehouse.cmdlet.ParameterType;
import dev.gatehouse.trace.InboundMessagesReport;
import dev.gatehouse.trace.InboundMessagesReport.Granularity;

/**
 * Thin: bind, call {@link InboundMessagesReport} (which checks the date window and names the parameter it
 * refuses), return its rows. {@code | Export-Csv} gives the admin centre's CSV export.
 */
final class MailFlowReportCmdlets {
    private MailFlowReportCmdlets() {}

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
    }

}
