// The cmdlets Gatehouse implements itself: Format-List, Format-Table, Select-Object, ConvertTo-Json,
// Export-Csv, Get-Command and Get-Help. They work on the whole pipeline input rather than one object.
package dev.gatehouse.cmdlet;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Package-private: definitions of the built-in cmdlets, registered in every {@link CmdletRegistry}. */
final class Builtins {
    /** A cmdlet that consumes all of its pipeline input at once. */
    @FunctionalInterface
    interface Stream {
        List<Object> process(BoundParameters parameters, List<Object> input, Environment env);
    }

    /** What built-ins may reach: the registry (for help) and the file output policy. */
    record Environment(CmdletRegistry<?> registry, OutputFiles files) {}

    private static final ParameterDefinition PROPERTY = ParameterDefinition.of("Property", ParameterType.stringArray())
            .at(0).describedAs("The properties to show, in order; wildcards * and ? match property names.");

    private Builtins() {}

    static <C> List<CmdletDefinition<C>> definitions() {
        return List.of(
                CmdletDefinition.<C>builder("Format-List").alias("fl")
                        .synopsis("Shows each object as a list of Property : Value lines.")
                        .parameter(PROPERTY)
                        .buildStream((p, in, env) -> text(TextFormatter.list(in, strings(p, "Property")))),
                CmdletDefinition.<C>builder("Format-Table").alias("ft")
                        .synopsis("Shows objects as a table with one column per property.")
                        .parameter(PROPERTY)
                        .parameter(ParameterDefinition.of("AutoSize", ParameterType.switchParameter())
                                .describedAs("Lets columns grow to fit their content instead of 40 characters."))
                        .buildStream((p, in, env) -> text(TextFormatter.table(in, strings(p, "Property"), p.isSet("AutoSize")))),
                CmdletDefinition.<C>builder("Select-Object").alias("select")
                        .synopsis("Selects properties of objects, or the first or last objects.")
                        .parameter(PROPERTY)
                        .parameter(ParameterDefinition.of("ExpandProperty", ParameterType.string())
                                .describedAs("Outputs the values of this property instead of objects."))
                        .parameter(ParameterDefinition.of("First", ParameterType.int32(0, Integer.MAX_VALUE)))
                        .parameter(ParameterDefinition.of("Last", ParameterType.int32(0, Integer.MAX_VALUE)))
                        .parameter(ParameterDefinition.of("Skip", ParameterType.int32(0, Integer.MAX_VALUE)))
                        .buildStream(Builtins::select),
                CmdletDefinition.<C>builder("ConvertTo-Json")
                        .synopsis("Converts objects to JSON text: one object, or an array for several.")
                        .parameter(ParameterDefinition.of("Depth", ParameterType.int32(0, 100))
                                .describedAs("How many levels of nested objects to write; default 2."))
                        .parameter(ParameterDefinition.of("Compress", ParameterType.switchParameter()))
                        .parameter(ParameterDefinition.of("AsArray", ParameterType.switchParameter()))
                        .buildStream((p, in, env) -> List.of(JsonOutput.render(in,
                                p.find("Depth", Integer.class).orElse(2), p.isSet("Compress"), p.isSet("AsArray")))),
                CmdletDefinition.<C>builder("Export-Csv").supportsShouldProcess()
                        .synopsis("Writes objects to a CSV file, one row per object, every field double-quoted.")
                        .parameter(ParameterDefinition.of("Path", ParameterType.string()).required().at(0))
                        .parameter(ParameterDefinition.of("NoTypeInformation", ParameterType.switchParameter())
                                .alias("NTI").describedAs("Accepted for compatibility; no #TYPE line is ever written."))
                        .parameter(ParameterDefinition.of("Force", ParameterType.switchParameter()))
                        .buildStream(Builtins::exportCsv),
                CmdletDefinition.<C>builder("Get-Command").alias("gcm")
                        .synopsis("Lists the cmdlets Gatehouse supports, with their parameters.")
                        .parameter(ParameterDefinition.of("Name", ParameterType.stringArray()).at(0))
                        .parameter(ParameterDefinition.of("Verb", ParameterType.stringArray()))
                        .parameter(ParameterDefinition.of("Noun", ParameterType.stringArray()))
                        .parameter(ParameterDefinition.of("Syntax", ParameterType.switchParameter())
                                .describedAs("Shows the syntax of the matching cmdlets instead of listing them."))
                        .buildStream(Builtins::getCommand),
                CmdletDefinition.<C>builder("Get-Help").alias("help")
                        .synopsis("Shows the syntax and parameters of a cmdlet.")
                        .parameter(ParameterDefinition.of("Name", ParameterType.string()).at(0))
                        .parameter(ParameterDefinition.of("Full", ParameterType.switchParameter()))
                        .parameter(ParameterDefinition.of("Detailed", ParameterType.switchParameter()))
                        .parameter(ParameterDefinition.of("Examples", ParameterType.switchParameter()))
                        .buildStream(Builtins::getHelp));
    }

