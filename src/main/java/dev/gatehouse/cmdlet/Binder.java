// Binds a parsed command's arguments to a cmdlet's parameters: names and prefixes, positions, switches,
// type conversion, validators, pipeline input and mandatory checks, with PowerShell's error messages.
package dev.gatehouse.cmdlet;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * PowerShell's parameter binder, for Gatehouse's cmdlets. Order of work, as in PowerShell: named arguments
 * (exact name or alias first, then an unambiguous prefix), then positional arguments in parameter-position
 * order, then (per piped object) pipeline input, then the mandatory check. A switch written as
 * {@code -Switch value} does not take the value: the value becomes positional. A bare {@code <placeholder>}
 * copied from documentation is rejected with a message saying so, and a mandatory parameter refuses {@code $null},
 * {@code ''} and {@code @()}. Errors are {@link BindingError} values.
 */
public final class Binder {
    private static final Pattern PLACEHOLDER = Pattern.compile("<[^<>]+>");

    /** Internal control flow carrying the error to the public entry points. */
    static final class Failure extends Exception {
        final BindingError error;

        Failure(BindingError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }

    /** Command-line arguments bound and converted; pipeline input and the mandatory check come later. */
    record Partial(CmdletDefinition<?> definition, Map<String, Object> values, Map<String, Object> common,
            Position position) {}

    private Binder() {}

    /** Binds a command that receives no pipeline input. */
    public static Binding bind(CmdletDefinition<?> definition, ParsedCommand command) {
        try {
            return new Binding.Bound(complete(bindArguments(definition, command), null, new ArrayList<>()));
        } catch (Failure f) {
            return new Binding.Failed(f.error);
        }
    }

    /** Looks the command up in {@code registry} and binds it; an unknown name is a BindingError too. */
    public static Binding bind(CmdletRegistry<?> registry, ParsedCommand command) {
        return registry.find(command.name()).map(def -> bind(def, command))
                .orElseGet(() -> new Binding.Failed(new BindingError(command.name(), null, command.name(),
                        registry.notRecognized(command.name()), command.position())));
    }

    /** The bare "not recognized" text; {@link CmdletRegistry#notRecognized} adds "Did you mean" and known gaps. */
    static String notRecognized(String name) {
        return "The term '" + name + "' is not recognized as a name of a cmdlet. Check the spelling of the name, "
                + "or run Get-Command to list the cmdlets Gatehouse supports.";
    }

    static Partial bindArguments(CmdletDefinition<?> def, ParsedCommand command) throws Failure {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> common = new LinkedHashMap<>();
        List<Value> positionals = new ArrayList<>();
        for (Argument argument : command.arguments()) {
            switch (argument) {
                case Argument.Positional p -> positionals.add(p.value());
                case Argument.Named n -> {
                    ParameterDefinition p = resolve(def, n);
                    Map<String, Object> target = CmdletDefinition.isCommon(p) ? common : values;
                    if (target.containsKey(p.name())) {
                        throw fail(def, p.name(), n.value(), n.position(), "Cannot bind parameter because parameter '"
                                + p.name() + "' is specified more than once. To provide multiple values to parameters "
                                + "that can accept multiple values, use the array syntax. For example, "
                                + "\"-parameter value1,value2,value3\".");
                    }
                    Value value = n.value();
                    if (p.isSwitch() && n.syntax() == Argument.Syntax.SPACE) {
                        positionals.add(value);
                        value = new Value.SwitchPresent("-" + n.name(), n.position());
                    } else if (!p.isSwitch() && n.syntax() == Argument.Syntax.NONE) {
                        throw fail(def, p.name(), null, n.position(), ParameterType.missing(p.name(),
                                p.type().typeName()).getMessage());
                    }
                    target.put(p.name(), convert(def, p, value));
                }
            }
        }
        if (!def.parameterSets().isEmpty() && ParameterSets.candidates(def, values).isEmpty()) {
            throw setError(def, values, command.position());
        }
        bindPositionals(def, values, positionals);
        return new Partial(def, values, common, command.position());
    }

    private static void bindPositionals(CmdletDefinition<?> def, Map<String, Object> values, List<Value> positionals)
            throws Failure {
        List<ParameterDefinition> slots = def.parameters().stream().filter(ParameterDefinition::isPositional)
                .sorted(Comparator.comparingInt(ParameterDefinition::position)).toList();
        for (Value v : positionals) {
            java.util.Set<String> candidates = ParameterSets.candidates(def, values);
            ParameterDefinition slot = slots.stream()
                    .filter(p -> !values.containsKey(p.name()) && ParameterSets.allowed(def, p, candidates))
                    .findFirst().orElse(null);
            if (slot == null) {
                throw fail(def, null, v, v.position(), "A positional parameter cannot be found that accepts argument '"
                        + ParameterType.shown(v) + "'.");
            }
            values.put(slot.name(), convert(def, slot, v));
        }
    }

