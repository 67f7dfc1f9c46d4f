// The interactive shell's loop on a JLine terminal fed by the test, against a real in-process gateway; its completion and continuation lines.
package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jline.reader.Candidate;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser.ParseContext;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.store.TestDatabase;
import picocli.CommandLine;

class InteractiveShellTest {

    static AdminHarness gateway;

    @TempDir Path home;

    @BeforeAll
    static void start() throws IOException {
        gateway = new AdminHarness(TestDatabase.Kind.SQLITE);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) gateway.close();
    }

    /** What one interactive session printed: the cmdlets' output and errors, and the terminal (banner, prompts). */
    record Session(int code, String out, String err, String terminal) {}

    /** Types {@code input} into an interactive shell connected to the gateway; {@code user.home} is the test's own. */
    private Session session(String input) throws Exception {
        ShellCommand shell = new ShellCommand();
        new CommandLine(shell).parseArgs("--url", gateway.base, "--token", gateway.operatorToken, "-c", " ");
        shell.call(); // a blank script: nothing is sent, the client is ready
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        String realHome = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try (Terminal terminal = new DumbTerminal(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), screen)) {
            InteractiveShell interactive = new InteractiveShell(shell, shell.commandNames());
            Cli.Result r = Cli.capture(() -> interactive.loop(terminal));
            terminal.flush();
            return new Session(r.code(), r.out(), r.err(), screen.toString(StandardCharsets.UTF_8));
        } finally {
            System.setProperty("user.home", realHome);
        }
    }

    @Test
    void eachLineRunsOnTheGatewayUntilExitAndIsKeptInTheHistory() throws Exception {
        Session s = session("New-Tenant Northwind\nGet-Tenant Northwind | Select-Object -ExpandProperty Name\n  EXIT  \n"
                + "Remove-Tenant Northwind -Confirm:$false\n");
        assertThat(s.code()).as("%s", s).isZero();
        assertThat(s.out()).as("%s", s).endsWith("Northwind\n");
        assertThat(s.terminal()).startsWith("Gatehouse shell. Type Get-Command for the cmdlets, Get-Help NAME for one, exit to leave.")
                .contains("PS gatehouse> ");
        assertThat(Cli.run("shell", "--url", gateway.base, "--token", gateway.operatorToken, "-c", "Get-Tenant Northwind").code())
                .as("the line after exit was not run").isZero();
        assertThat(Files.readString(home.resolve(".gatehouse_history"))).contains("New-Tenant Northwind", "Get-Tenant Northwind")
                .doesNotContain("Remove-Tenant");
    }

    @Test
    void aFailedLineMakesTheExitStatusOneAndTheNextLinesStillRunUntilTheInputEnds() throws Exception {
        Session s = session("Get-Tenant Atlantis\nNew-Tenant Tailspin\nGet-Tenant Tailspin | Select-Object -ExpandProperty Name\n");
        assertThat(s.code()).isEqualTo(1);
        assertThat(s.err()).contains("Atlantis");
        assertThat(s.out()).endsWith("Tailspin\n");
    }

    @Test
    void aLineCutShortByABacktickOrAPipeContinuesOnTheNext() throws Exception {
        Session s = session("New-Tenant Fourth\nGet-Tenant `\n  Fourth |\n  Select-Object -ExpandProperty Name\nquit\n");
        assertThat(s.code()).as("%s", s).isZero();
        assertThat(s.out()).endsWith("Fourth\n");
        // five lines, three scripts: the cut lines were read as one, under one prompt
        assertThat(s.terminal().split("PS gatehouse> ", -1)).hasSize(4);
    }

    private static final List<String[]> COMMANDS = List.of(new String[] {"Get-Mailbox", "Identity"},
            new String[] {"Select-Object", "Property", "ExpandProperty"}, new String[] {"New-TransportRule", "Name", "Quarantine"});

    /** What Tab offers after {@code typed} (JLine then keeps those that start with the word being typed). */
    private static List<String> completions(String typed) {
        ParsedLine line = new InteractiveShell.ContinuationParser().parse(typed, typed.length(), ParseContext.COMPLETE);
        List<Candidate> candidates = new ArrayList<>();
        new InteractiveShell(null, COMMANDS).completer().complete(null, line, candidates);
        return candidates.stream().map(Candidate::value).toList();
    }

    @Test
    void tabOffersCmdletNamesAndThenTheParametersOfTheCmdletBeingTyped() {
        assertThat(completions("Get-Ma")).containsExactly("Get-Mailbox", "Select-Object", "New-TransportRule");
        assertThat(completions("get-mailbox -")).containsExactly("-Identity");
        assertThat(completions("Get-Mailbox | Select-Object -Exp")).containsExactly("-Property", "-ExpandProperty");
        assertThat(completions("Get-Mailbox; Select-Object -")).containsExactly("-Property", "-ExpandProperty");
        // a value that looks like a cmdlet name doesn't take over from the cmdlet it is given to
        assertThat(completions("New-TransportRule -Name Block-List -")).containsExactly("-Name", "-Quarantine");
        assertThat(completions("Unknown-Thing -")).isEmpty();
        assertThat(completions("-")).isEmpty();
    }

    @Test
    void onlyAnIncompleteScriptAsksForAnotherLine() {
        InteractiveShell.ContinuationParser parser = new InteractiveShell.ContinuationParser();
        for (String cut : List.of("Get-Mailbox 'alice", "Get-Mailbox `", "Get-Mailbox -Identity @(", "New-Tenant \"Contoso", "Get-Tenant |")) {
            assertThatThrownBy(() -> parser.parse(cut, cut.length(), ParseContext.ACCEPT_LINE)).as("%s", cut).isInstanceOf(EOFError.class);
            assertThat(parser.parse(cut, cut.length(), ParseContext.COMPLETE).words()).as("completion still works on %s", cut).isNotEmpty();
        }
        ParsedLine whole = parser.parse("Get-Mailbox 'alice' | Format-List", 33, ParseContext.ACCEPT_LINE);
        assertThat(whole.words()).containsExactly("Get-Mailbox", "'alice'", "|", "Format-List");
        // a syntax error is not a reason to wait for more: it is sent, and the gateway says what is wrong
        assertThat(parser.parse("Get-Mailbox )", 13, ParseContext.ACCEPT_LINE).words()).containsExactly("Get-Mailbox", ")");
    }
}
