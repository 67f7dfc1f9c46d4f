// One parameter of a cmdlet: name, type, mandatory, position, pipeline binding, aliases, sets and validator.
package dev.gatehouse.cmdlet;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A declared parameter. Build with {@link #of} and the fluent withers:
 * {@code ParameterDefinition.of("Identity", ParameterType.string()).required().at(0).fromPipelineByPropertyName()}.
 *
 * @param position zero-based position for positional binding, or {@link #NOT_POSITIONAL}
 * @param valueFromPipeline binds a piped scalar (a string or number) itself
 * @param valueFromPipelineByPropertyName binds the piped object's property of the same name (or an alias)
 * @param parameterSets the parameter sets this parameter belongs to; empty means every set. A mandatory
 *     parameter is mandatory only in its sets.
 */
public record ParameterDefinition(String name, ParameterType type, boolean mandatory, int position,
        boolean valueFromPipeline, boolean valueFromPipelineByPropertyName, List<String> aliases,
        Validator validator, String description, List<String> parameterSets) {
    public static final int NOT_POSITIONAL = -1;

    public ParameterDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.isEmpty() || !name.chars().allMatch(Character::isLetterOrDigit)) {
            throw new IllegalArgumentException("parameter name must be letters and digits: " + name);
        }
        aliases = List.copyOf(aliases);
        validator = validator == null ? Validator.NONE : validator;
        description = description == null ? "" : description;
        parameterSets = List.copyOf(parameterSets);
    }

    public static ParameterDefinition of(String name, ParameterType type) {
        return new ParameterDefinition(name, type, false, NOT_POSITIONAL, false, false, List.of(), Validator.NONE, "",
                List.of());
    }

    private Builder copy() { return new Builder(this); }

    public ParameterDefinition required() { return copy().mandatory(true).build(); }

    public ParameterDefinition at(int newPosition) {
        if (newPosition < 0) throw new IllegalArgumentException("position must be >= 0");
        return copy().position(newPosition).build();
    }

    public ParameterDefinition fromPipeline() { return copy().byValue(true).build(); }

    public ParameterDefinition fromPipelineByPropertyName() { return copy().byPropertyName(true).build(); }

    public ParameterDefinition alias(String... more) {
        List<String> all = new ArrayList<>(aliases);
        all.addAll(List.of(more));
        return copy().aliases(all).build();
    }

    public ParameterDefinition validatedBy(Validator newValidator) { return copy().validator(newValidator).build(); }

    public ParameterDefinition describedAs(String text) { return copy().description(text).build(); }

    /** Puts the parameter in these parameter sets (by default it is in all of them). */
    public ParameterDefinition inSets(String... sets) { return copy().sets(List.of(sets)).build(); }

    public boolean isPositional() { return position != NOT_POSITIONAL; }

    public boolean isSwitch() { return type instanceof ParameterType.Switch; }

    /** True when the parameter belongs to {@code set} (parameters without sets belong to every set). */
    public boolean inSet(String set) { return parameterSets.isEmpty() || parameterSets.contains(set); }

    /** True when {@code candidate} is this parameter's name or one of its aliases, ignoring case. */
    public boolean answersTo(String candidate) {
        return name.equalsIgnoreCase(candidate) || aliases.stream().anyMatch(a -> a.equalsIgnoreCase(candidate));
    }

    /** Mutable copy used by the withers. */
    private static final class Builder {
        private final ParameterDefinition p;
        private boolean mandatory;
        private int position;
        private boolean byValue;
        private boolean byPropertyName;
        private List<String> aliases;
        private Validator validator;
        private String description;
        private List<String> sets;

        Builder(ParameterDefinition p) {
            this.p = p;
            mandatory = p.mandatory;
            position = p.position;
            byValue = p.valueFromPipeline;
            byPropertyName = p.valueFromPipelineByPropertyName;
            aliases = p.aliases;
            validator = p.validator;
            description = p.description;
            sets = p.parameterSets;
        }

        Builder mandatory(boolean v) { mandatory = v; return this; }

        Builder position(int v) { position = v; return this; }

        Builder byValue(boolean v) { byValue = v; return this; }

        Builder byPropertyName(boolean v) { byPropertyName = v; return this; }

        Builder aliases(List<String> v) { aliases = v; return this; }

        Builder validator(Validator v) { validator = v; return this; }

        Builder description(String v) { description = v; return this; }

        Builder sets(List<String> v) { sets = v; return this; }

        ParameterDefinition build() {
            return new ParameterDefinition(p.name, p.type, mandatory, position, byValue, byPropertyName, aliases,
                    validator, description, sets);
        }
    }
}
