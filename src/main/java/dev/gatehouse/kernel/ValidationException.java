// A user-caused error: the message names the parameter and the value, as Exchange's cmdlets do.
package dev.gatehouse.kernel;

/** Raised by the service layer for invalid input; admin surfaces show the message as it is. */
public class ValidationException extends RuntimeException {
    public ValidationException(String message) { super(message); }
}
