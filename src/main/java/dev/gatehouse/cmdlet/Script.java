// A parsed script: the pipelines in the order they were written (separated by newlines or ';').
package dev.gatehouse.cmdlet;

import java.util.List;

/** The root of the syntax tree produced by {@link ScriptParser}. */
public record Script(List<Pipeline> pipelines) {
    public Script { pipelines = List.copyOf(pipelines); }
}
