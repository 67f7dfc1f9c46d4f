// A failure reported by the runner: a syntax error, a binding error, or an error from a cmdlet handler.
package dev.gatehouse.cmdlet;

/**
 * One error of a run. {@code command} is null for a syntax error (nothing ran); {@code parameter} and
 * {@code value} are set for binding errors; {@code notFound} is set when a handler threw
 * {@link CmdletException#notFound} (the REST layer answers 404).
 */
public record ErrorRecord(String command, String parameter, String value, String message, int line, int column,
        boolean notFound) {

    static ErrorRecord of(SyntaxError e) {
        return new ErrorRecord(null, null, null, e.message(), e.line(), e.column(), false);
    }

    static ErrorRecord of(BindingError e) {
        Position p = e.position();
        return new ErrorRecord(e.cmdlet(), e.parameter(), e.value(), e.message(), p == null ? 0 : p.line(),
                p == null ? 0 : p.column(), false);
    }

    /** What the user sees: {@code Set-AcceptedDomain: message}, or {@code At line:1 char:5: message}. */
    public String formatted() {
        return command == null ? "At line:" + line + " char:" + column + ": " + message : command + ": " + message;
    }
}
