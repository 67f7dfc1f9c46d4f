// What a cmdlet is: its Verb-Noun name, parameters, whether it changes state (-WhatIf/-Confirm), and its code.
package dev.gatehouse.cmdlet;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A cmdlet's metadata and handler. Build with {@link #builder(String)}. Every cmdlet also accepts the common
 * parameters -ErrorAction, -WarningAction, -Verbose and -Debug (accepted and ignored); a cmdlet that
 * {@link Builder#supportsShouldProcess() supports ShouldProcess} (one that changes things) also accepts
 * -WhatIf and -Confirm. Built-in formatting cmdlets carry a package-private stream handler instead of a
 * {@link CmdletHandler}.
 */
public final class CmdletDefinition<C> {
    private static final List<String> ACTION_PREFERENCES = List.of("Break", "Continue", "Ignore", "Inquire",
            "SilentlyContinue", "Stop", "Suspend");
    static final List<ParameterDefinition> COMMON = List.of(
            ParameterDefinition.of("Verbose", ParameterType.switchParameter()).alias("vb")
                    .describedAs("Accepted for scripts written for Exchange Online and ignored: Gatehouse writes no verbose stream."),
            ParameterDefinition.of("Debug", ParameterType.switchParameter()).alias("db")
                    .describedAs("Accepted for scripts written for Exchange Online and ignored: Gatehouse writes no debug stream."),
            ParameterDefinition.of("ErrorAction", actionPreference()).alias("ea")
                    .describedAs("Accepted and ignored: an error ends its own statement and a script goes on with the next "
                            + "statement, as with Exchange's default (Continue). Values: " + String.join(", ", ACTION_PREFERENCES) + "."),
            ParameterDefinition.of("WarningAction", actionPreference()).alias("wa")
                    .describedAs("Accepted for scripts written for Exchange Online and ignored."));
    static final List<ParameterDefinition> SHOULD_PROCESS = List.of(
            ParameterDefinition.of("WhatIf", ParameterType.switchParameter()).alias("wi")
                    .describedAs("Shows what the cmdlet would change (a \"What if:\" line per object) without changing anything. "
                            + "The object is still looked up, so a wrong -Identity fails as it would without -WhatIf."),
            ParameterDefinition.of("Confirm", ParameterType.switchParameter()).alias("cf")
                    .describedAs("Accepted so that Exchange scripts with -Confirm:$false run unchanged; Gatehouse never prompts, "
                            + "so -Confirm and -Confirm:$false behave alike."));

    private final String name;
    private final String synopsis;
    private final List<ParameterDefinition> parameters;
    private final List<ParameterDefinition> allParameters;
    private final boolean supportsShouldProcess;
    private final boolean operatorOnly;
    private final List<String> aliases;
    private final List<String> parameterSets;
    private final String defaultParameterSet;
    private final List<Example> examples;
    private final CmdletHandler<C> handler;
    private final Builtins.Stream stream;

    /**
     * One example shown by {@code Get-Help NAME -Examples}: a command line an admin can run as written (against
     * an organization that has the objects it names) and what it does.
     */
    public record Example(String code, String remarks) {
        public Example {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(remarks, "remarks");
            if (code.isBlank()) throw new IllegalArgumentException("an example needs a command");
        }
    }

    private CmdletDefinition(Builder<C> b, Builtins.Stream stream) {
        this.name = b.name;
        this.synopsis = b.synopsis;
        this.parameters = List.copyOf(b.parameters);
        this.supportsShouldProcess = b.supportsShouldProcess;
        this.operatorOnly = b.operatorOnly;
        this.aliases = List.copyOf(b.aliases);
        this.examples = List.copyOf(b.examples);
        this.handler = b.handler;
        this.parameterSets = parameters.stream().flatMap(p -> p.parameterSets().stream()).distinct().toList();
        this.defaultParameterSet = b.defaultParameterSet != null ? b.defaultParameterSet
                : parameterSets.isEmpty() ? ParameterSets.ALL : parameterSets.getFirst();
        if (b.defaultParameterSet != null && !parameterSets.contains(b.defaultParameterSet)) {
            throw new IllegalArgumentException(name + ": no parameter is in the default set " + b.defaultParameterSet);
        }
        this.stream = stream;
        List<ParameterDefinition> all = new ArrayList<>(parameters);
        if (supportsShouldProcess) all.addAll(SHOULD_PROCESS);
        all.addAll(COMMON);
        this.allParameters = List.copyOf(all);
        checkUnique();
    }

    private static ParameterType actionPreference() {
        return ParameterType.enumOf("ActionPreference", ACTION_PREFERENCES.toArray(String[]::new));
    }

    private void checkUnique() {
        Set<String> seen = new HashSet<>();
        for (ParameterDefinition p : allParameters) {
            for (String n : concat(p.name(), p.aliases())) {
                if (!seen.add(n.toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException(name + ": parameter name or alias used twice: " + n);
                }
            }
        }
        for (int i = 0; i < parameters.size(); i++) {
            for (int j = i + 1; j < parameters.size(); j++) {
                ParameterDefinition a = parameters.get(i);
                ParameterDefinition b = parameters.get(j);
                boolean shareSet = a.parameterSets().isEmpty() || b.parameterSets().isEmpty()
                        || a.parameterSets().stream().anyMatch(b.parameterSets()::contains);
                if (a.isPositional() && a.position() == b.position() && shareSet) {
                    throw new IllegalArgumentException(name + ": two parameters at position " + a.position());
                }
            }
        }
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(rest);
        all.addFirst(first);
        return all;
    }

    public static <C> Builder<C> builder(String name) { return new Builder<>(name); }

    public String name() { return name; }

    public String verb() { return name.substring(0, name.indexOf('-')); }

    public String noun() { return name.substring(name.indexOf('-') + 1); }

    public String synopsis() { return synopsis; }

    /** The parameters the cmdlet declared, in declared order. */
    public List<ParameterDefinition> parameters() { return parameters; }

    /** Declared parameters followed by -WhatIf/-Confirm (if supported) and the common parameters. */
    public List<ParameterDefinition> allParameters() { return allParameters; }

    public boolean supportsShouldProcess() { return supportsShouldProcess; }

    /**
     * Only the operator (the principal of every organization) may run it; the registry's guard enforces it
     * for every surface that runs cmdlets (REST, scripts, the shell), and REST answers 403 before binding.
     */
    public boolean operatorOnly() { return operatorOnly; }

    public List<String> aliases() { return aliases; }

    /** The examples {@code Get-Help NAME -Examples} shows, in declared order. */
    public List<Example> examples() { return examples; }

    /** The parameter sets named by the parameters, in declaration order; empty when the cmdlet has none. */
    public List<String> parameterSets() { return parameterSets; }

    /** The set used when the bound parameters fit several. */
    public String defaultParameterSet() { return defaultParameterSet; }

    /** The handler; null for built-in formatting cmdlets. */
    public CmdletHandler<C> handler() { return handler; }

    Builtins.Stream stream() { return stream; }

    static boolean isCommon(ParameterDefinition p) { return COMMON.contains(p) || SHOULD_PROCESS.contains(p); }

    @Override public String toString() { return name; }

    /** Fluent builder; {@link #build()} checks names are unique and positions distinct. */
    public static final class Builder<C> {
        private final String name;
        private String synopsis = "";
        private final List<ParameterDefinition> parameters = new ArrayList<>();
        private boolean supportsShouldProcess;
        private boolean operatorOnly;
        private final List<String> aliases = new ArrayList<>();
        private final List<Example> examples = new ArrayList<>();
        private CmdletHandler<C> handler;
        private String defaultParameterSet;

        private Builder(String name) {
            Objects.requireNonNull(name, "name");
            int dash = name.indexOf('-');
            if (dash <= 0 || dash == name.length() - 1) throw new IllegalArgumentException("cmdlet name must be Verb-Noun: " + name);
            this.name = name;
        }

        public Builder<C> synopsis(String text) {
            this.synopsis = Objects.requireNonNull(text);
            return this;
        }

        public Builder<C> parameter(ParameterDefinition parameter) {
            parameters.add(Objects.requireNonNull(parameter));
            return this;
        }

        /** The cmdlet changes state: it accepts -WhatIf and -Confirm and must call shouldProcess. */
        public Builder<C> supportsShouldProcess() {
            this.supportsShouldProcess = true;
            return this;
        }

        /** Only the operator may run it ({@link CmdletDefinition#operatorOnly()}). */
        public Builder<C> operatorOnly() {
            this.operatorOnly = true;
            return this;
        }

        public Builder<C> alias(String alias) {
            aliases.add(Objects.requireNonNull(alias));
            return this;
        }

        /**
         * Adds an example for {@code Get-Help NAME -Examples}: a runnable command line (e.g.
         * {@code New-InboundConnector "Scanner" -SenderDomains contoso.com -SenderIPAddresses 198.51.100.7}) and
         * what it does.
         */
        public Builder<C> example(String code, String remarks) {
            examples.add(new Example(code, remarks));
            return this;
        }

        /** The parameter set to use when the bound parameters fit several (default: the first declared). */
        public Builder<C> defaultParameterSet(String set) {
            this.defaultParameterSet = Objects.requireNonNull(set);
            return this;
        }

        public Builder<C> handler(CmdletHandler<C> h) {
            this.handler = Objects.requireNonNull(h);
            return this;
        }

        public CmdletDefinition<C> build() {
            if (handler == null) throw new IllegalStateException(name + ": no handler");
            return new CmdletDefinition<>(this, null);
        }

        CmdletDefinition<C> buildStream(Builtins.Stream stream) { return new CmdletDefinition<>(this, stream); }
    }
}