    /** Adds pipeline input from {@code input} (may be null) and checks mandatory parameters. */
    static BoundParameters complete(Partial partial, Object input, List<String> whatIfSink) throws Failure {
        return complete(partial, input, whatIfSink, new ArrayList<>());
    }

    /** As {@link #complete(Partial, Object, List)}, with where the handler's warnings go. */
    static BoundParameters complete(Partial partial, Object input, List<String> whatIfSink, List<String> warningSink) throws Failure {
        CmdletDefinition<?> def = partial.definition();
        Map<String, Object> values = new LinkedHashMap<>(partial.values());
        if (input != null) bindPipelineInput(def, values, input, partial.position());
        String set = ParameterSets.choose(def, values);
        if (set == null) throw setError(def, values, partial.position());
        List<String> missing = def.parameters().stream().filter(p -> p.mandatory() && p.inSet(set))
                .map(ParameterDefinition::name).filter(n -> !values.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            throw fail(def, missing.getFirst(), null, partial.position(), "Cannot process command because of one or "
                    + "more missing mandatory parameters: " + String.join(" ", missing) + ".");
        }
        return new BoundParameters(def.name(), set, values, partial.common(), whatIfSink, warningSink);
    }

    private static Failure setError(CmdletDefinition<?> def, Map<String, Object> values, Position at) {
        return fail(def, null, null, at, "Parameter set cannot be resolved using the specified named parameters. One or "
                + "more parameters issued cannot be used together or an insufficient number of parameters were "
                + "provided." + ParameterSets.conflict(def, values));
    }

    private static void bindPipelineInput(CmdletDefinition<?> def, Map<String, Object> values, Object input,
            Position at) throws Failure {
        boolean bound = false;
        java.util.Set<String> candidates = ParameterSets.candidates(def, values);
        for (ParameterDefinition p : def.parameters()) {
            if (values.containsKey(p.name()) || !ParameterSets.allowed(def, p, candidates)) continue;
            if (p.valueFromPipeline() && ObjectView.isScalar(input)) {
                values.put(p.name(), convert(def, p, fromJava(input, at)));
                bound = true;
            } else if (p.valueFromPipelineByPropertyName()) {
                Optional<ObjectView.Property> prop = pipelineProperty(p, input);
                if (prop.isPresent()) {
                    values.put(p.name(), convert(def, p, fromJava(prop.get().value(), at)));
                    bound = true;
                }
            }
        }
        if (!bound) {
            throw fail(def, null, fromJava(String.valueOf(input), at), at, "The input object cannot be bound to any "
                    + "parameters for the command either because the command does not take pipeline input or the "
                    + "input and its properties do not match any of the parameters that take pipeline input.");
        }
    }

    private static Optional<ObjectView.Property> pipelineProperty(ParameterDefinition p, Object input) {
        Optional<ObjectView.Property> prop = ObjectView.property(input, p.name());
        for (int i = 0; prop.isEmpty() && i < p.aliases().size(); i++) prop = ObjectView.property(input, p.aliases().get(i));
        return prop;
    }

    /** Finds the parameter a named argument means: exact name or alias, else a unique prefix of a name. */
    static ParameterDefinition resolve(CmdletDefinition<?> def, Argument.Named n) throws Failure {
        String name = n.name();
        for (ParameterDefinition p : def.allParameters()) {
            if (p.answersTo(name)) return p;
        }
        List<ParameterDefinition> matches = def.allParameters().stream()
                .filter(p -> p.name().regionMatches(true, 0, name, 0, name.length()) && p.name().length() > name.length())
                .toList();
        if (matches.size() == 1) return matches.getFirst();
        Value shownName = new Value.Text(name, Value.Quoting.BARE, "-" + name, n.position());
        if (matches.isEmpty()) {
            String didYouMean = Suggestions.sentence(Suggestions.closest(name,
                    def.allParameters().stream().map(ParameterDefinition::name).toList()), "-");
            throw fail(def, name, shownName, n.position(), "A parameter cannot be found that matches parameter name '"
                    + name + "'." + (didYouMean.isEmpty() ? suggestion(def) : didYouMean));
        }
        StringBuilder list = new StringBuilder();
        for (ParameterDefinition p : matches) list.append(" -").append(p.name());
        throw fail(def, name, shownName, n.position(), "Parameter cannot be processed because the parameter name '"
                + name + "' is ambiguous. Possible matches include:" + list + ".");
    }

