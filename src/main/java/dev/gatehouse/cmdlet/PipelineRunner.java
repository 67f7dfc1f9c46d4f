// Runs parsed scripts against a CmdletRegistry: binds every command, feeds each command's output objects to
// the next, and formats what comes out (tables/lists, or JSON in --json mode).
package dev.gatehouse.cmdlet;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes scripts. For each pipeline: every command is looked up and its command-line arguments bound
 * before anything runs; the first command runs once; a following built-in (Format-*, Select-Object, ...)
 * receives all objects; a following application cmdlet is bound once per piped object (Identity and other
 * ValueFromPipelineByPropertyName parameters taken from the object's properties) and all those bindings are
 * checked before the handler runs for any of them, so a pipeline that fails to bind changes nothing.
 *
 * <p>A syntax error stops the whole script before anything runs. Any other error ends its pipeline and,
 * unless {@link Options#stopOnError()}, the script continues with the next statement as PowerShell does.
 */
public final class PipelineRunner<C> {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);

    /**
     * @param json render all output objects of the script as one JSON array instead of tables and lists
     * @param stopOnError stop at the first failed statement instead of continuing with the next
     * @param files where Export-Csv may write ({@link OutputFiles#denied()} by default)
     * @param jsonDepth nesting depth of JSON mode output
     */
    public record Options(boolean json, boolean stopOnError, OutputFiles files, int jsonDepth) {
        public Options {
            Objects.requireNonNull(files, "files");
        }

        public static Options defaults() { return new Options(false, false, OutputFiles.denied(), 10); }

        public Options withJson(boolean value) { return new Options(value, stopOnError, files, jsonDepth); }

        public Options withStopOnError(boolean value) { return new Options(json, value, files, jsonDepth); }

        public Options withFiles(OutputFiles value) { return new Options(json, stopOnError, value, jsonDepth); }
    }

    private final CmdletRegistry<C> registry;
    private final Options options;

    public PipelineRunner(CmdletRegistry<C> registry) { this(registry, Options.defaults()); }

    public PipelineRunner(CmdletRegistry<C> registry, Options options) {
        this.registry = Objects.requireNonNull(registry);
        this.options = Objects.requireNonNull(options);
    }

    /** Parses and runs {@code script} with {@code context} passed to every handler. */
    public RunResult run(String script, C context) {
        RunResult r = switch (ScriptParser.parse(script)) {
            case ParseResult.Parsed p -> run(p.script(), context);
            case ParseResult.Failed f -> new RunResult(List.of(), "", List.of(), List.of(ErrorRecord.of(f.error())), List.of());
        };
        if (r.succeeded() || !adviceApplies(r.errors().getFirst())) return r;
        List<ErrorRecord> errors = new ArrayList<>(r.errors());
        errors.set(0, withAdvice(errors.getFirst(), script));
        return new RunResult(r.objects(), r.output(), r.whatIf(), errors, r.warnings());
    }

    /** The registry's {@link CmdletRegistry#scriptAdvice advice} is for a script that isn't PowerShell at all. */
    private static boolean adviceApplies(ErrorRecord e) {
        return e.command() == null || e.value() != null && e.value().equals(e.command()) && e.parameter() == null;
    }

    private ErrorRecord withAdvice(ErrorRecord e, String script) {
        return registry.adviceFor(script).map(a -> new ErrorRecord(e.command(), e.parameter(), e.value(), e.message() + "\n" + a,
                e.line(), e.column(), e.notFound())).orElse(e);
    }

    /**
     * A dry run: parses {@code script} and binds every command's arguments without running anything (no
     * handler, no guard, no context). Returns, per pipeline, the first error a run would meet before any
     * handler: a syntax error, an unknown cmdlet, or a binding error. The first command of a pipeline and every
     * built-in must have their mandatory parameters; a later cmdlet may still get them from the objects piped to it.
     */
    public List<ErrorRecord> check(String script) {
        return switch (ScriptParser.parse(script)) {
            case ParseResult.Failed f -> List.of(withAdvice(ErrorRecord.of(f.error()), script));
            case ParseResult.Parsed p -> {
                List<ErrorRecord> errors = new ArrayList<>();
                for (Pipeline pipeline : p.script().pipelines()) {
                    try {
                        for (int i = 0; i < pipeline.commands().size(); i++) {
                            ParsedCommand command = pipeline.commands().get(i);
                            CmdletDefinition<C> def = registry.find(command.name()).orElseThrow(() -> notRecognized(command));
                            if (command.named("?").isPresent()) break;
                            Binder.Partial partial = Binder.bindArguments(def, command);
                            if (i == 0 || def.stream() != null) Binder.complete(partial, null, new ArrayList<>());
                        }
                    } catch (Failed f) {
                        errors.add(f.error);
                    } catch (Binder.Failure f) {
                        errors.add(ErrorRecord.of(f.error));
                    }
                }
                yield errors;
            }
        };
    }

    /** Runs one command given as structured parameters (see {@link ParsedCommand#of}), e.g. from the REST API. */
    public RunResult runCommand(String cmdletName, java.util.Map<String, ?> parameters, C context) {
        ParsedCommand command = ParsedCommand.of(cmdletName, parameters);
        return run(new Script(List.of(new Pipeline(List.of(command), command.position()))), context);
    }

    public RunResult run(Script script, C context) {
        List<Object> all = new ArrayList<>();
        List<String> whatIf = new ArrayList<>();
        List<ErrorRecord> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Pipeline pipeline : script.pipelines()) {
            List<String> sink = new ArrayList<>();
            List<Object> out;
            try {
                out = runPipeline(pipeline, context, sink, warnings);
                LOG.debug("pipeline line={} commands={} outcome=ok objects={}", pipeline.position().line(),
                        pipeline.commands().size(), out.size());
            } catch (Failed f) {
                LOG.debug("pipeline line={} outcome=error command={} message=\"{}\"", pipeline.position().line(),
                        f.error.command(), f.error.message());
                errors.add(f.error);
                appendLines(text, sink);
                whatIf.addAll(sink);
                if (options.stopOnError()) break;
                continue;
            }
            whatIf.addAll(sink);
            all.addAll(out);
            if (!options.json()) {
                appendLines(text, sink);
                String chunk = TextFormatter.defaultOutput(out);
                if (!chunk.isEmpty() && !text.isEmpty() && !text.toString().endsWith("\n\n")) text.append('\n');
                text.append(chunk);
            }
        }
        String output = options.json() ? JsonOutput.render(all, options.jsonDepth(), false, true) + "\n" : text.toString();
        return new RunResult(all, output, whatIf, errors, warnings);
    }

    private static void appendLines(StringBuilder text, List<String> lines) {
        for (String l : lines) text.append(l).append('\n');
    }

    /** Runs one pipeline and returns its output objects (before default formatting). */
    public List<Object> invoke(Pipeline pipeline, C context) throws PipelineException {
        try {
            return runPipeline(pipeline, context, new ArrayList<>(), new ArrayList<>());
        } catch (Failed f) {
            throw new PipelineException(f.error);
        }
    }

    /** Thrown by {@link #invoke} with the error that ended the pipeline. */
    public static final class PipelineException extends Exception {
        private final transient ErrorRecord error;

        PipelineException(ErrorRecord error) {
            super(error.formatted());
            this.error = error;
        }

        public ErrorRecord error() { return error; }
    }

    private static final class Failed extends Exception {
        final ErrorRecord error;

        Failed(ErrorRecord error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }

    private List<Object> runPipeline(Pipeline pipeline, C context, List<String> sink, List<String> warnings) throws Failed {
        List<CmdletDefinition<C>> defs = new ArrayList<>();
        List<Binder.Partial> partials = new ArrayList<>();
        for (ParsedCommand command : pipeline.commands()) {
            CmdletDefinition<C> def = registry.find(command.name()).orElseThrow(() -> notRecognized(command));
            if (command.named("?").isPresent()) return List.of(new FormattedText(HelpText.render(def)));
            defs.add(def);
            try {
                Binder.Partial partial = Binder.bindArguments(def, command);
                // a built-in takes no parameter from the pipeline: its mandatory ones are checked before anything runs
                if (def.stream() != null) Binder.complete(partial, null, new ArrayList<>());
                partials.add(partial);
            } catch (Binder.Failure f) {
                throw new Failed(ErrorRecord.of(f.error));
            }
        }
        List<Object> stream = null;
        for (int i = 0; i < defs.size(); i++) {
            stream = step(defs.get(i), partials.get(i), stream, context, sink, warnings, pipeline.commands().get(i));
        }
        return stream;
    }

    private List<Object> step(CmdletDefinition<C> def, Binder.Partial partial, List<Object> input, C context,
            List<String> sink, List<String> warnings, ParsedCommand command) throws Failed {
        try {
            if (def.stream() != null) {
                BoundParameters bound = Binder.complete(partial, null, sink);
                return def.stream().process(bound, input == null ? List.of() : input,
                        new Builtins.Environment(registry, options.files()));
            }
            registry.guard().check(def, context);
            if (input == null) return results(def.handler().invoke(Binder.complete(partial, null, sink, warnings), context));
            List<BoundParameters> bindings = new ArrayList<>();
            for (Object o : input) {
                if (o != null) bindings.add(Binder.complete(partial, o, sink, warnings));
            }
            List<Object> out = new ArrayList<>();
            for (BoundParameters b : bindings) out.addAll(results(def.handler().invoke(b, context)));
            return out;
        } catch (Binder.Failure f) {
            throw new Failed(ErrorRecord.of(f.error));
        } catch (CmdletException e) {
            throw failed(def, command, e.getMessage(), e.notFound());
        } catch (RuntimeException e) {
            LOG.error("cmdlet={} outcome=internal-error", def.name(), e);
            throw failed(def, command, "An internal error occurred while running " + def.name() + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), false);
        }
    }

    private static Failed failed(CmdletDefinition<?> def, ParsedCommand command, String message, boolean notFound) {
        Position p = command.position();
        return new Failed(new ErrorRecord(def.name(), namedParameter(def, message), null, message, p.line(), p.column(), notFound));
    }

    /**
     * The parameter a handler's error is about: the services begin such a message with it, {@code -SenderIPAddresses
     * '10.0.0.0/8': ...} or {@code DomainName 'x' is not ...}, so a form can show it next to that field as it shows a
     * binding error; null otherwise.
     */
    static String namedParameter(CmdletDefinition<?> def, String message) {
        if (message == null) return null;
        boolean dash = message.startsWith("-");
        int start = dash ? 1 : 0;
        int end = start;
        while (end < message.length() && Character.isLetterOrDigit(message.charAt(end))) end++;
        if (end == start || !dash && !message.startsWith(" '", end)) return null;
        String name = message.substring(start, end);
        for (ParameterDefinition d : def.allParameters()) if (d.name().equalsIgnoreCase(name)) return d.name();
        return null;
    }

    private static List<Object> results(List<?> produced) {
        List<Object> out = new ArrayList<>();
        if (produced != null) for (Object o : produced) if (o != null) out.add(o);
        return out;
    }

    private Failed notRecognized(ParsedCommand command) {
        Position p = command.position();
        return new Failed(new ErrorRecord(command.name(), null, command.name(), registry.notRecognized(command.name()),
                p.line(), p.column(), false));
    }
}
