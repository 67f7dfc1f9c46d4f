// How a mail flow rule acts when it matches (-Mode): enforced, or only audited.
package dev.gatehouse.rules;

/**
 * {@code Enforce} runs the actions; {@code Audit} ("Test without Policy Tips") and {@code AuditAndNotify}
 * ("Test with Policy Tips") only record in message trace what the actions would have done (spec §5.1).
 */
public enum RuleMode {
    Enforce, Audit, AuditAndNotify;

    /** The mode as Exchange writes it in the Transport Rule Agent's custom data. */
    String traceName() {
        return switch (this) { case Audit -> "Test without Policy Tips"; case AuditAndNotify -> "Test with Policy Tips"; case Enforce -> "Enforce"; };
    }
}
