// New-/Get-/Set-/Remove-/Enable-/Disable-TransportRule with Exchange Online's parameter names (spec §5).
package dev.gatehouse.admin;

import static dev.gatehouse.admin.AdminContext.call;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gatehouse.cmdlet.BoundParameters;
import dev.gatehouse.cmdlet.ByteQuantifiedSize;
import dev.gatehouse.cmdlet.CmdletDefinition;
import dev.gatehouse.cmdlet.CmdletRegistry;
import dev.gatehouse.cmdlet.ParameterDefinition;
import dev.gatehouse.cmdlet.ParameterType;
import dev.gatehouse.rules.RuleErrorAction;
import dev.gatehouse.rules.RuleMode;
import dev.gatehouse.rules.RuleParameters;
import dev.gatehouse.rules.RuleService;
import dev.gatehouse.rules.TransportRule;

/**
 * Thin: binds parameters (each rule parameter is declared from {@link RuleParameters}, with its validator, so
 * a bad value is refused with the parameter named, e.g. the seed's {@code -ExceptIfSenderIpRanges}), then
 * calls {@link RuleService}, which validates again for callers that don't come through a cmdlet.
 */
final class TransportRuleCmdlets {
    private TransportRuleCmdlets() {}

    private static final List<String> SCALARS = List.of("Name", "Priority", "Mode", "Enabled", "ActivationDate", "ExpiryDate",
            "StopRuleProcessing", "SenderAddressLocation", "Comments", "RuleErrorAction");