    private static List<Object> text(String s) { return s.isEmpty() ? List.of() : List.of(new FormattedText(s)); }

    @SuppressWarnings("unchecked")
    private static List<String> strings(BoundParameters p, String name) {
        return (List<String>) p.get(name);
    }

    private static List<Object> select(BoundParameters p, List<Object> input, Environment env) {
        List<Object> in = input;
        int skip = p.find("Skip", Integer.class).orElse(0);
        in = in.subList(Math.min(skip, in.size()), in.size());
        if (p.has("First")) in = in.subList(0, Math.min(p.get("First", Integer.class), in.size()));
        if (p.has("Last")) in = in.subList(Math.max(0, in.size() - p.get("Last", Integer.class)), in.size());
        List<Object> out = new ArrayList<>();
        String expand = p.string("ExpandProperty");
        List<String> properties = strings(p, "Property");
        for (Object o : in) {
            if (expand != null) {
                var prop = ObjectView.property(o, expand);
                if (prop.isEmpty()) {
                    throw new CmdletException("Property \"" + expand + "\" cannot be found. Valid properties are: "
                            + String.join(", ", ObjectView.propertyNames(o)) + ".");
                }
                Object v = prop.get().value();
                if (v != null) out.addAll(ObjectView.elements(v));
            } else if (properties != null && !properties.isEmpty()) {
                out.add(TextFormatter.pick(o, properties));
            } else {
                out.add(o);
            }
        }
        return out;
    }

    private static List<Object> exportCsv(BoundParameters p, List<Object> input, Environment env) {
        String path = p.string("Path");
        if (path == null || path.isBlank()) throw new CmdletException("Cannot bind argument to parameter 'Path' because it is an empty string.");
        if (!p.shouldProcess(path)) return List.of();
        try (Writer w = env.files().open(path, false)) {
            w.write(CsvOutput.render(input));
        } catch (IOException e) {
            throw new CmdletException("Could not write '" + path + "': " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        return List.of();
    }

    private static List<Object> getCommand(BoundParameters p, List<Object> input, Environment env) {
        List<Pattern> names = patterns(p, "Name");
        List<Pattern> verbs = patterns(p, "Verb");
        List<Pattern> nouns = patterns(p, "Noun");
        List<Object> out = new ArrayList<>();
        for (CmdletDefinition<?> d : env.registry().all()) {
            boolean nameOk = names.isEmpty() || names.stream().anyMatch(n -> n.matcher(d.name()).matches()
                    || d.aliases().stream().anyMatch(a -> n.matcher(a).matches()));
            if (nameOk && matchesAny(verbs, d.verb()) && matchesAny(nouns, d.noun())) {
                if (p.isSet("Syntax")) {
                    out.add(new FormattedText(String.join("\n", HelpText.syntaxes(d)) + "\n"));
                    continue;
                }
                out.add(new CommandInfo("Cmdlet", d.name(), d.synopsis(),
                        d.parameters().stream().map(ParameterDefinition::name).toList()));
            }
        }
        List<String> literal = p.has("Name") ? strings(p, "Name") : List.of();
        for (String n : literal) {
            boolean wild = n.contains("*") || n.contains("?");
            if (!wild && env.registry().find(n).isEmpty()) {
                throw new CmdletException("The term '" + n + "' is not recognized as a name of a cmdlet. Check the "
                        + "spelling of the name, or run Get-Command to list the cmdlets Gatehouse supports.", true);
            }
        }
        return out;
    }

    private static boolean matchesAny(List<Pattern> patterns, String s) {
        return patterns.isEmpty() || patterns.stream().anyMatch(x -> x.matcher(s).matches());
    }

    private static List<Pattern> patterns(BoundParameters p, String name) {
        List<String> values = p.has(name) ? strings(p, name) : List.of();
        return values == null ? List.of() : values.stream().map(TextFormatter::wildcard).toList();
    }

    private static List<Object> getHelp(BoundParameters p, List<Object> input, Environment env) {
        String name = p.string("Name");
        if (name == null) {
            StringBuilder sb = new StringBuilder("Gatehouse cmdlets. Run Get-Help NAME for the syntax and parameters of one.\n\n");
            List<CmdletDefinition<?>> all = new ArrayList<>(env.registry().all());
            all.sort(Comparator.comparing(d -> d.name().toLowerCase(Locale.ROOT)));
            int pad = all.stream().mapToInt(d -> d.name().length()).max().orElse(0);
            for (CmdletDefinition<?> d : all) {
                String line = d.name() + " ".repeat(pad - d.name().length() + 2) + d.synopsis();
                sb.append(line.stripTrailing()).append('\n');
            }
            return List.of(new FormattedText(sb.toString()));
        }
        CmdletDefinition<?> def = env.registry().find(name).orElseThrow(() -> new CmdletException("Get-Help could not "
                + "find " + name + " in a help file in this session. Run Get-Command to list the cmdlets Gatehouse "
                + "supports.", true));
        return List.of(new FormattedText(HelpText.render(def)));
    }
}
