// Where something is in a script: 1-based line and column (in UTF-16 units) plus the 0-based offset.
package dev.gatehouse.cmdlet;

/** A place in the script text, used by syntax errors and by binding errors to point at the input. */
public record Position(int line, int column, int offset) {
    @Override public String toString() { return "line " + line + ", column " + column; }
}
