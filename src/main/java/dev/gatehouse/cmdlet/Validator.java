// A check a cmdlet definition attaches to a parameter (an IP range, a domain name): the reason a value is invalid.
package dev.gatehouse.cmdlet;

import java.util.Optional;

/**
 * Validates one converted value; for list-valued parameters it runs once per element. Returns the reason
 * the value is invalid, in words an admin understands ("a connector accepts only /24 to /32"), or empty.
 */
@FunctionalInterface
public interface Validator {
    Validator NONE = value -> Optional.empty();

    Optional<String> validate(Object value);
}
