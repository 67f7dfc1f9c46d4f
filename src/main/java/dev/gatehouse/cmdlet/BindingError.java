// A command that failed to bind: which cmdlet, which parameter, which value, and what would be valid.
package dev.gatehouse.cmdlet;

/**
 * Why a command could not be bound. {@code parameter} and {@code value} are null when they do not apply
 * (an unknown cmdlet has neither). {@link #formatted()} is what the user sees, prefixed by the cmdlet name
 * as PowerShell 7 does: {@code New-AcceptedDomain: A parameter cannot be found that matches parameter name 'Foo'.}
 */
public record BindingError(String cmdlet, String parameter, String value, String message, Position position) {
    public String formatted() { return cmdlet + ": " + message; }
}
