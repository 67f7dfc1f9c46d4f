// The outcome of one tenant's rules for one message: a disposition and content edits per recipient, plus trace notes.
package dev.gatehouse.rules;

import java.util.List;

/**
 * @param outcomes one per original recipient of the tenant, plus the recipients rules added (redirect, copy)
 * @param notes    what to record in message trace, in order (one {@code TransportRule} note per matched rule
 *                 and recipient, one {@code RuleAction} note per action with its custom data, ...)
 * @param deferReason non-null when a rule with {@code RuleErrorAction Defer} failed: the message must be
 *                 refused with a temporary error so the client retries (nothing is lost)
 */
public record RuleVerdict(List<Outcome> outcomes, List<Note> notes, String deferReason) {
    public RuleVerdict {
        outcomes = List.copyOf(outcomes);
        notes = List.copyOf(notes);
    }

    public enum Disposition { Deliver, Quarantine, Reject, Delete, Redirected }

    /**
     * @param reason       for Reject the SMTP reply text ({@code 5.7.1 Blocked}); for other dispositions a trace note
     * @param rejectStatus for Reject the enhanced status code ({@code 5.7.1}), else null
     * @param rejectText   for Reject the reply text after the status ({@code Blocked}), else null
     * @param ruleName     the rule that quarantined/rejected/deleted (null otherwise)
     * @param added        true for a recipient added by a rule (not in the envelope)
     */
    public record Outcome(String address, Long mailboxId, Disposition disposition, List<HeaderEdit> edits, String reason,
                          String rejectStatus, String rejectText, String ruleName, String ruleGuid, boolean added) {
        public Outcome { edits = List.copyOf(edits); }
    }

    /** @param type the trace event type's name (TransportRule, RuleAction, Notification, NdrPending, ...) */
    public record Note(String recipient, String type, String detail) {}
}