    static void register(CmdletRegistry<AdminContext> r) {
        r.register(common(CmdletDefinition.<AdminContext>builder("New-TransportRule")
                .synopsis("Creates a mail flow (transport) rule.")
                .parameter(ParameterDefinition.of("Name", ParameterType.string()).required().at(0)))
                .supportsShouldProcess()
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("New-TransportRule");
                    if (!p.shouldProcess(p.string("Name"))) return List.of();
                    return List.of(view(call(() -> rules(ctx).create(t, input(p)))));
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Get-TransportRule")
                .synopsis("Lists the organization's transport rules in priority order, or shows one.")
                .parameter(identity(false))
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Get-TransportRule");
                    if (p.has("Identity")) return List.of(view(call(() -> rules(ctx).get(t, p.string("Identity")))));
                    return rules(ctx).list(t).stream().map(TransportRuleCmdlets::view).toList();
                }).build());
        r.register(common(CmdletDefinition.<AdminContext>builder("Set-TransportRule")
                .synopsis("Changes a transport rule; a parameter set to $null is cleared.")
                .parameter(identity(true))
                .parameter(ParameterDefinition.of("Name", ParameterType.string())))
                .supportsShouldProcess()
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Set-TransportRule");
                    TransportRule rule = call(() -> rules(ctx).get(t, p.string("Identity")));
                    if (!p.shouldProcess(rule.name())) return List.of();
                    call(() -> rules(ctx).set(t, rule.guid(), input(p)));
                    return List.of();
                }).build());
        for (String verb : List.of("Remove", "Enable", "Disable")) {
            String name = verb + "-TransportRule";
            r.register(CmdletDefinition.<AdminContext>builder(name)
                    .synopsis(verb + "s a transport rule.")
                    .parameter(identity(true))
                    .supportsShouldProcess()
                    .handler((p, ctx) -> {
                        long t = ctx.tenantId(name);
                        TransportRule rule = call(() -> rules(ctx).get(t, p.string("Identity")));
                        if (!p.shouldProcess(rule.name())) return List.of();
                        AdminContext.run(() -> {
                            if (verb.equals("Remove")) rules(ctx).remove(t, rule.guid());
                            else rules(ctx).setEnabled(t, rule.guid(), verb.equals("Enable"));
                        });
                        return List.of();
                    }).build());
        }
    }

    private static RuleService rules(AdminContext ctx) { return new RuleService(ctx.services().store()); }

    private static ParameterDefinition identity(boolean required) {
        ParameterDefinition p = ParameterDefinition.of("Identity", ParameterType.string()).at(0).fromPipelineByPropertyName();
        return required ? p.required() : p;
    }

    private static CmdletDefinition.Builder<AdminContext> common(CmdletDefinition.Builder<AdminContext> b) {
        b.parameter(ParameterDefinition.of("Priority", ParameterType.int32(0, RuleService.MAX_RULES)))
                .parameter(ParameterDefinition.of("Mode", ParameterType.enumOf(RuleMode.class)))
                .parameter(ParameterDefinition.of("Enabled", ParameterType.bool()))
                .parameter(ParameterDefinition.of("ActivationDate", ParameterType.dateTime()))
                .parameter(ParameterDefinition.of("ExpiryDate", ParameterType.dateTime()))
                .parameter(ParameterDefinition.of("StopRuleProcessing", ParameterType.bool()))
                .parameter(ParameterDefinition.of("SenderAddressLocation", ParameterType.enumOf("SenderAddressLocation", "Header", "Envelope", "HeaderOrEnvelope")))
                .parameter(ParameterDefinition.of("Comments", ParameterType.string()))
                .parameter(ParameterDefinition.of("RuleErrorAction", ParameterType.enumOf(RuleErrorAction.class)));
        RuleParameters.ALL.forEach((name, kind) -> b.parameter(ParameterDefinition.of(name, type(kind))
                .validatedBy(v -> RuleParameters.problem(kind, v))));
        return b;
    }

    private static ParameterType type(RuleParameters.Kind k) {
        if (RuleParameters.isList(k)) return ParameterType.stringArray();
        return switch (k) {
            case SCOPE -> ParameterType.enumOf("UserScope", "InOrganization", "NotInOrganization");
            case SIZE -> ParameterType.byteSize();
            case SCL -> ParameterType.int32(-1, 9);
            case IMPORTANCE -> ParameterType.enumOf("Importance", "Low", "Normal", "High");
            case BOOL -> ParameterType.bool();
            case DISCLAIMER_LOCATION -> ParameterType.enumOf("DisclaimerLocation", "Append", "Prepend");
            case DISCLAIMER_FALLBACK -> ParameterType.enumOf("DisclaimerFallbackAction", "Wrap", "Ignore", "Reject");
            default -> ParameterType.string();
        };
    }

    private static RuleService.RuleInput input(BoundParameters p) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : p.asMap().entrySet()) {
            if (SCALARS.contains(e.getKey()) || e.getKey().equals("Identity")) continue;
            Object v = e.getValue();
            if (v instanceof ByteQuantifiedSize s) v = s.bytes();
            params.put(e.getKey(), v);
        }
        return new RuleService.RuleInput(p.string("Name"), p.get("Priority", Integer.class), p.get("Mode", RuleMode.class), p.get("Enabled", Boolean.class),
                instant(p, "ActivationDate"), instant(p, "ExpiryDate"), p.has("ActivationDate") && p.get("ActivationDate") == null,
                p.has("ExpiryDate") && p.get("ExpiryDate") == null, p.get("StopRuleProcessing", Boolean.class),
                p.string("SenderAddressLocation"), p.string("Comments"), p.get("RuleErrorAction", RuleErrorAction.class), params);
    }

    private static Instant instant(BoundParameters p, String name) {
        return p.get(name) instanceof OffsetDateTime d ? d.toInstant() : null;
    }

    static Map<String, Object> view(TransportRule r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", r.name());
        m.put("State", r.enabled() ? "Enabled" : "Disabled");
        m.put("Mode", r.mode().name());
        m.put("Priority", r.priority());
        m.put("Comments", r.comments());
        m.put("ActivationDate", r.activationDate());
        m.put("ExpiryDate", r.expiryDate());
        m.put("StopRuleProcessing", r.stopRuleProcessing());
        m.put("SenderAddressLocation", r.senderAddressLocation());
        m.put("RuleErrorAction", r.ruleErrorAction().name());
        m.putAll(r.parameters());
        m.put("Guid", r.guid());
        m.put("WhenChanged", r.whenChanged());
        m.put("Identity", r.name());
        return m;
    }
}
