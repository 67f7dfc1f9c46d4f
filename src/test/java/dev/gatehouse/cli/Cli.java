// Runs the gatehouse command line in this JVM, as main does but without the exit, and keeps what it printed.
package dev.gatehouse.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import picocli.CommandLine;

/**
 * The commands print to {@code System.out}/{@code System.err} (and picocli to its writers), so both are
 * swapped for the run. An in-process gateway logs to the same {@code System.out}: lines in the test log's
 * format ({@code HH:mm:ss.SSS LEVEL [thread] ...}), and the Jazzer agent's lines when fuzz tests ran earlier in
 * the same JVM, are left out.
 */
final class Cli {
    private static final Pattern LOG_LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} +(TRACE|DEBUG|INFO|WARN|ERROR) .*"
            // Jazzer's agent, once a fuzz test has run in this JVM, reports each class it instruments on stderr
            + "|^INFO: Instrumented .*");

    private Cli() {}

    record Result(int code, String out, String err) {
        @Override public String toString() { return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err; }
    }

    static Result run(String... args) { return runWithInput("", args); }

    /** Runs with {@code stdin} as standard input (the shell reads commands there when no -c or -f is given). */
    static synchronized Result runWithInput(String stdin, String... args) {
        InputStream oldIn = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return capture(() -> {
                CommandLine cmd = Main.commandLine();
                cmd.setOut(new PrintWriter(System.out, true));
                cmd.setErr(new PrintWriter(System.err, true));
                return cmd.execute(args);
            });
        } finally {
            System.setIn(oldIn);
        }
    }

    /** Runs {@code body} with {@code System.out} and {@code System.err} captured; returns them (log lines left out). */
    static synchronized Result capture(java.util.function.IntSupplier body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            code = body.getAsInt();
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Result(code, withoutLogLines(out.toString(StandardCharsets.UTF_8)), withoutLogLines(err.toString(StandardCharsets.UTF_8)));
    }

    private static String withoutLogLines(String text) {
        if (text.isEmpty()) return text;
        String kept = text.lines().filter(l -> !LOG_LINE.matcher(l).matches()).collect(Collectors.joining("\n"));
        return kept.isEmpty() ? "" : kept + "\n";
    }
}
