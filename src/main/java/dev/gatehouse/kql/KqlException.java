// A query the engine can't run, with where in the text and why.
package dev.gatehouse.kql;

/**
 * Every error a user can cause (syntax, unknown names, types, unsupported features, limits) is one of these, with a
 * message that ends in {@code at line:col} when it concerns a place in the text; never an exception trace.
 * Unsupported features read {@code unsupported: <feature> at line:col}.
 */
public class KqlException extends RuntimeException {
    private final Pos pos;

    public KqlException(String message, Pos pos) {
        super(pos == null || pos.equals(Pos.NONE) ? message : message + " at " + pos);
        this.pos = pos == null ? Pos.NONE : pos;
    }

    public static KqlException unsupported(String feature, Pos pos) {
        return new KqlException("unsupported: " + feature, pos);
    }

    public Pos pos() { return pos; }
}
