// Reads $variables in scripts: only $true, $false and $null exist; anything else is explained as an error.
package dev.gatehouse.cmdlet;

import java.util.Locale;

/**
 * Package-private variable handling for {@link ValueParser}. Only {@code $true}, {@code $false} and
 * {@code $null} exist; any other {@code $name}, in a bare word or in a double-quoted string, is the error
 * PowerShell gives in strict mode, because silently expanding it to nothing would change what the admin
 * meant. A {@code $} not followed by a name is a literal dollar; {@code $(...)} and assignments are
 * reported as unsupported.
 */
final class Variables {
    private final Source src;

    Variables(Source src) { this.src = src; }

    static boolean starts(int c) {
        return Source.isVariableNameChar(c) || c == '{' || c == '?' || c == '^' || c == '$';
    }

    /** {@code $name} inside a word or string: known variables expand to their text. */
    String expand() {
        Value v = read();
        return switch (v) {
            case Value.Bool b -> b.value() ? "True" : "False";
            default -> "";
        };
    }

    /** {@code $true}, {@code $false}, {@code $null}; anything else is an error naming the variable. */
    Value read() {
        int start = src.pos;
        String name = variableName();
        if (name == null) return new Value.Text("$", Value.Quoting.BARE, "$", src.position(start));
        String source = src.slice(start);
        switch (name.toLowerCase(Locale.ROOT)) {
            case "true" -> { return new Value.Bool(true, source, src.position(start)); }
            case "false" -> { return new Value.Bool(false, source, src.position(start)); }
            case "null" -> { return new Value.Null(source, src.position(start)); }
            case "_" -> throw src.fail(start, "The variable '$_' cannot be retrieved because it has not been set. $_ "
                    + "exists only inside script blocks, which Gatehouse does not support.");
            default -> throw src.fail(start, "The variable '$" + name + "' cannot be retrieved because it has not been "
                    + "set. Gatehouse knows only $true, $false and $null.");
        }
    }

    /** Reads {@code $name} or {@code ${name}} from the '$'; null (cursor past '$') when no name follows. */
    private String variableName() {
        int start = src.pos++;
        int c = src.peek();
        if (c == '(') {
            throw src.fail(start, "Subexpressions such as '$(...)' are not supported in Gatehouse; write the value itself.");
        }
        if (c == '{') {
            int close = src.text.indexOf('}', src.pos);
            if (close < 0) throw src.failIncomplete(start, "Missing closing '}' in the variable name '${...}'.");
            String name = src.text.substring(src.pos + 1, close);
            src.pos = close + 1;
            return name;
        }
        if (c == '?' || c == '^' || c == '$') {
            src.pos++;
            return Character.toString(c);
        }
        if (!Source.isVariableNameChar(c)) return null;
        int nameStart = src.pos;
        while (Source.isVariableNameChar(src.peek())) src.pos++;
        return src.slice(nameStart);
    }

    /** A statement that starts with '$': an assignment, a bare value, or an unknown variable. */
    void rejectStatement() {
        int start = src.pos;
        variableName();
        String source = src.slice(start);
        src.skipBlanks();
        int c = src.peek();
        boolean assignment = c == '=' || ((c == '+' || c == '*' || c == '/' || c == '%' || Source.isDash(c))
                && src.peek(1) == '=');
        if (assignment) {
            throw src.fail(start, "Assignments such as '" + source + " = ...' are not supported in Gatehouse; "
                    + "write each value directly in the command that uses it.");
        }
        src.pos = start;
        Value v = read();
        throw src.fail(start, "A value such as '" + v.source() + "' cannot be a command. Start each command with a "
                + "cmdlet name, such as Get-AcceptedDomain.");
    }
}