    private static String suggestion(CmdletDefinition<?> def) {
        if (def.parameters().isEmpty()) return " " + def.name() + " takes no parameters besides the common ones.";
        StringBuilder sb = new StringBuilder(" Valid parameters are:");
        for (ParameterDefinition p : def.parameters()) sb.append(" -").append(p.name());
        return sb.append('.').toString();
    }

    private static Object convert(CmdletDefinition<?> def, ParameterDefinition p, Value value) throws Failure {
        if (value instanceof Value.Text t && t.quoting() == Value.Quoting.BARE && PLACEHOLDER.matcher(t.source()).matches()) {
            throw fail(def, p.name(), value, value.position(), "Cannot bind parameter '" + p.name() + "'. The value "
                    + t.source() + " is a placeholder copied from documentation; replace it with a real value of "
                    + "type " + p.type().typeName() + ".");
        }
        Object converted;
        try {
            converted = p.type().convert(p.name(), value);
        } catch (ConversionException e) {
            throw fail(def, p.name(), value, value.position(), e.getMessage());
        }
        if (p.mandatory()) requireValue(def, p, value, converted);
        validate(def, p, value, converted);
        return converted;
    }

    /** As in PowerShell, a mandatory parameter takes no $null, empty string or empty list. */
    private static void requireValue(CmdletDefinition<?> def, ParameterDefinition p, Value value, Object converted)
            throws Failure {
        String what = converted == null || value instanceof Value.Null ? "null"
                : "".equals(converted) ? "an empty string"
                : converted instanceof List<?> l && l.isEmpty() ? "an empty array" : null;
        if (what != null) {
            throw fail(def, p.name(), value, value.position(), "Cannot bind argument to parameter '" + p.name()
                    + "' because it is " + what + ".");
        }
    }

    private static void validate(CmdletDefinition<?> def, ParameterDefinition p, Value value, Object converted)
            throws Failure {
        if (converted == null || p.validator() == Validator.NONE) return;
        List<Object> items = converted instanceof MultiValuedEdit edit ? edit.allValues()
                : converted instanceof List<?> ? ObjectView.elements(converted) : List.of(converted);
        for (Object item : items) {
            if (item == null) continue;
            Optional<String> problem = p.validator().validate(item);
            if (problem.isPresent()) {
                throw fail(def, p.name(), value, value.position(), "Cannot validate argument on parameter '" + p.name()
                        + "'. The argument \"" + item + "\" is not valid: " + problem.get());
            }
        }
    }

    /** A Java property value as if it had been written in the script, so the same converters apply. */
    static Value fromJava(Object o, Position at) {
        return switch (o) {
            case null -> new Value.Null("$null", at);
            case Boolean b -> new Value.Bool(b, b ? "$true" : "$false", at);
            case Integer i -> number(new BigDecimal(i), at);
            case Long l -> number(new BigDecimal(l), at);
            case Short s -> number(new BigDecimal(s), at);
            case Double d when Double.isFinite(d) -> number(BigDecimal.valueOf(d), at);
            case Float f when Float.isFinite(f) -> number(new BigDecimal(f.toString()), at);
            case BigDecimal d -> number(d, at);
            case java.math.BigInteger i -> number(new BigDecimal(i), at);
            case Enum<?> e -> text(e.name(), at);
            case ByteQuantifiedSize s -> text(s.bytes() + "B", at);
            case java.util.Collection<?> c -> {
                List<Value> items = c.stream().map(x -> fromJava(x, at)).toList();
                yield new Value.ListOf(items, String.valueOf(c), at);
            }
            case Map<?, ?> m -> {
                Map<String, Value> entries = new LinkedHashMap<>();
                m.forEach((k, v) -> entries.put(String.valueOf(k), fromJava(v, at)));
                yield new Value.Table(entries, String.valueOf(m), at);
            }
            default -> {
                String iso = DateTimes.iso(o);
                yield text(iso != null ? iso : String.valueOf(o), at);
            }
        };
    }

    private static Value number(BigDecimal d, Position at) { return new Value.Number(d, d.toString(), at); }

    private static Value text(String s, Position at) { return new Value.Text(s, Value.Quoting.SINGLE, s, at); }

    private static Failure fail(CmdletDefinition<?> def, String parameter, Value value, Position at, String message) {
        String shown = value == null ? null : ParameterType.shown(value);
        return new Failure(new BindingError(def.name(), parameter, shown, message, at));
    }
}
