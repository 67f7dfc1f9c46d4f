// A syntax error found by ScriptParser: a message in PowerShell's words and where it happened.
package dev.gatehouse.cmdlet;

/**
 * A script that could not be parsed. {@code message} is written for the admin who typed the script
 * (PowerShell's wording where PowerShell has one), {@code line}/{@code column} are 1-based.
 * {@code incomplete} is true when the text ended too early (an open quote, bracket or block comment, a
 * trailing '|', ',' or backtick): an interactive shell should read another line instead of failing.
 */
public record SyntaxError(String message, int line, int column, boolean incomplete) {
    public SyntaxError(String message, int line, int column) { this(message, line, column, false); }

    /** "At line:1 char:5: The string is missing the terminator: '." */
    public String formatted() { return "At line:" + line + " char:" + column + ": " + message; }
}
