// One parameter of a cmdlet: name, type, mandatory, position, pipeline binding, aliases and validator.
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
 */
public record ParameterDefinition(String name, ParameterType type, boolean mandatory, int position,
        boolean valueFromPipeline, boolean valueFromPipelineByPropertyName, List<String> aliases,
        Validator validator, String description) {
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
    }

    public static ParameterDefinition of(String name, ParameterType type) {
        return new ParameterDefinition(name, type, false, NOT_POSITIONAL, false, false, List.of(), Validator.NONE, "");
    }

    public ParameterDefinition required() {
        return new ParameterDefinition(name, type, true, position, valueFromPipeline, valueFromPipelineByPropertyName,
                aliases, validator, description);
    }

    public ParameterDefinition at(int newPosition) {
        if (newPosition < 0) throw new IllegalArgumentException("position must be >= 0");
        return new ParameterDefinition(name, type, mandatory, newPosition, valueFromPipeline,
                valueFromPipelineByPropertyName, aliases, validator, description);
    }

    public ParameterDefinition fromPipeline() {
        return new ParameterDefinition(name, type, mandatory, position, true, valueFromPipelineByPropertyName, aliases,
                validator, description);
    }

    public ParameterDefinition fromPipelineByPropertyName() {
        return new ParameterDefinition(name, type, mandatory, position, valueFromPipeline, true, aliases, validator,
                description);
    }

    public ParameterDefinition alias(String... more) {
        List<String> all = new ArrayList<>(aliases);
        all.addAll(List.of(more));
        return new ParameterDefinition(name, type, mandatory, position, valueFromPipeline,
                valueFromPipelineByPropertyName, all, validator, description);
    }

    public ParameterDefinition validatedBy(Validator newValidator) {
        return new ParameterDefinition(name, type, mandatory, position, valueFromPipeline,
                valueFromPipelineByPropertyName, aliases, newValidator, description);
    }

    public ParameterDefinition describedAs(String text) {
        return new ParameterDefinition(name, type, mandatory, position, valueFromPipeline,
                valueFromPipelineByPropertyName, aliases, validator, text);
    }

    public boolean isPositional() { return position != NOT_POSITIONAL; }

    public boolean isSwitch() { return type instanceof ParameterType.Switch; }

    /** True when {@code candidate} is this parameter's name or one of its aliases, ignoring case. */
    public boolean answersTo(String candidate) {
        return name.equalsIgnoreCase(candidate) || aliases.stream().anyMatch(a -> a.equalsIgnoreCase(candidate));
    }
}
