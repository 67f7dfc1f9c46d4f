// Get-/Preview-/Release-/Delete-/Export-QuarantineMessage (spec §6), scoped to the caller's organization.
package dev.gatehouse.admin;

import static dev.gatehouse.admin.AdminContext.call;

import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.cmdlet.BoundParameters;
import dev.gatehouse.cmdlet.CmdletDefinition;
import dev.gatehouse.cmdlet.CmdletException;
import dev.gatehouse.cmdlet.CmdletRegistry;
import dev.gatehouse.cmdlet.ParameterDefinition;
import dev.gatehouse.cmdlet.ParameterType;
import dev.gatehouse.quarantine.QuarantineService;

/**
 * {@code -Identities id1,id2} acts on several copies (then {@code -Identity} is ignored, as in Exchange).
 * Release without {@code -User} releases to the copy's original recipient ({@code -ReleaseToAll});
 * {@code -User} and {@code -ReleaseToAll} can't be combined. Every release, delete and export is recorded
 * with the caller's principal name.
 */
final class QuarantineCmdlets {
    private QuarantineCmdlets() {}

    /** Sample identities (Exchange's format, GUID1\\GUID2) used by the examples; a test maps them to real copies. */
    static final String SAMPLE_1 = "c14401cf-aa9a-465b-cfd5-08d0f0ca37c5\\4c2ca98e-94ea-db3a-7eb8-3b63657d4db7";
    static final String SAMPLE_2 = "7b1e62a0-3f0c-4d8e-9a51-08d0f0ca37c5\\0d6b4f7e-2c1a-4b9e-8f3d-5a7c9e1b2d40";
    static final String SAMPLE_3 = "2f9d8c71-5e4b-4a3c-b2d1-08d0f0ca37c5\\9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b";

    private static final String IDENTITY = "The quarantined copy, as GUID1\\GUID2 (the message, then its recipient), from the "
            + "Identity property of Get-QuarantineMessage; quote it ('...'). One message to several recipients has one copy "
            + "per recipient.";

