// The kinds of message events recorded for message trace.
package dev.gatehouse.queue;

/** Grows with features (Quarantine, Redirect, Drop, ...); stored by name. */
public enum TraceEventType {
    Receive, Deliver, Defer, Fail,
    /** Mail flow rules: a matched rule (Exchange's detail text), an action's custom data, an evaluation error. */
    TransportRule, RuleAction, RuleError,
    /** Outcomes of rules: quarantined, redirected, dropped, NdrPending (rows written before NDRs existed), a notification. */
    Quarantine, Redirect, Drop, NdrPending, Notification,
    /** Hosted quarantine: a copy released to a recipient. */
    Release,
    /** Outbound: handed to the next hop (relay agent); a non-delivery report queued to the sender. */
    Send, Ndr,
    /** Enhanced Filtering for Connectors: the original client found behind the connector's hops, or why none was. */
    EnhancedFiltering
}
