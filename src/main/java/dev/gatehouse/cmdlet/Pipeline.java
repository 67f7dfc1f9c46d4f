// One pipeline: commands joined by '|', where each command receives the objects of the one before it.
package dev.gatehouse.cmdlet;

import java.util.List;

/** A pipeline of at least one command. */
public record Pipeline(List<ParsedCommand> commands, Position position) {
    public Pipeline { commands = List.copyOf(commands); }
}
