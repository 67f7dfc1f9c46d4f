// The object Get-Command emits for each cmdlet: type, name, synopsis and parameter names.
package dev.gatehouse.cmdlet;

import java.util.List;

/** One line of {@code Get-Command} output. */
public record CommandInfo(String commandType, String name, String synopsis, List<String> parameters) {
    public CommandInfo { parameters = List.copyOf(parameters); }
}
