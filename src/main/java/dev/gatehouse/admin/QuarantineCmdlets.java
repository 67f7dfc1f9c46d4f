// Get-/Preview-/Release-/Delete-/Export-QuarantineMessage (spec §6), scoped to the caller's organization.
package dev.gatehouse.admin;

import static dev.gatehouse.admin.AdminContext.call;

import java.time.Instant;
import java.time.OffsetDateTime;
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

    static void register(CmdletRegistry<AdminContext> r) {
        r.register(CmdletDefinition.<AdminContext>builder("Get-QuarantineMessage")
                .synopsis("Lists quarantined messages (newest first, a page at a time), or shows one.")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).at(0).fromPipelineByPropertyName())
                .parameter(ParameterDefinition.of("StartReceivedDate", ParameterType.dateTime()))
                .parameter(ParameterDefinition.of("EndReceivedDate", ParameterType.dateTime()))
                .parameter(ParameterDefinition.of("StartExpiresDate", ParameterType.dateTime()))
                .parameter(ParameterDefinition.of("EndExpiresDate", ParameterType.dateTime()))
                .parameter(ParameterDefinition.of("RecipientAddress", ParameterType.stringArray()))
                .parameter(ParameterDefinition.of("SenderAddress", ParameterType.stringArray()))
                .parameter(ParameterDefinition.of("Subject", ParameterType.string()))
                .parameter(ParameterDefinition.of("MessageId", ParameterType.string()))
                .parameter(ParameterDefinition.of("PolicyName", ParameterType.string()))
                .parameter(ParameterDefinition.of("QuarantineTypes", ParameterType.listOf(ParameterType.enumOf("QuarantineMessageTypeEnum",
                        "Bulk", "DataLossPrevention", "FileTypeBlock", "HighConfPhish", "Malware", "Phish", "Spam", "SPOMalware", "TransportRule"))))
                .parameter(ParameterDefinition.of("Type", ParameterType.enumOf("QuarantineMessageType",
                        "Bulk", "DataLossPrevention", "HighConfPhish", "Malware", "Phish", "Spam", "SPOMalware", "TransportRule")))
                .parameter(ParameterDefinition.of("PolicyTypes", ParameterType.listOf(ParameterType.enumOf("QuarantinePolicyTypeEnum",
                        "AntiMalwarePolicy", "AntiPhishPolicy", "DataLossPreventionRule", "ExchangeTransportRule", "HostedContentFilterPolicy", "SafeAttachmentPolicy"))))
                .parameter(ParameterDefinition.of("ReleaseStatus", ParameterType.enumOf("ReleaseStatus",
                        "Approved", "Denied", "Error", "NotReleased", "PreparingToRelease", "Released", "Requested")))
                .parameter(ParameterDefinition.of("Direction", ParameterType.enumOf("QuarantineMessageDirectionEnum", "Inbound", "Outbound")))
                .parameter(ParameterDefinition.of("EntityType", ParameterType.enumOf("QuarantineEntityType", "Email", "SharePointOnline", "Teams", "DataLossPrevention")))
                .parameter(ParameterDefinition.of("Domain", ParameterType.stringArray()).describedAs("Recipient domains"))
                .parameter(ParameterDefinition.of("Reported", ParameterType.bool())
                        .describedAs("Messages reported as false positives ($true); Gatehouse has no user reporting, so none are"))
                .parameter(ParameterDefinition.of("MyItems", ParameterType.switchParameter())
                        .describedAs("Only messages addressed to the caller; an admin token is no mailbox, so none are"))
                .parameter(ParameterDefinition.of("Page", ParameterType.int32(1, 1000)))
                .parameter(ParameterDefinition.of("PageSize", ParameterType.int32(1, 1000)))
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Get-QuarantineMessage");
                    if (Boolean.TRUE.equals(p.get("Reported")) || p.isSet("MyItems")) return List.of();
                    // only inbound transport-rule email is ever quarantined here
                    if ("Outbound".equals(p.string("Direction")) || (p.has("EntityType") && !"Email".equals(p.string("EntityType")))) return List.of();
                    List<String> types = list(p, "QuarantineTypes");
                    if (p.has("Type")) { types = new ArrayList<>(types); types.add(p.string("Type")); }
                    List<String> finalTypes = types;
                    var f = new QuarantineService.Filter(p.string("Identity"), instant(p, "StartReceivedDate"), instant(p, "EndReceivedDate"),
                            instant(p, "StartExpiresDate"), instant(p, "EndExpiresDate"), list(p, "RecipientAddress"), list(p, "SenderAddress"),
                            p.string("Subject"), p.string("MessageId"), p.string("PolicyName"), finalTypes, list(p, "PolicyTypes"),
                            p.string("ReleaseStatus"), list(p, "Domain"), p.find("Page", Integer.class).orElse(1),
                            p.find("PageSize", Integer.class).orElse(100));
                    if (p.has("Identity")) return List.of(call(() -> service(ctx).get(t, p.string("Identity"))));
                    return call(() -> service(ctx).list(t, f));
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Preview-QuarantineMessage")
                .synopsis("Shows a quarantined message's headers, text and attachment names (nothing in it is opened or run).")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).required().at(0).fromPipelineByPropertyName())
                .parameter(ParameterDefinition.of("RecipientAddress", ParameterType.string()))
                .parameter(ParameterDefinition.of("EntityType", ParameterType.string()))
                .handler((p, ctx) -> List.of(call(() -> service(ctx).preview(ctx.tenantId("Preview-QuarantineMessage"), p.string("Identity")))))
                .build());
        r.register(withIdentities(CmdletDefinition.<AdminContext>builder("Release-QuarantineMessage")
                .synopsis("Releases a quarantined message to its recipient (-ReleaseToAll) or to other recipients of the organization (-User)."))
                .parameter(ParameterDefinition.of("User", ParameterType.stringArray()))
                .parameter(ParameterDefinition.of("ReleaseToAll", ParameterType.switchParameter()))
                .parameter(ParameterDefinition.of("Force", ParameterType.switchParameter()))
                .parameter(ParameterDefinition.of("ActionType", ParameterType.enumOf("ReleaseActionType", "Release")))
                .parameter(ParameterDefinition.of("AllowSender", ParameterType.switchParameter()))
                .supportsShouldProcess()
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Release-QuarantineMessage");
                    if (p.has("User") && p.isSet("ReleaseToAll")) throw new CmdletException("-User and -ReleaseToAll can't be used together.");
                    List<String> users = p.has("User") ? list(p, "User") : null;
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
                .parameter(ParameterDefinition.of("HardDelete", ParameterType.switchParameter()))
                .parameter(ParameterDefinition.of("RecipientAddress", ParameterType.string()))
                .supportsShouldProcess()
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
                .parameter(ParameterDefinition.of("ReasonForExport", ParameterType.string()))
                .parameter(ParameterDefinition.of("CompressOutput", ParameterType.switchParameter()))
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
        return b.parameter(ParameterDefinition.of("Identity", ParameterType.string()).at(0).fromPipelineByPropertyName())
                .parameter(ParameterDefinition.of("Identities", ParameterType.stringArray()))
                .parameter(ParameterDefinition.of("EntityType", ParameterType.string()));
    }

    private static List<String> identities(BoundParameters p) {
        if (p.has("Identities")) return list(p, "Identities");
        if (p.string("Identity") == null) throw new CmdletException("Give -Identity GUID\\GUID or -Identities id1,id2.");
        return List.of(p.string("Identity"));
    }

    private static QuarantineService service(AdminContext ctx) { return new QuarantineService(ctx.services().store()); }

    @SuppressWarnings("unchecked")
    private static List<String> list(BoundParameters p, String name) {
        Object v = p.get(name);
        return v == null ? List.of() : (List<String>) v;
    }

    private static Instant instant(BoundParameters p, String name) {
        return p.get(name) instanceof OffsetDateTime d ? d.toInstant() : null;
    }
}
