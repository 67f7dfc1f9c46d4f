// Placeholder until the parser lands (being written on its own branch).
package dev.gatehouse.kql;

public final class KqlParser {
    private KqlParser() {}

    public static Ast.Query parse(String text) { throw KqlException.unsupported("parser", Pos.NONE); }
}
