// A position in a query's text, as KQL editors show it.
package dev.gatehouse.kql;

/** 1-based line and column (columns count UTF-16 chars). */
public record Pos(int line, int col) {
    public static final Pos NONE = new Pos(0, 0);

    @Override public String toString() { return line + ":" + col; }
}
