// One rule compiled into predicate and action objects, ready for evaluation.
package dev.gatehouse.rules;

import java.time.Instant;
import java.util.List;

/** Immutable and shared by every evaluation of the tenant's snapshot. */
public record CompiledRule(String guid, String name, RuleMode mode, Instant activation, Instant expiry, boolean stop,
                           boolean deferOnError, List<Condition> conditions, List<Condition> exceptions,
                           List<RuleAction> actions) {

    public static CompiledRule of(TransportRule r) {
        Condition.Location loc = Condition.Location.valueOf(r.senderAddressLocation());
        return new CompiledRule(r.guid(), r.name(), r.mode(), r.activationDate(), r.expiryDate(), r.stopRuleProcessing(),
                r.ruleErrorAction() == RuleErrorAction.Defer,
                RuleParameters.conditions(r.parameters(), "", loc), RuleParameters.conditions(r.parameters(), "ExceptIf", loc),
                RuleParameters.actions(r.parameters()));
    }

    boolean activeAt(Instant now) {
        return (activation == null || !now.isBefore(activation)) && (expiry == null || now.isBefore(expiry));
    }

    boolean enforce() { return mode == RuleMode.Enforce; }

    /** The message trace detail of a matched rule, exactly as Exchange writes it (spec §7). */
    public String traceDetail() {
        return "Transport rule: '" + name + "', ID: ('" + guid + "'), DLP policy: '', ID: (00000000-0000-0000-0000-000000000000).";
    }

    /** The Transport Rule Agent custom data of one action (spec §7, EAC extended CSV). */
    String customData(RuleAction a) {
        return "S:TRA=ETR|ruleId=" + guid + "|action=" + a.name() + "|sev=1|mode=" + mode.traceName();
    }
}
