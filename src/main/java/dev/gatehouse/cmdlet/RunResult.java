// The result of running a script: the objects produced, the formatted text, What-if lines and errors.
package dev.gatehouse.cmdlet;

import java.util.List;

/**
 * What {@link PipelineRunner#run} returns. {@code objects} are the raw output objects of every pipeline (for
 * the REST API); {@code output} is the text an admin sees (tables/lists, or a JSON array in JSON mode), with
 * "What if:" lines in place; {@code errors} are printed separately (stderr), each {@link ErrorRecord#formatted()};
 * {@code warnings} are what handlers wrote with {@link BoundParameters#writeWarning}, not part of the output: the
 * shell prints each as {@code WARNING: message} on stderr, as PowerShell's host shows its warning stream.
 */
public record RunResult(List<Object> objects, String output, List<String> whatIf, List<ErrorRecord> errors, List<String> warnings) {
    public RunResult {
        objects = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(objects));
        whatIf = List.copyOf(whatIf);
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    public boolean succeeded() { return errors.isEmpty(); }
}
