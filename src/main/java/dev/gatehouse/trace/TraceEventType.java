// The kinds of message events recorded for message trace.
package dev.gatehouse.trace;

/** Grows with features (Quarantine, Redirect, Drop, ...); stored by name. */
public enum TraceEventType {
    Receive, Deliver, Defer, Fail,
    /** Mail flow rules: a matched rule (Exchange's detail text), an action's custom data, an evaluation error. */
    TransportRule, RuleAction, RuleError,
    /** Outcomes of rules: quarantined, redirected, dropped, an NDR that is still to be sent, a notification not sent. */
    Quarantine, Redirect, Drop, NdrPending, Notification,
    /** Hosted quarantine: a copy released to a recipient. */
    Release
}
