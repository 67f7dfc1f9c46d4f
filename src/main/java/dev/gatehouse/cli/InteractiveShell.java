package dev.gatehouse.cli;

import java.nio.file.Path;
import java.util.List;

import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import dev.gatehouse.cmdlet.ScriptParser;

/**
 * The interactive loop of {@code gatehouse shell}: JLine line editing with history in
 * {@code ~/.gatehouse_history}, completion of cmdlet names and of the parameters of the cmdlet being
 * typed, and continuation lines while the script is incomplete (open quote or bracket, trailing backtick).
 */
final class InteractiveShell {

    private final ShellCommand shell;
    private final List<String[]> commands;

    InteractiveShell(ShellCommand shell, List<String[]> commands) {
        this.shell = shell;
        this.commands = commands;
    }

    int loop() throws Exception {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            return loop(terminal);
        }
    }

    /** Reads and runs scripts from {@code terminal} until exit, quit or end of input; 1 when any failed. */
    int loop(Terminal terminal) {
        boolean failed = false;
        LineReader reader = LineReaderBuilder.builder().terminal(terminal)
                .completer(completer())
                .parser(new ContinuationParser())
                .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".gatehouse_history"))
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, ">> ")
                .build();
        terminal.writer().println("Gatehouse shell. Type Get-Command for the cmdlets, Get-Help NAME for one, exit to leave.");
        while (true) {
            String line;
            try {
                line = reader.readLine(shell.prompt());
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                break;
            }
            String t = line.strip();
            if (t.equalsIgnoreCase("exit") || t.equalsIgnoreCase("quit")) break;
            if (!shell.run(line)) failed = true;
        }
        return failed ? 1 : 0;
    }

    Completer completer() {
        return (reader, line, candidates) -> {
            String word = line.word();
            List<String> words = line.words();
            String cmd = null;
            for (int i = line.wordIndex() - 1; i >= 0; i--) {
                String w = words.get(i);
                if (w.equals("|") || w.equals(";")) break;
                if (w.matches("[A-Za-z]+-[A-Za-z0-9]+")) cmd = w;
            }
            if (word.startsWith("-") && cmd != null) {
                for (String[] c : commands) {
                    if (c[0].equalsIgnoreCase(cmd)) {
                        for (int i = 1; i < c.length; i++) candidates.add(new Candidate("-" + c[i]));
                    }
                }
            } else if (!word.startsWith("-")) {
                for (String[] c : commands) candidates.add(new Candidate(c[0]));
            }
        };
    }

    /** Asks for more input while the script is cut short: an open quote or bracket, a trailing | or backtick. */
    static final class ContinuationParser extends DefaultParser {
        ContinuationParser() {
            setEscapeChars(new char[0]);
            setQuoteChars(new char[0]);
        }

        @Override
        public org.jline.reader.ParsedLine parse(String line, int cursor, ParseContext context) {
            if (context == ParseContext.ACCEPT_LINE && ScriptParser.needsMoreInput(line)) {
                throw new EOFError(-1, -1, "continuation");
            }
            return super.parse(line, cursor, context);
        }
    }
}
