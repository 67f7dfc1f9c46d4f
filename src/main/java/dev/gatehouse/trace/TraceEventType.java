// The kinds of message events recorded for message trace.
package dev.gatehouse.trace;

/** Grows with features (Quarantine, Redirect, Drop, ...); stored by name. */
public enum TraceEventType { Receive, Deliver, Defer, Fail }
