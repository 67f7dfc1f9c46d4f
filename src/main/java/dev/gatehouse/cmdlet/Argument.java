// The arguments of a parsed command: named parameters (-Name value, -Name:value, -Switch) and positional values.
package dev.gatehouse.cmdlet;

/** One argument of a {@link ParsedCommand}. */
public sealed interface Argument {
    Position position();

    /** How a named argument got its value. */
    enum Syntax {
        /** {@code -Name} alone: a switch, or a parameter whose value is missing. */
        NONE,
        /** {@code -Name value}: the next token; given back as positional if Name is a switch. */
        SPACE,
        /** {@code -Name:value}: always this parameter's value. */
        COLON
    }

    /**
     * {@code -Name ...}; {@code name} is without the dash. When {@code syntax} is NONE, {@code value} is a
     * {@link Value.SwitchPresent}.
     */
    record Named(String name, Value value, Syntax syntax, Position position) implements Argument {}

    /** A value not introduced by a parameter name. */
    record Positional(Value value, Position position) implements Argument {}
}
