// One command as written: its name and its arguments in source order, before binding to a cmdlet.
package dev.gatehouse.cmdlet;

import java.util.List;
import java.util.Optional;

/**
 * A command as the parser saw it. The parser does not know the cmdlet's parameters, so {@code -Name value}
 * is recorded as a named argument carrying the following value; the {@link Binder} gives that value back
 * as a positional argument when {@code Name} turns out to be a switch.
 */
public record ParsedCommand(String name, List<Argument> arguments, Position position) {
    public ParsedCommand { arguments = List.copyOf(arguments); }

    /**
     * A command built from already-structured parameters, e.g. the REST API's
     * {@code {"CmdletInput":{"CmdletName":"Set-AcceptedDomain","Parameters":{"Identity":"contoso.com"}}}}.
     * Values may be what Jackson produces (String, Boolean, Integer, Long, Double, BigDecimal, List, Map, null);
     * each becomes {@code -Name:value}, so the same binder, conversions and error messages apply. A switch is
     * {@code true}/{@code false}.
     */
    public static ParsedCommand of(String name, java.util.Map<String, ?> parameters) {
        Position at = new Position(1, 1, 0);
        List<Argument> arguments = new java.util.ArrayList<>();
        parameters.forEach((k, v) -> arguments.add(
                new Argument.Named(k, Binder.fromJava(v, at), Argument.Syntax.COLON, at)));
        return new ParsedCommand(name, arguments, at);
    }

    /** The first named argument whose name equals {@code name} ignoring case (exact spelling, no prefixes). */
    public Optional<Argument.Named> named(String name) {
        return arguments.stream()
                .filter(a -> a instanceof Argument.Named n && n.name().equalsIgnoreCase(name))
                .map(Argument.Named.class::cast)
                .findFirst();
    }
}
