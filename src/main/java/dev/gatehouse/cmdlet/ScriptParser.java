// Parses PowerShell command syntax (the subset Exchange Online admins type) into pipelines of commands.
package dev.gatehouse.cmdlet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns script text into a {@link Script}: statements separated by newlines or {@code ;}, each a pipeline of
 * commands joined by {@code |}; each command a name followed by named and positional arguments.
 *
 * <p>The grammar is PowerShell's argument mode, restricted to what runs cmdlets: no variables other than
 * {@code $true}/{@code $false}/{@code $null}, no script blocks, subexpressions, assignments or redirection.
 * Those constructs are recognised and rejected with a message saying Gatehouse does not support them, so an
 * admin who pastes a script learns why it stopped. PowerShell's typographic dashes ({@code – — ―}) and quotes
 * ({@code ‘ ’ ‚ ‛ “ ” „}) are accepted because articles are full of them.
 *
 * <p>{@link #parse} never throws: the outcome is a {@link ParseResult.Parsed} or a {@link ParseResult.Failed}
 * with a positioned {@link SyntaxError}. Values are parsed by {@link ValueParser}.
 */
public final class ScriptParser {
    private static final Set<String> FOREACH = Set.of("foreach-object", "%", "foreach");
    private static final Set<String> WHERE = Set.of("where-object", "?", "where");
    private static final Set<String> KEYWORDS = Set.of("if", "else", "elseif", "for", "while", "do", "until",
            "switch", "function", "filter", "param", "begin", "process", "end", "try", "catch", "finally", "trap",
            "throw", "return", "break", "continue", "exit", "class", "enum", "using", "data", "workflow");

    private final Source src;
    private final ValueParser values;

    private ScriptParser(String text) {
        this.src = new Source(text);
        this.values = new ValueParser(src);
    }

    /** Parses {@code text}; never throws. A {@code null} text is treated as empty. */
    public static ParseResult parse(String text) {
        ScriptParser parser = new ScriptParser(text == null ? "" : text);
        try {
            return new ParseResult.Parsed(parser.script());
        } catch (Source.Failure f) {
            return new ParseResult.Failed(f.error);
        }
    }

    /** True when {@code text} is a script cut short (see {@link SyntaxError#incomplete()}): read more input. */
    public static boolean needsMoreInput(String text) {
        return parse(text) instanceof ParseResult.Failed f && f.error().incomplete();
    }

    /** Parses {@code text}, throwing {@link ParseException} with the positioned error when it is invalid. */
    public static Script parseOrThrow(String text) throws ParseException {
        return switch (parse(text)) {
            case ParseResult.Parsed p -> p.script();
            case ParseResult.Failed f -> throw new ParseException(f.error());
        };
    }

    private Script script() {
        List<Pipeline> pipelines = new ArrayList<>();
        while (true) {
            skipSeparators();
            if (src.atEnd()) return new Script(pipelines);
            pipelines.add(pipeline());
            src.skipBlanks();
            int c = src.peek();
            if (!Source.endsStatement(c)) throw unexpected(src.pos);
        }
    }

    private void skipSeparators() {
        while (true) {
            src.skipBlanksAndNewlines();
            if (src.peek() == ';') src.pos++;
            else return;
        }
    }

    private Pipeline pipeline() {
        int start = src.pos;
        List<ParsedCommand> commands = new ArrayList<>();
        if (src.peek() == '|') throw src.fail(src.pos, "An empty pipe element is not allowed.");
        commands.add(command());
        while (true) {
            src.skipBlanks();
            if (src.peek() != '|') break;
            int pipeAt = src.pos;
            if (src.peek(1) == '|') {
                throw src.fail(pipeAt, "The '||' operator is not supported in Gatehouse; write each command on its own line.");
            }
            src.pos++;
            src.skipBlanksAndNewlines();
            int c = src.peek();
            if (c == Source.EOF || c == '|' || c == ';') throw src.failAtEnd(pipeAt, "An empty pipe element is not allowed.");
            commands.add(command());
        }
        return new Pipeline(commands, src.position(start));
    }

    private ParsedCommand command() {
        int start = src.pos;
        rejectNonCommandStart();
        String name = commandName();
        rejectUnsupportedCommand(name, start);
        List<Argument> arguments = new ArrayList<>();
        while (true) {
            src.skipBlanks();
            int c = src.peek();
            if (Source.endsStatement(c) || c == '|') break;
            rejectOperatorAt(src.pos);
            if (isParameterToken()) {
                arguments.add(named());
            } else {
                int at = src.pos;
                arguments.add(new Argument.Positional(values.argument(), src.position(at)));
            }
        }
        return new ParsedCommand(name, arguments, src.position(start));
    }

    private boolean isParameterToken() {
        return Source.isDash(src.peek()) && Source.isParameterNameStart(src.peek(1));
    }

    private Argument.Named named() {
        int start = src.pos;
        src.pos++;
        int nameStart = src.pos;
        while (Source.isParameterNameChar(src.peek())) src.pos++;
        String name = src.slice(nameStart);
        int c = src.peek();
        if (c == ':') {
            int colon = src.pos++;
            src.skipBlanks();
            int v = src.peek();
            if (Source.endsStatement(v) || v == '|' || v == ')' || v == '}') {
                throw src.fail(colon, "Missing an argument for parameter '" + name
                        + "'. Write the value right after the colon, for example -" + name + ":$false.");
            }
            rejectOperatorAt(src.pos);
            return new Argument.Named(name, values.argument(), Argument.Syntax.COLON, src.position(start));
        }
        if (!Source.endsWord(c)) {
            throw src.fail(src.pos, "Unexpected character '" + Character.toString(c) + "' in parameter name '-" + name
                    + "'. A parameter name is letters and digits, followed by a space or ':'.");
        }
        int save = src.pos;
        src.skipBlanks();
        int v = src.peek();
        if (Source.endsStatement(v) || v == '|' || isParameterToken() || v == ')' || v == '}' || v == '>' || v == '&') {
            src.pos = save;
            return new Argument.Named(name, new Value.SwitchPresent(src.slice(start), src.position(start)),
                    Argument.Syntax.NONE, src.position(start));
        }
        return new Argument.Named(name, values.argument(), Argument.Syntax.SPACE, src.position(start));
    }

    private String commandName() {
        int start = src.pos;
        while (!Source.endsWord(src.peek()) && src.peek() != '{' && src.peek() != '(') {
            int c = src.peek();
            if (Source.isSingleQuote(c) || Source.isDoubleQuote(c)) break;
            src.pos++;
        }
        if (src.pos == start) throw unexpected(start);
        return src.slice(start);
    }

    /** A statement must start with a cmdlet name; explain what else it might be. */
    private void rejectNonCommandStart() {
        int at = src.pos;
        int c = src.peek();
        rejectOperatorAt(at);
        if (c == '$') {
            values.rejectStatementVariable();
        } else if (c == '{') {
            throw src.fail(at, ValueParser.SCRIPT_BLOCK);
        } else if (c == '[') {
            throw src.fail(at, "Type expressions such as '[int]' are not supported in Gatehouse; write the value itself.");
        } else if (c == '&') {
            throw src.fail(at, "The call operator '&' is not supported in Gatehouse; write the cmdlet name directly.");
        } else if (c == '.' && (Source.isBlank(src.peek(1)) || src.peek(1) == '\\' || src.peek(1) == '/'
                || Source.isSingleQuote(src.peek(1)) || Source.isDoubleQuote(src.peek(1)))) {
            throw src.fail(at, "Running scripts ('. script.ps1') is not supported in Gatehouse; paste the commands instead.");
        } else if (c == '(' || c == '@' || Source.isSingleQuote(c) || Source.isDoubleQuote(c)
                || Character.isDigit(c) || Source.isDash(c) || c == ',' || c == '+') {
            throw src.fail(at, "Expressions are not supported in Gatehouse: start each command with a cmdlet name, "
                    + "such as Get-AcceptedDomain.");
        } else if (c == ')' || c == '}') {
            throw unexpected(at);
        } else if (c == '<') {
            throw src.fail(at, "The '<' operator is reserved for future use.");
        }
    }

    private void rejectUnsupportedCommand(String name, int at) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (FOREACH.contains(lower)) {
            throw src.fail(at, "ForEach-Object (and its aliases % and foreach) is not supported in Gatehouse, because "
                    + "script blocks cannot run here. Pipe a getter straight into the cmdlet instead, for example "
                    + "Get-AcceptedDomain | Set-AcceptedDomain -MatchSubDomains $true.");
        }
        if (WHERE.contains(lower)) {
            throw src.fail(at, "Where-Object (and its aliases ? and where) is not supported in Gatehouse, because "
                    + "script blocks cannot run here. Filter with the getter's own parameters, for example "
                    + "Get-AcceptedDomain -Identity contoso.com.");
        }
        if (KEYWORDS.contains(lower)) {
            throw src.fail(at, "The PowerShell keyword '" + name + "' is not supported in Gatehouse: a script is a list "
                    + "of cmdlet pipelines, one per line.");
        }
    }

    /** Redirection, '&&', '&' and stray closing brackets are never arguments. */
    private void rejectOperatorAt(int at) {
        int c = src.text.length() > at ? src.text.charAt(at) : Source.EOF;
        int next = src.text.length() > at + 1 ? src.text.charAt(at + 1) : Source.EOF;
        if (c == '>') {
            throw src.fail(at, "Redirection ('>') is not supported in Gatehouse; use Export-Csv -Path or ConvertTo-Json "
                    + "to save output.");
        }
        if (c == '&' && next == '&') {
            throw src.fail(at, "The '&&' operator is not supported in Gatehouse; write each command on its own line.");
        }
        if (c == '&' && Source.endsWord(next)) throw src.fail(at, "The '&' operator is not supported in Gatehouse.");
        if (c == ')' || c == '}') throw unexpected(at);
    }

    private Source.Failure unexpected(int at) {
        int c = at < src.text.length() ? src.text.codePointAt(at) : Source.EOF;
        String token = c == Source.EOF ? "end of script" : "'" + Character.toString(c) + "'";
        return src.fail(at, "Unexpected token " + token + " in expression or statement.");
    }
}
