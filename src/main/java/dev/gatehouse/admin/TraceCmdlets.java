// Get-MessageTraceV2 / Get-MessageTraceDetailV2 and the legacy Get-MessageTrace / Get-MessageTraceDetail (spec §7).
package dev.gatehouse.admin;

import static dev.gatehouse.admin.AdminContext.call;

import java.util.List;

import dev.gatehouse.cmdlet.CmdletDefinition;
import dev.gatehouse.cmdlet.CmdletRegistry;
import dev.gatehouse.cmdlet.ParameterDefinition;
import dev.gatehouse.cmdlet.ParameterType;
import dev.gatehouse.trace.MessageTraceService;
import dev.gatehouse.trace.MessageTraceService.Flavor;
import dev.gatehouse.trace.MessageTraceService.Request;
import dev.gatehouse.trace.MessageTraceService.SubjectFilterType;

/**
 * Thin: bind, call {@link MessageTraceService} (which checks Exchange's limits and names the parameter it
 * refuses), return its rows. The detail cmdlets take {@code MessageTraceId} and {@code RecipientAddress} from
 * the pipeline by property name, so {@code Get-MessageTraceV2 ... | Get-MessageTraceDetailV2} works as in
 * Exchange Online.
 */
final class TraceCmdlets {
    private TraceCmdlets() {}

    private static final String SAMPLE_ID = "0190a3c2-7b6e-7d41-9a8e-2f4c1b7e3d90";

    static void register(CmdletRegistry<AdminContext> r) {
        r.register(summary("Get-MessageTraceV2", Flavor.V2).build());
        r.register(summary("Get-MessageTrace", Flavor.LEGACY).build());
        r.register(detail("Get-MessageTraceDetailV2", Flavor.V2).build());
        r.register(detail("Get-MessageTraceDetail", Flavor.LEGACY).build());
    }

    private static CmdletDefinition.Builder<AdminContext> summary(String name, Flavor flavor) {
        boolean v2 = flavor == Flavor.V2;
        String days = v2 ? "90" : "10";
        var b = CmdletDefinition.<AdminContext>builder(name)
                .synopsis("Lists the messages the organization received, one row per recipient, newest first"
                        + (v2 ? "." : " (the legacy cmdlet: the last 10 days only; Get-MessageTraceV2 searches 90)."))
                .parameter(ParameterDefinition.of("StartDate", ParameterType.dateTime())
                        .describedAs("The start of the search, e.g. 2026-11-28 or 11/28/2026 (month/day/year) or an ISO 8601 time, UTC "
                                + "unless an offset is given. At most " + days + " days back. Default: 48 hours before -EndDate."))
                .parameter(ParameterDefinition.of("EndDate", ParameterType.dateTime())
                        .describedAs("The end of the search (included), at most 10 days after -StartDate. Default: now, or 10 days "
                                + "after -StartDate if that is earlier."))
                .parameter(ParameterDefinition.of("SenderAddress", ParameterType.stringArray())
                        .describedAs("Only messages from these MAIL FROM addresses, comma-separated, not case-sensitive, at most 100; "
                                + "* matches any text (*@contoso.com)."))
                .parameter(ParameterDefinition.of("RecipientAddress", ParameterType.stringArray())
                        .describedAs("Only these recipients, comma-separated, not case-sensitive, at most 100; * matches any text."))
                .parameter(ParameterDefinition.of("MessageId", ParameterType.stringArray())
                        .describedAs("Only messages with these Message-ID headers, with or without the angle brackets, at most 100."))
                .parameter(ParameterDefinition.of("MessageTraceId", ParameterType.string())
                        .describedAs("Only the message with this id (a GUID from the MessageTraceId column; Gatehouse's network "
                                + "message id)."))
                .parameter(ParameterDefinition.of("FromIP", ParameterType.stringArray())
                        .describedAs("Only messages whose sending server had this IP address (the SMTP client's address)."))
                .parameter(ParameterDefinition.of("Status", ParameterType.listOf(ParameterType.enumOf("MessageTraceStatus",
                                "Delivered", "Expanded", "Failed", "FilteredAsSpam", "GettingStatus", "None", "Pending", "Quarantined")))
                        .describedAs("Only recipients in these states: Pending (waiting for delivery or deferred), Delivered, Failed "
                                + "(refused by a rule or the next hop, or expired), Quarantined, None (redirected by a rule). Gatehouse "
                                + "has no groups or spam filter, so Expanded, FilteredAsSpam and GettingStatus find nothing."))
                .example(name + " -SenderAddress scanner@contoso.com",
                        "The mail the scanner sent in the last 48 hours, with where each copy went.")
                .example(name + " -RecipientAddress bob@contoso.com -Status Quarantined,Failed",
                        "What mail to Bob in the last 48 hours was quarantined or refused.")
                .example(name + " -MessageTraceId " + SAMPLE_ID + " | Get-MessageTraceDetail" + (v2 ? "V2" : ""),
                        "Follows one message to the events of each of its recipients: receive (with the connector), rules, delivery.");
        if (v2) {
            b.parameter(ParameterDefinition.of("Subject", ParameterType.string())
                            .describedAs("Only messages whose subject contains this text (see -SubjectFilterType), not case-sensitive."))
                    .parameter(ParameterDefinition.of("SubjectFilterType", ParameterType.enumOf(SubjectFilterType.class))
                            .describedAs("How -Subject is compared: Contains (the default), StartsWith or EndsWith."))
                    .parameter(ParameterDefinition.of("ResultSize", ParameterType.int32(1, 5000))
                            .describedAs("At most this many rows, 1 to 5000; default 1000. For more, run again with -EndDate and "
                                    + "-StartingRecipientAddress taken from the last row."))
                    .parameter(ParameterDefinition.of("StartingRecipientAddress", ParameterType.string())
                            .describedAs("Continues a search after the last row shown: give that row's Received as -EndDate and its "
                                    + "RecipientAddress here."))
                    .example("Get-MessageTraceV2 -Subject invoice -SubjectFilterType StartsWith -ResultSize 50",
                            "The 50 newest messages of the last 48 hours whose subject starts with \"invoice\".");
        } else {
            b.parameter(ParameterDefinition.of("Page", ParameterType.int32(1, 1000))
                            .describedAs("Which page of results, 1 to 1000; default 1."))
                    .parameter(ParameterDefinition.of("PageSize", ParameterType.int32(1, 5000))
                            .describedAs("Rows per page, 1 to 5000; default 1000."));
        }
        return b.handler((p, ctx) -> {
            long t = ctx.tenantId(name);
            int size = v2 ? p.find("ResultSize", Integer.class).orElse(1000) : p.find("PageSize", Integer.class).orElse(1000);
            int offset = v2 ? 0 : (p.find("Page", Integer.class).orElse(1) - 1) * size;
            SubjectFilterType type = p.get("SubjectFilterType") instanceof SubjectFilterType s ? s : null;
            Request q = new Request(p.instant("StartDate"), p.instant("EndDate"), p.strings("SenderAddress"), p.strings("RecipientAddress"),
                    p.strings("MessageId"), p.string("MessageTraceId"), p.strings("FromIP"), p.strings("Status"), p.string("Subject"), type,
                    p.string("StartingRecipientAddress"), offset, size);
            return List.copyOf(call(() -> service(ctx).search(t, q, flavor)));
        });
    }

