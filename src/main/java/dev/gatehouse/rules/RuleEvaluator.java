// Runs one tenant's compiled rules over one message, per recipient, and returns the verdict.
package dev.gatehouse.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluation semantics (spec §5.1): rules run in priority order; all conditions must hold (AND), any
 * exception prevents the actions (OR); no condition means every message. Recipient conditions narrow the
 * rule to the recipients they match, and the actions apply to those recipients only (the message is
 * split, James-style). A recipient leaves evaluation when it is quarantined, rejected, deleted or
 * redirected, or when a rule with StopRuleProcessing matched it. Audit and AuditAndNotify rules only
 * record what they would have done. A rule that throws is skipped (RuleErrorAction Ignore) or defers the
 * whole message (Defer). Stateless: every call works on its own state.
 */
public final class RuleEvaluator {
    private static final Logger log = LoggerFactory.getLogger(RuleEvaluator.class);

    private RuleEvaluator() {}

    private static final class State {
        final String address;
        final Long mailboxId;
        final int parent;
        final boolean inherit;
        RuleVerdict.Disposition disposition = RuleVerdict.Disposition.Deliver;
        List<HeaderEdit> edits = new ArrayList<>();
        boolean stopped;
        String reason;
        String rejectStatus;
        String rejectText;
        String ruleName;
        String ruleGuid;
        /** This recipient's spam confidence level: -1 until a rule's SetSCL matched it (no anti-spam stage yet). */
        int scl = -1;

        State(String address, Long mailboxId, int parent, boolean inherit) {
            this.address = address;
            this.mailboxId = mailboxId;
            this.parent = parent;
            this.inherit = inherit;
        }

        boolean evaluated() { return parent < 0 && disposition == RuleVerdict.Disposition.Deliver && !stopped; }
    }

    public static RuleVerdict evaluate(List<CompiledRule> rules, long tenantId, MessageFacts message,
                                       List<Organization.Recipient> recipients, Organization org, Instant now, Deadline deadline) {
        List<State> states = new ArrayList<>();
        for (Organization.Recipient r : recipients) states.add(new State(r.address(), r.mailboxId(), -1, false));
        List<RuleVerdict.Note> notes = new ArrayList<>();
        for (CompiledRule rule : rules) {
            if (!rule.activeAt(now)) continue;
            List<Integer> candidates = new ArrayList<>();
            for (int i = 0; i < states.size(); i++) if (states.get(i).evaluated()) candidates.add(i);
            if (candidates.isEmpty()) break;
            List<Integer> matched;
            try {
                matched = match(rule, tenantId, message, states, candidates, org, deadline);
            } catch (RuntimeException e) {
                log.warn("event=rule_error tenant_id={} rule={} action={} error=\"{}\"", tenantId, rule.guid(),
                        rule.deferOnError() ? "Defer" : "Ignore", e.getMessage());
                notes.add(new RuleVerdict.Note(null, "RuleError", rule.traceDetail() + " Error: " + e.getMessage()
                        + (rule.deferOnError() ? " (RuleErrorAction Defer)" : " (RuleErrorAction Ignore: the rule was skipped)")));
                if (rule.deferOnError()) return new RuleVerdict(List.of(), notes, "rule '" + rule.name() + "' failed: " + e.getMessage());
                continue;
            }
            if (matched.isEmpty()) continue;
            for (int i : matched) notes.add(new RuleVerdict.Note(states.get(i).address, "TransportRule", rule.traceDetail()));
            if (!rule.enforce()) {
                for (int i : matched) {
                    for (RuleAction a : rule.actions()) {
                        notes.add(new RuleVerdict.Note(states.get(i).address, "RuleAction", rule.customData(a)));
                        if (a instanceof RuleAction.GenerateNotification n && rule.mode() == RuleMode.AuditAndNotify) notes.add(notification(states.get(i), n));
                    }
                }
                continue;
            }
            for (int i : matched) {
                State s = states.get(i);
                for (RuleAction a : rule.actions()) {
                    notes.add(new RuleVerdict.Note(s.address, "RuleAction", rule.customData(a)));
                    apply(a, rule, i, s, states, tenantId, message, org, notes);
                }
                if (rule.stop()) s.stopped = true;
            }
        }
        return new RuleVerdict(outcomes(states), notes, null);
    }

    private static List<Integer> match(CompiledRule rule, long tenantId, MessageFacts m, List<State> states, List<Integer> candidates,
                                       Organization org, Deadline deadline) {
        Condition.Input msg = new Condition.Input(m, tenantId, null, org, deadline, -1);
        for (Condition c : rule.conditions()) if (!c.perRecipient() && !c.test(msg)) return List.of();
        for (Condition c : rule.exceptions()) if (!c.perRecipient() && c.test(msg)) return List.of();
        List<Integer> out = new ArrayList<>(candidates.size());
        next:
        for (int i : candidates) {
            Condition.Input in = new Condition.Input(m, tenantId, states.get(i).address, org, deadline, states.get(i).scl);
            for (Condition c : rule.conditions()) if (c.perRecipient() && !c.test(in)) continue next;
            for (Condition c : rule.exceptions()) if (c.perRecipient() && c.test(in)) continue next;
            out.add(i);
        }
        return out;
    }