    static void register(CmdletRegistry<AdminContext> r) {
        r.register(CmdletDefinition.<AdminContext>builder("Get-QuarantineMessage")
                .synopsis("Lists quarantined messages (newest first, a page at a time), or shows one.")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).at(0).fromPipelineByPropertyName()
                        .describedAs(IDENTITY + " Given, it shows that copy whatever its age and the other filters are ignored."))
                .parameter(ParameterDefinition.of("StartReceivedDate", ParameterType.dateTime())
                        .describedAs("Only messages received at or after this time, e.g. 11/01/2026 or 2026-11-01T08:00:00Z (UTC "
                                + "unless an offset is given). Default: 16 days ago; at most 30 days back, as in Exchange (an "
                                + "older date counts as 30 days ago)."))
                .parameter(ParameterDefinition.of("EndReceivedDate", ParameterType.dateTime())
                        .describedAs("Only messages received at or before this time (same formats as -StartReceivedDate)."))
                .parameter(ParameterDefinition.of("StartExpiresDate", ParameterType.dateTime())
                        .describedAs("Only messages that expire (are deleted for good) at or after this time. A transport-rule "
                                + "quarantine keeps a message 30 days."))
                .parameter(ParameterDefinition.of("EndExpiresDate", ParameterType.dateTime())
                        .describedAs("Only messages that expire at or before this time, e.g. those that go within the next two days."))
                .parameter(ParameterDefinition.of("RecipientAddress", ParameterType.stringArray())
                        .describedAs("Only messages to one of these addresses (comma-separated, not case-sensitive)."))
                .parameter(ParameterDefinition.of("SenderAddress", ParameterType.stringArray())
                        .describedAs("Only messages whose sender (MAIL FROM) is one of these addresses (comma-separated, not "
                                + "case-sensitive)."))
                .parameter(ParameterDefinition.of("Subject", ParameterType.string())
                        .describedAs("Only messages whose subject contains this text (not case-sensitive)."))
                .parameter(ParameterDefinition.of("MessageId", ParameterType.string())
                        .describedAs("Only the message with this Message-ID header, angle brackets included, e.g. "
                                + "'<invoice-2291@partner.example>'."))
                .parameter(ParameterDefinition.of("PolicyName", ParameterType.string())
                        .describedAs("Only messages quarantined by the transport rule with this name (not case-sensitive)."))
                .parameter(ParameterDefinition.of("QuarantineTypes", ParameterType.listOf(ParameterType.enumOf("QuarantineMessageTypeEnum",
                        "Bulk", "DataLossPrevention", "FileTypeBlock", "HighConfPhish", "Malware", "Phish", "Spam", "SPOMalware", "TransportRule")))
                        .describedAs("Only messages quarantined for one of these reasons, comma-separated. Gatehouse quarantines "
                                + "through transport rules (TransportRule) and the anti-phishing policy (Phish: spoofs and DMARC "
                                + "failures); the other values are accepted and find nothing."))
                .parameter(ParameterDefinition.of("Type", ParameterType.enumOf("QuarantineMessageType",
                        "Bulk", "DataLossPrevention", "HighConfPhish", "Malware", "Phish", "Spam", "SPOMalware", "TransportRule"))
                        .describedAs("One reason, as with -QuarantineTypes (Exchange's older parameter); combined with "
                                + "-QuarantineTypes, either matches."))
                .parameter(ParameterDefinition.of("PolicyTypes", ParameterType.listOf(ParameterType.enumOf("QuarantinePolicyTypeEnum",
                        "AntiMalwarePolicy", "AntiPhishPolicy", "DataLossPreventionRule", "ExchangeTransportRule", "HostedContentFilterPolicy", "SafeAttachmentPolicy")))
                        .describedAs("Only messages quarantined by one of these kinds of policy, comma-separated. In Gatehouse every "
                                + "quarantined message has ExchangeTransportRule."))
                .parameter(ParameterDefinition.of("ReleaseStatus", ParameterType.enumOf("ReleaseStatus",
                        "Approved", "Denied", "Error", "NotReleased", "PreparingToRelease", "Released", "Requested"))
                        .describedAs("Only messages in this release state: NotReleased or Released in Gatehouse (the user-request "
                                + "states of Exchange never occur). Output shows it in upper case (NOTRELEASED), as Exchange does."))
                .parameter(ParameterDefinition.of("Direction", ParameterType.enumOf("QuarantineMessageDirectionEnum", "Inbound", "Outbound"))
                        .describedAs("Inbound or Outbound. Gatehouse quarantines inbound mail only, so Outbound finds nothing."))
                .parameter(ParameterDefinition.of("EntityType", ParameterType.enumOf("QuarantineEntityType", "Email", "SharePointOnline", "Teams", "DataLossPrevention"))
                        .describedAs("Email, SharePointOnline, Teams or DataLossPrevention. Gatehouse quarantines email only: any "
                                + "other value finds nothing."))
                .parameter(ParameterDefinition.of("Domain", ParameterType.stringArray())
                        .describedAs("Only messages to recipients in one of these domains (comma-separated, not case-sensitive)."))
                .parameter(ParameterDefinition.of("Reported", ParameterType.bool())
                        .describedAs("$true: only messages reported as false positives; Gatehouse has no user reporting, so none "
                                + "are. $false: every message."))
                .parameter(ParameterDefinition.of("MyItems", ParameterType.switchParameter())
                        .describedAs("Only messages addressed to the caller; an admin token is no mailbox, so none are."))
                .parameter(ParameterDefinition.of("Page", ParameterType.int32(1, 1000))
                        .describedAs("Which page of results to show, 1 to 1000; default 1. Messages are sorted newest first."))
                .parameter(ParameterDefinition.of("PageSize", ParameterType.int32(1, 1000))
                        .describedAs("How many messages per page, 1 to 1000; default 100."))
                .example("Get-QuarantineMessage -QuarantineTypes TransportRule",
                        "Lists the messages mail flow rules quarantined in the last 16 days, newest first.")
                .example("Get-QuarantineMessage -RecipientAddress bob@contoso.com -StartReceivedDate 11/01/2026 -PageSize 20",
                        "The first 20 quarantined messages to Bob since November 1st (or the last 30 days, if that is later).")
                .example("Get-QuarantineMessage -MessageId '<invoice-2291@partner.example>'",
                        "Finds the quarantined copies of one message by its Message-ID.")
                .example("Get-QuarantineMessage -Identity '" + SAMPLE_1 + "' | Format-List",
                        "Shows one quarantined copy with its recipient, policy, expiry and release state.")
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Get-QuarantineMessage");
                    if (Boolean.TRUE.equals(p.get("Reported")) || p.isSet("MyItems")) return List.of();
                    // only inbound transport-rule email is ever quarantined here
                    if ("Outbound".equals(p.string("Direction")) || (p.has("EntityType") && !"Email".equals(p.string("EntityType")))) return List.of();
                    List<String> types = p.strings("QuarantineTypes");
                    if (p.has("Type")) { types = new ArrayList<>(types); types.add(p.string("Type")); }
                    List<String> finalTypes = types;
                    var f = new QuarantineService.Filter(p.string("Identity"), p.instant("StartReceivedDate"), p.instant("EndReceivedDate"),
                            p.instant("StartExpiresDate"), p.instant("EndExpiresDate"), p.strings("RecipientAddress"), p.strings("SenderAddress"),
                            p.string("Subject"), p.string("MessageId"), p.string("PolicyName"), finalTypes, p.strings("PolicyTypes"),
                            p.string("ReleaseStatus"), p.strings("Domain"), p.find("Page", Integer.class).orElse(1),
                            p.find("PageSize", Integer.class).orElse(100));
                    if (p.has("Identity")) return List.of(call(() -> service(ctx).get(t, p.string("Identity"))));
                    return call(() -> service(ctx).list(t, f));
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Preview-QuarantineMessage")
                .synopsis("Shows a quarantined message's headers, text and attachment names (nothing in it is opened or run).")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).required().at(0).fromPipelineByPropertyName()
                        .describedAs(IDENTITY))
                .parameter(ParameterDefinition.of("RecipientAddress", ParameterType.string())
                        .describedAs("Accepted for Exchange scripts and ignored: the Identity already names one recipient's copy."))
                .parameter(ParameterDefinition.of("EntityType", ParameterType.string())
                        .describedAs("Accepted for Exchange scripts and ignored: Gatehouse quarantines email only."))
                .example("Preview-QuarantineMessage -Identity '" + SAMPLE_1 + "'",
                        "Shows the message's header, its text (HTML reduced to text, scripts removed) and its attachment names "
                                + "and types, without opening anything.")
                .handler((p, ctx) -> List.of(call(() -> service(ctx).preview(ctx.tenantId("Preview-QuarantineMessage"), p.string("Identity")))))
                .build());
        r.register(withIdentities(CmdletDefinition.<AdminContext>builder("Release-QuarantineMessage")
                .synopsis("Releases a quarantined message to its recipient (-ReleaseToAll) or to other recipients of the organization (-User)."))
                .parameter(ParameterDefinition.of("User", ParameterType.stringArray())
                        .describedAs("Releases the message to these addresses instead, comma-separated: each must be a recipient of "
                                + "the organization (the original recipient or any other). Can't be combined with -ReleaseToAll."))
                .parameter(ParameterDefinition.of("ReleaseToAll", ParameterType.switchParameter())
                        .describedAs("Releases the message to its original recipient (the default when -User isn't given). A "
                                + "recipient it was already released to is skipped unless -Force is given."))
                .parameter(ParameterDefinition.of("Force", ParameterType.switchParameter())
                        .describedAs("Releases again to recipients that already got the message."))
                .parameter(ParameterDefinition.of("ActionType", ParameterType.enumOf("ReleaseActionType", "Release"))
                        .describedAs("Release, the only action here: Exchange's Deny and Request belong to users' release "
                                + "requests, which Gatehouse doesn't have."))
                .parameter(ParameterDefinition.of("AllowSender", ParameterType.switchParameter())
                        .describedAs("Accepted and ignored: a transport rule quarantines by its conditions, so a released sender "
                                + "can still be quarantined later (as Exchange says for transport-rule quarantines)."))
                .supportsShouldProcess()
                .example("Release-QuarantineMessage -Identity '" + SAMPLE_1 + "' -ReleaseToAll",
                        "Delivers the quarantined copy to its original recipient, stamped X-Forefront-Antispam-Report: SFV:SKQ; "
                                + "no rule runs on it again. The release is audited with your name.")
                .example("Release-QuarantineMessage -Identity '" + SAMPLE_2 + "' -User alice@contoso.com",
                        "Delivers the message to Alice instead of (or as well as) its original recipient.")
                .example("Get-QuarantineMessage -PolicyName \"Quarantine spoofed contoso.com\" -ReleaseStatus NotReleased | Release-QuarantineMessage -ReleaseToAll",
                        "Releases everything one rule quarantined that hasn't been released yet.")
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Release-QuarantineMessage");
                    if (p.has("User") && p.isSet("ReleaseToAll")) throw new CmdletException("-User and -ReleaseToAll can't be used together.");
                    List<String> users = p.has("User") ? p.strings("User") : null;
                    List<Object> out = new ArrayList<>();
                    for (String id : identities(p)) {
                        call(() -> service(ctx).get(t, id)); // -WhatIf too must not report a change to another tenant's item
                        if (!p.shouldProcess(id)) continue;
                        out.add(call(() -> service(ctx).release(t, id, users, p.isSet("Force"), ctx.principal().name())));
                    }
                    return out;
                }).build());
        r.register(withIdentities(CmdletDefinition.<AdminContext>builder("Delete-QuarantineMessage")
                .synopsis("Deletes a quarantined message permanently."))
                .parameter(ParameterDefinition.of("HardDelete", ParameterType.switchParameter())
                        .describedAs("Accepted for Exchange scripts: Gatehouse always deletes for good (Exchange without it keeps "
                                + "the message recoverable for a while)."))
                .parameter(ParameterDefinition.of("RecipientAddress", ParameterType.string())
                        .describedAs("Accepted for Exchange scripts and ignored: the Identity already names one recipient's copy."))
                .supportsShouldProcess()
                .example("Delete-QuarantineMessage -Identity '" + SAMPLE_3 + "'",
                        "Deletes one quarantined copy; it can't be recovered. The deletion is audited with your name.")
                .example("Delete-QuarantineMessage -Identities '" + SAMPLE_1 + "','" + SAMPLE_2 + "' -HardDelete -Confirm:$false",
                        "Deletes two copies at once.")
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Delete-QuarantineMessage");
                    for (String id : identities(p)) {
                        call(() -> service(ctx).get(t, id));
                        if (p.shouldProcess(id)) AdminContext.run(() -> service(ctx).delete(t, id, ctx.principal().name()));
                    }
                    return List.of();
                }).build());
        r.register(withIdentities(CmdletDefinition.<AdminContext>builder("Export-QuarantineMessage")
                .synopsis("Returns the original bytes of a quarantined message as Base64 in the Eml property."))
                .parameter(ParameterDefinition.of("ReasonForExport", ParameterType.string())
                        .describedAs("Why the message is exported; written to the quarantine audit log with your name."))
                .parameter(ParameterDefinition.of("CompressOutput", ParameterType.switchParameter())
                        .describedAs("Returns a zip instead (Base64 in Eml), holding GUID1/GUID2.eml, as Exchange does."))
                .example("Export-QuarantineMessage -Identity '" + SAMPLE_1 + "' -ReasonForExport \"Case 2291\"",
                        "Returns the message as received (Eml, Base64) for analysis; decode it to a .eml file. The export is "
                                + "audited.")
                .example("Export-QuarantineMessage -Identities '" + SAMPLE_1 + "','" + SAMPLE_2 + "' -CompressOutput",
                        "Exports two copies, each as a zip.")
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Export-QuarantineMessage");
                    List<Object> out = new ArrayList<>();
                    for (String id : identities(p)) {
                        var e = call(() -> service(ctx).export(t, id, ctx.principal().name(), p.string("ReasonForExport")));
                        out.add(p.isSet("CompressOutput") ? QuarantineService.compressed(e) : e);
                    }
                    return out;
                }).build());
    }

    private static CmdletDefinition.Builder<AdminContext> withIdentities(CmdletDefinition.Builder<AdminContext> b) {
        return b.parameter(ParameterDefinition.of("Identity", ParameterType.string()).at(0).fromPipelineByPropertyName()
                        .describedAs(IDENTITY + " Required unless -Identities is given."))
                .parameter(ParameterDefinition.of("Identities", ParameterType.stringArray())
                        .describedAs("Several copies at once, comma-separated, each GUID1\\GUID2; then -Identity is ignored (Exchange "
                                + "requires it anyway, e.g. -Identity 000)."))
                .parameter(ParameterDefinition.of("EntityType", ParameterType.string())
                        .describedAs("Accepted for Exchange scripts and ignored: Gatehouse quarantines email only."));
    }

    private static List<String> identities(BoundParameters p) {
        if (p.has("Identities")) return p.strings("Identities");
        if (p.string("Identity") == null) throw new CmdletException("Give -Identity GUID\\GUID or -Identities id1,id2.");
        return List.of(p.string("Identity"));
    }

    private static QuarantineService service(AdminContext ctx) { return new QuarantineService(ctx.services().store()); }

}