    private static CmdletDefinition.Builder<AdminContext> detail(String name, Flavor flavor) {
        return CmdletDefinition.<AdminContext>builder(name)
                .synopsis("Shows the events of one message for one recipient: received (from where, over which TLS, through "
                        + "which connector), mail flow rules, quarantine, delivery.")
                .parameter(ParameterDefinition.of("MessageTraceId", ParameterType.string()).required().fromPipelineByPropertyName()
                        .describedAs("The message (the MessageTraceId column of Get-MessageTrace" + (flavor == Flavor.V2 ? "V2" : "") + ")."))
                .parameter(ParameterDefinition.of("RecipientAddress", ParameterType.string()).required().fromPipelineByPropertyName()
                        .describedAs("The recipient whose events to show (not case-sensitive)."))
                .parameter(ParameterDefinition.of("Event", ParameterType.stringArray())
                        .describedAs("Only these events: Receive, Transport rule, Deliver, Send, Defer, Fail, DSN, Redirect, Drop, "
                                + "Release, Notification."))
                .parameter(ParameterDefinition.of("Action", ParameterType.stringArray())
                        .describedAs("Only events with these actions (a transport rule's action, e.g. Quarantine or RedirectMessage)."))
                .parameter(ParameterDefinition.of("StartDate", ParameterType.dateTime())
                        .describedAs("Only events at or after this time; at most " + (flavor == Flavor.V2 ? "90" : "10") + " days back."))
                .parameter(ParameterDefinition.of("EndDate", ParameterType.dateTime())
                        .describedAs("Only events at or before this time, at most 10 days after -StartDate."))
                .parameter(ParameterDefinition.of("MessageId", ParameterType.string())
                        .describedAs("Only if the message has this Message-ID header (with or without angle brackets)."))
                .parameter(ParameterDefinition.of("SenderAddress", ParameterType.string())
                        .describedAs("Only if the message's MAIL FROM is this address (not case-sensitive)."))
                .example(name + " -MessageTraceId " + SAMPLE_ID + " -RecipientAddress bob@contoso.com",
                        "Every event of that message for Bob, oldest first.")
                .example(name + " -MessageTraceId " + SAMPLE_ID + " -RecipientAddress bob@contoso.com -Event 'Transport rule'",
                        "Which mail flow rules matched it and what they did.")
                .handler((p, ctx) -> {
                    long t = ctx.tenantId(name);
                    return List.copyOf(call(() -> service(ctx).detail(t, p.string("MessageTraceId"), p.string("RecipientAddress"),
                            p.instant("StartDate"), p.instant("EndDate"), p.strings("Event"), p.strings("Action"), p.string("MessageId"),
                            p.string("SenderAddress"), flavor)));
                });
    }

    private static MessageTraceService service(AdminContext ctx) { return new MessageTraceService(ctx.services().store()); }

}
