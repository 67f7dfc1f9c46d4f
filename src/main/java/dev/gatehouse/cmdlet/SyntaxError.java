// A syntax error found by ScriptParser: a message in PowerShell's words and where it happened.
package dev.gatehouse.cmdlet;

/**
 * A script that could not be parsed. {@code message} is written for the admin who typed the script
 * (PowerShell's wording where PowerShell has one), {@code line}/{@code column} are 1-based.
 */
public record SyntaxError(String message, int line, int column) {
    /** "At line:1 char:5: The string is missing the terminator: '." */
    public String formatted() { return "At line:" + line + " char:" + column + ": " + message; }
}