    private static void apply(RuleAction a, CompiledRule rule, int index, State s, List<State> states, long tenantId,
                              MessageFacts message, Organization org, List<RuleVerdict.Note> notes) {
        switch (a) {
            case RuleAction.SetScl x -> {
                s.edits.add(new HeaderEdit.Set("X-MS-Exchange-Organization-SCL", String.valueOf(x.scl())));
                s.scl = x.scl(); // per recipient: another recipient's copy keeps its own SCL
            }
            case RuleAction.RemoveHeader x -> s.edits.add(new HeaderEdit.Remove(x.header()));
            case RuleAction.SetHeader x -> s.edits.add(new HeaderEdit.Set(x.header(), x.value()));
            case RuleAction.PrependSubject x -> s.edits.add(new HeaderEdit.PrependSubject(x.prefix()));
            case RuleAction.Disclaimer x -> {
                String html = DisclaimerTokens.expand(x.html(), message);
                if (ContentEditor.canInsertDisclaimer(message.content())) {
                    s.edits.add(new HeaderEdit.Disclaimer(html, "Prepend".equalsIgnoreCase(x.location()), "Insert"));
                } else {
                    switch (x.fallback()) {
                        case "Ignore" -> { }
                        case "Reject" -> reject(s, rule, "5.7.1", "Delivery not authorized, message refused");
                        default -> s.edits.add(new HeaderEdit.Disclaimer(html, false, "Wrap"));
                    }
                }
            }
            case RuleAction.AddRecipients x -> {
                for (String addr : x.addresses()) {
                    Organization.Recipient r = org.resolve(tenantId, addr);
                    if (r == null) {
                        notes.add(new RuleVerdict.Note(s.address, "RuleError", rule.traceDetail() + " " + a.name() + ": '" + addr + "' isn't a recipient of the organization"));
                        continue;
                    }
                    if (!"Bcc".equals(x.kind())) s.edits.add(new HeaderEdit.AppendAddress(x.kind(), r.address()));
                    if (!present(states, r.address())) states.add(new State(r.address(), r.mailboxId(), index, true));
                }
            }
            case RuleAction.GenerateNotification x -> notes.add(notification(s, x));
            case RuleAction.Redirect x -> {
                if (s.disposition != RuleVerdict.Disposition.Deliver) return;
                List<String> to = new ArrayList<>();
                for (String addr : x.addresses()) {
                    Organization.Recipient r = org.resolve(tenantId, addr);
                    if (r == null) continue;
                    to.add(r.address());
                    if (!present(states, r.address())) {
                        State t = new State(r.address(), r.mailboxId(), index, false);
                        t.edits = new ArrayList<>(s.edits);
                        t.scl = s.scl;
                        states.add(t);
                    }
                }
                if (to.isEmpty()) { // nobody to redirect to any more: deliver as addressed rather than to no one
                    notes.add(new RuleVerdict.Note(s.address, "RuleError", rule.traceDetail() + " " + a.name() + ": none of '"
                            + String.join("', '", x.addresses()) + "' is a recipient of the organization; delivered to the original recipient"));
                    return;
                }
                terminal(s, rule, RuleVerdict.Disposition.Redirected, "Redirected to " + String.join(", ", to) + " by transport rule");
                notes.add(new RuleVerdict.Note(s.address, "Redirect", "Message redirected to " + String.join(", ", to)));
            }
            case RuleAction.Reject x -> reject(s, rule, x.code(), x.text());
            case RuleAction.Delete x -> terminal(s, rule, RuleVerdict.Disposition.Delete, "Message deleted by transport rule '" + rule.name() + "'");
            case RuleAction.Quarantine x -> terminal(s, rule, RuleVerdict.Disposition.Quarantine, "Message quarantined by transport rule '" + rule.name() + "'");
        }
    }

    private static RuleVerdict.Note notification(State s, RuleAction.GenerateNotification n) {
        // the detail is the notification's text; RuleStage expands its tokens and writes the message
        return new RuleVerdict.Note(s.address, "Notification", n.text());
    }

    /** The first terminal action wins: a recipient already quarantined isn't also rejected by the same rule. */
    private static void terminal(State s, CompiledRule rule, RuleVerdict.Disposition d, String reason) {
        if (s.disposition != RuleVerdict.Disposition.Deliver) return;
        s.disposition = d;
        s.reason = reason;
        s.ruleName = rule.name();
        s.ruleGuid = rule.guid();
    }

    private static void reject(State s, CompiledRule rule, String status, String text) {
        if (s.disposition != RuleVerdict.Disposition.Deliver) return;
        terminal(s, rule, RuleVerdict.Disposition.Reject, status + " " + text);
        s.rejectStatus = status;
        s.rejectText = text;
    }

    private static boolean present(List<State> states, String address) {
        for (State s : states) if (s.address.equalsIgnoreCase(address)) return true;
        return false;
    }

    private static List<RuleVerdict.Outcome> outcomes(List<State> states) {
        List<RuleVerdict.Outcome> out = new ArrayList<>();
        for (State s : states) {
            RuleVerdict.Disposition d = s.disposition;
            List<HeaderEdit> edits = s.edits;
            String reason = s.reason, name = s.ruleName, guid = s.ruleGuid;
            if (s.inherit) { // a copy (AddTo/CopyTo/BlindCopyTo) follows what became of the recipient whose rule added it
                State p = states.get(s.parent);
                edits = p.edits;
                switch (p.disposition) {
                    case Quarantine -> { d = p.disposition; reason = p.reason; name = p.ruleName; guid = p.ruleGuid; }
                    case Reject, Delete -> { d = RuleVerdict.Disposition.Delete; reason = "Copy not sent: " + p.reason; name = p.ruleName; guid = p.ruleGuid; }
                    default -> { }
                }
            }
            boolean reject = d == RuleVerdict.Disposition.Reject;
            out.add(new RuleVerdict.Outcome(s.address, s.mailboxId, d, edits, reason, reject ? s.rejectStatus : null,
                    reject ? s.rejectText : null, name, guid, s.parent >= 0));
        }
        return out;
    }
}
