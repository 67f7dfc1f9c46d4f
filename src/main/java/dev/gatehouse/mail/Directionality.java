// Which way a message crosses the organization's boundary (X-MS-Exchange-Organization-MessageDirectionality).
package dev.gatehouse.mail;

/** Spec §1.3: {@code Originating} for mail from the organization's own servers (an OnPremises connector). */
public enum Directionality { Incoming, Originating }
