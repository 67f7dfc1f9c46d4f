// Checked exception wrapping a SyntaxError, for callers who prefer exceptions to ParseResult.
package dev.gatehouse.cmdlet;

/** Thrown by {@link ScriptParser#parseOrThrow(String)}; carries the positioned {@link SyntaxError}. */
public final class ParseException extends Exception {
    private final transient SyntaxError error;

    public ParseException(SyntaxError error) {
        super(error.formatted());
        this.error = error;
    }

    public SyntaxError error() { return error; }
}
