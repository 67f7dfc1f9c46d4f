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
            .at(0).describedAs("The properties to show, in the order given (comma-separated, e.g. Name,DomainType); "
                    + "wildcards * and ? match property names, so *Date shows every property ending in Date. "
                    + "Default: every property.");

    private Builtins() {}

    static <C> List<CmdletDefinition<C>> definitions() {
        return List.of(
                CmdletDefinition.<C>builder("Format-List").alias("fl")
                        .synopsis("Shows each object as a list of Property : Value lines.")
                        .parameter(PROPERTY)
                        .example("Get-InboundConnector | Format-List",
                                "Shows every property of every inbound connector, one property per line.")
                        .example("Get-Mailbox alice | Format-List Name,PrimarySmtpAddress,EmailAddresses",
                                "Shows three properties of Alice's mailbox, including all of its addresses.")
                        .buildStream((p, in, env) -> text(TextFormatter.list(in, strings(p, "Property")))),
                CmdletDefinition.<C>builder("Format-Table").alias("ft")
                        .synopsis("Shows objects as a table with one column per property.")
                        .parameter(PROPERTY)
                        .parameter(ParameterDefinition.of("AutoSize", ParameterType.switchParameter())
                                .describedAs("Lets columns grow to fit their content instead of being cut at 40 characters."))
                        .example("Get-AcceptedDomain | Format-Table Name,DomainType,MatchSubDomains -AutoSize",
                                "Lists the organization's accepted domains as a table of three columns as wide as their content.")
                        .example("Get-QuarantineMessage | Format-Table ReceivedTime,SenderAddress,RecipientAddress,Subject,Expires",
                                "Lists the quarantined messages of the last 16 days with when they expire.")
                        .buildStream((p, in, env) -> text(TextFormatter.table(in, strings(p, "Property"), p.isSet("AutoSize")))),
                CmdletDefinition.<C>builder("Select-Object").alias("select")
                        .synopsis("Selects properties of objects, or the first or last objects.")
                        .parameter(PROPERTY)
                        .parameter(ParameterDefinition.of("ExpandProperty", ParameterType.string())
                                .describedAs("Outputs the values of this one property instead of the objects; a list property "
                                        + "(such as EmailAddresses) gives one value per element."))
                        .parameter(ParameterDefinition.of("First", ParameterType.int32(0, Integer.MAX_VALUE))
                                .describedAs("Keeps only the first N objects (after -Skip). With -Last, keeps both the first N and the "
                                        + "last M objects. A whole number, 0 or more."))
                        .parameter(ParameterDefinition.of("Last", ParameterType.int32(0, Integer.MAX_VALUE))
                                .describedAs("Keeps only the last N objects; with it (and without -First), -Skip leaves out objects "
                                        + "from the end, as in PowerShell. A whole number, 0 or more."))
                        .parameter(ParameterDefinition.of("Skip", ParameterType.int32(0, Integer.MAX_VALUE))
                                .describedAs("Leaves out the first N objects (the last N when used with -Last alone). A whole number, "
                                        + "0 or more."))
                        .example("Get-Mailbox | Select-Object Name,PrimarySmtpAddress -First 10",
                                "Shows the name and primary address of the first ten mailboxes.")
                        .example("Get-Mailbox alice | Select-Object -ExpandProperty EmailAddresses",
                                "Lists Alice's addresses one per line (SMTP: is the primary, smtp: the proxies).")
                        .example("Get-OrganizationConfig | Select-Object RejectDirectSend",
                                "Reads back the RejectDirectSend switch, as Microsoft's Direct Send article does.")
                        .buildStream(Builtins::select),
                CmdletDefinition.<C>builder("ConvertTo-Json")
                        .synopsis("Converts objects to JSON text: one object, or an array for several.")
                        .parameter(ParameterDefinition.of("Depth", ParameterType.int32(0, 100))
                                .describedAs("How many levels of nested objects to write, 0 to 100; default 2, as in PowerShell. "
                                        + "Deeper objects are written as their text."))
                        .parameter(ParameterDefinition.of("Compress", ParameterType.switchParameter())
                                .describedAs("Writes the JSON on one line, without indentation."))
                        .parameter(ParameterDefinition.of("AsArray", ParameterType.switchParameter())
                                .describedAs("Writes a JSON array even for a single object (or none)."))
                        .example("Get-OrganizationConfig | ConvertTo-Json",
                                "Writes the organization's settings as an indented JSON object.")
                        .example("Get-TransportRule | ConvertTo-Json -Depth 3 -Compress -AsArray",
                                "Writes every transport rule, conditions and actions included, as one JSON array on one line.")
                        .buildStream((p, in, env) -> List.of(JsonOutput.render(in,
                                p.find("Depth", Integer.class).orElse(2), p.isSet("Compress"), p.isSet("AsArray")))),
                CmdletDefinition.<C>builder("Export-Csv").supportsShouldProcess()
                        .synopsis("Writes objects to a CSV file, one row per object, every field double-quoted.")
                        .parameter(ParameterDefinition.of("Path", ParameterType.string()).required().at(0)
                                .describedAs("The file to write (UTF-8, replaced if it exists). In the shell a relative path is "
                                        + "relative to the current directory of your machine; the REST API writes no files."))
                        .parameter(ParameterDefinition.of("NoTypeInformation", ParameterType.switchParameter())
                                .alias("NTI").describedAs("Accepted for compatibility; no #TYPE line is ever written."))
                        .parameter(ParameterDefinition.of("Force", ParameterType.switchParameter())
                                .describedAs("Accepted for compatibility; an existing file is always replaced."))
                        .example("Get-Mailbox | Export-Csv -Path mailboxes.csv -NoTypeInformation",
                                "Writes every mailbox to mailboxes.csv, one row per mailbox with a header row of property names.")
                        .example("Get-DirectSendReport -StartDate 2026-11-01 -EndDate 2026-12-01 | Export-Csv direct-send.csv",
                                "Saves November's Direct Send report (who sent anonymously as one of your domains) for a spreadsheet.")
                        .buildStream(Builtins::exportCsv),
                CmdletDefinition.<C>builder("Get-Command").alias("gcm")
                        .synopsis("Lists the cmdlets Gatehouse supports, with their parameters.")
                        .parameter(ParameterDefinition.of("Name", ParameterType.stringArray()).at(0)
                                .describedAs("Cmdlet names or aliases to list; wildcards * and ? allowed (e.g. *-TransportRule). "
                                        + "A name without wildcards that isn't a cmdlet is an error."))
                        .parameter(ParameterDefinition.of("Verb", ParameterType.stringArray())
                                .describedAs("Only cmdlets with this verb (the part before the dash, e.g. Get or Set); wildcards allowed."))
                        .parameter(ParameterDefinition.of("Noun", ParameterType.stringArray())
                                .describedAs("Only cmdlets with this noun (the part after the dash, e.g. Mailbox); wildcards allowed."))
                        .parameter(ParameterDefinition.of("Syntax", ParameterType.switchParameter())
                                .describedAs("Shows the syntax of the matching cmdlets instead of listing them."))
                        .example("Get-Command -Noun InboundConnector",
                                "Lists the cmdlets that work on inbound connectors, with their parameters.")
                        .example("Get-Command *-TransportRule -Syntax",
                                "Shows the syntax of every transport rule cmdlet.")
                        .buildStream(Builtins::getCommand),
                CmdletDefinition.<C>builder("Get-Help").alias("help")
                        .synopsis("Shows the syntax, parameters and examples of a cmdlet, or lists the cmdlets.")
                        .parameter(ParameterDefinition.of("Name", ParameterType.string()).at(0)
                                .describedAs("The cmdlet (or alias) to describe. Without it, every cmdlet is listed with its synopsis."))
                        .parameter(ParameterDefinition.of("Full", ParameterType.switchParameter())
                                .describedAs("Shows everything: syntax, every parameter with its description, and the examples."))
                        .parameter(ParameterDefinition.of("Detailed", ParameterType.switchParameter())
                                .describedAs("The same as -Full here: syntax, parameters and examples."))
                        .parameter(ParameterDefinition.of("Examples", ParameterType.switchParameter())
                                .describedAs("Shows only the name, the synopsis and the examples."))
                        .example("Get-Help New-TransportRule -Examples",
                                "Shows example commands for creating a mail flow rule.")
                        .example("Get-Help Set-OrganizationConfig -Full",
                                "Shows the syntax, every parameter with what it does, and the examples.")
                        .example("Get-Help",
                                "Lists every cmdlet Gatehouse supports with a one-line synopsis.")
                        .buildStream(Builtins::getHelp));
    }

    private static List<Object> text(String s) { return s.isEmpty() ? List.of() : List.of(new FormattedText(s)); }

    @SuppressWarnings("unchecked")
    private static List<String> strings(BoundParameters p, String name) {
        return (List<String>) p.get(name);
    }

    /**
     * The objects -Skip, -First and -Last keep, as PowerShell's Select-Object does: -Skip counts from the end
     * when -Last is given without -First; -First and -Last together keep both ends (each object once).
     */
    static List<Object> window(List<Object> input, int skip, Integer first, Integer last) {
        int n = input.size();
        if (first == null && last == null) return input.subList(Math.min(skip, n), n);
        int f = first == null ? 0 : first;
        int l = last == null ? 0 : last;
        if (l > 0 && f == 0) {
            int end = Math.max(0, n - skip);
            return input.subList(Math.max(0, end - l), end);
        }
        List<Object> rest = input.subList(Math.min(skip, n), n);
        List<Object> out = new ArrayList<>(rest.subList(0, Math.min(f, rest.size())));
        List<Object> after = rest.subList(out.size(), rest.size());
        out.addAll(after.subList(Math.max(0, after.size() - l), after.size()));
        return out;
    }

    private static List<Object> select(BoundParameters p, List<Object> input, Environment env) {
        List<Object> in = window(input, p.find("Skip", Integer.class).orElse(0), p.get("First", Integer.class),
                p.get("Last", Integer.class));
        List<Object> out = new ArrayList<>();
        String expand = p.string("ExpandProperty");
        List<String> properties = strings(p, "Property");
        for (Object o : in) {
            if (expand != null) {
                var prop = ObjectView.property(o, expand);
                if (prop.isEmpty()) {
                    List<String> names = ObjectView.propertyNames(o);
                    throw new CmdletException("Property \"" + expand + "\" cannot be found." + (names.isEmpty()
                            ? " The input object " + Display.format(o) + " has no properties."
                            : " Valid properties are: " + String.join(", ", names) + "."));
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
            if (!wild && env.registry().find(n).isEmpty()) throw new CmdletException(env.registry().notRecognized(n), true);
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
        CmdletDefinition<?> def = env.registry().find(name)
                .orElseThrow(() -> new CmdletException(helpNotFound(env.registry(), name), true));
        String help = p.isSet("Examples") ? HelpText.examples(def)
                : p.isSet("Full") || p.isSet("Detailed") ? HelpText.full(def) : HelpText.render(def);
        return List.of(new FormattedText(help));
    }

    /** Get-Help's "could not find", with the owner's note for a cmdlet known to be missing, else "Did you mean". */
    private static String helpNotFound(CmdletRegistry<?> registry, String name) {
        java.util.Optional<String> missing = registry.notYetAvailable(name);
        return "Get-Help could not find " + name + " in a help file in this session. " + missing.map(s -> s + " ").orElse("")
                + "Run Get-Command to list the cmdlets Gatehouse supports."
                + (missing.isPresent() ? "" : Suggestions.sentence(registry.suggestions(name), ""));
    }
}
