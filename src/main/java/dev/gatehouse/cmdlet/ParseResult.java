// The outcome of parsing a script: either the parsed Script or a positioned SyntaxError, never anything else.
package dev.gatehouse.cmdlet;

/** What {@link ScriptParser#parse(String)} returns. */
public sealed interface ParseResult {
    record Parsed(Script script) implements ParseResult {}
    record Failed(SyntaxError error) implements ParseResult {}
}
