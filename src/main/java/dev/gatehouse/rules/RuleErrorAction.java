// What happens when a mail flow rule can't be evaluated (-RuleErrorAction).
package dev.gatehouse.rules;

/** {@code Ignore} skips the rule; {@code Defer} refuses the message with a 4xx so the sender retries. */
public enum RuleErrorAction { Ignore, Defer }
