// `gatehouse shell` in-process against a real in-process gateway: token sources, URLs, tenants with spaces, and what it says when it can't get through.
package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.store.TestDatabase;
import picocli.CommandLine;

class ShellCommandTest {

    static AdminHarness gateway;
    static Path tokenFile;

    @TempDir Path tmp;

    @BeforeAll
    static void start() throws IOException {
        gateway = new AdminHarness(TestDatabase.Kind.SQLITE);
        tokenFile = gateway.db.dir().resolve("data").resolve("operator.token");
        OperatorToken.ensure(tokenFile, gateway.gateway);
        Cli.Result tenant = shell("-c", "New-Tenant 'Contoso Ltd'; New-Tenant Fabrikam");
        assertThat(tenant.code()).as("%s", tenant).isZero();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) gateway.close();
    }

    /** The shell with the gateway's URL and its operator token file. */
    private static Cli.Result shell(String... args) {
        String[] all = new String[args.length + 5];
        System.arraycopy(new String[] {"shell", "--url", gateway.base, "--token-file", tokenFile.toString()}, 0, all, 0, 5);
        System.arraycopy(args, 0, all, 5, args.length);
        return Cli.run(all);
    }

    @Test
    void aTenantNameWithSpacesAndAUrlWithTrailingSlashesReachTheRightOrganization() {
        assertThat(shell("--tenant", "Contoso Ltd", "-c", "New-AcceptedDomain contoso.test -DomainName contoso.test").code()).isZero();
        Cli.Result r = Cli.run("shell", "--url", gateway.base + "//", "--token", gateway.operatorToken, "--tenant", "Contoso Ltd", "-c",
                "Get-AcceptedDomain | Select-Object -ExpandProperty DomainName");
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.out()).isEqualTo("contoso.test\n");
        assertThat(shell("--tenant", "Fabrikam", "-c", "Get-AcceptedDomain | Select-Object -ExpandProperty DomainName").out()).isEmpty();
    }

    @Test
    void aScriptFileIsRunAndAFailingLineMakesTheExitStatusOne() throws IOException {
        Path script = Files.writeString(tmp.resolve("check.ps1"), "Get-Tenant 'Contoso Ltd' | Select-Object -ExpandProperty Name\n"
                + "Get-Tenant Nowhere\n");
        Cli.Result r = shell("-f", script.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("Contoso Ltd\n");
        assertThat(r.err()).contains("Nowhere");
    }

    @Test
    void commandsOnStandardInputRunAsAScript() {
        Cli.Result r = Cli.runWithInput("Get-Tenant Fabrikam |\n  Select-Object -ExpandProperty Name\n", "shell", "--url", gateway.base,
                "--token-file", tokenFile.toString());
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.out()).isEqualTo("Fabrikam\n");
    }

    @Test
    void aScriptFileThatCannotBeReadIsAUsageErrorNamingIt() {
        Path missing = tmp.resolve("setup.ps1");
        Cli.Result r = shell("-f", missing.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("gatehouse shell: cannot read script '" + missing + "'\n");
    }

    @Test
    void aTokenFileThatDoesNotExistIsNamedWithItsOption() {
        Path missing = tmp.resolve("operator.token");
        Cli.Result r = Cli.run("shell", "--url", gateway.base, "--token-file", missing.toString(), "-c", "Get-Tenant");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("gatehouse shell: --token-file '" + missing + "' does not exist or is not readable\n");
    }

    @Test
    void withoutAnyTokenItSaysWhereOneComesFrom() {
        assumeTrue(System.getenv("GATEHOUSE_TOKEN") == null && !Files.exists(Path.of("data", "operator.token")), "a token is around");
        Cli.Result r = Cli.run("shell", "--url", gateway.base, "-c", "Get-Tenant");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no token: give --token, --token-file or GATEHOUSE_TOKEN").contains("operator.token");
    }

    @Test
    void aTokenTheGatewayDoesNotKnowIsRefusedWithItsAnswer() {
        Cli.Result r = Cli.run("shell", "--url", gateway.base, "--token", "ghop_notAToken", "-c", "Get-Tenant");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("A valid bearer token is required (Authorization: Bearer <token>).\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void nothingListeningIsReportedWithTheUrlAndWhatToCheck() throws IOException {
        String url = "http://127.0.0.1:" + AdminHarness.freePort();
        Cli.Result r = Cli.run("shell", "--url", url, "--token", "x", "-c", "Get-Tenant");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("gatehouse shell: cannot reach the gateway at " + url + ": nothing answers there (connection refused):"
                + " is 'gatehouse serve' running, and is --url its --http-port?\n");
    }

    /** --url pointed at something that isn't the gateway's HTTP port (here a server that answers with a web page). */
    @Test
    void somethingElseAnsweringIsReportedAsNotTheGateway() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> answerWithAWebPage(server));
            String url = "http://127.0.0.1:" + server.getLocalPort();
            Cli.Result r = Cli.run("shell", "--url", url, "--token", "x", "-c", "Get-Tenant");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).startsWith("gatehouse shell: " + url + " did not answer as a Gatehouse gateway (HTTP 404")
                    .contains("--url").doesNotContain("Unrecognized token").doesNotContain("JSON");
        }
    }

    private static void answerWithAWebPage(ServerSocket server) {
        try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buf = new byte[8192];
            in.read(buf); // the request (small enough for one read); its body is not needed
            String page = "<html><body>Not Found</body></html>";
            out.write(("HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: " + page.length() + "\r\nConnection: close\r\n\r\n"
                    + page).getBytes(StandardCharsets.US_ASCII));
        } catch (IOException ignored) {
            // the test reports what the shell saw
        }
    }

    /** What tab completion offers: every cmdlet with its parameters, as the gateway lists them. */
    @Test
    void completionLearnsTheCmdletsAndTheirParametersFromTheGateway() throws Exception {
        ShellCommand shell = new ShellCommand();
        new CommandLine(shell).parseArgs("--url", gateway.base, "--token-file", tokenFile.toString(), "--tenant", "Fabrikam", "-c", " ");
        assertThat(Cli.capture(() -> call(shell)).code()).isZero(); // a blank script: nothing sent, the client is ready
        List<String[]> commands = shell.commandNames();
        assertThat(commands).extracting(c -> c[0]).contains("Get-Mailbox", "New-TransportRule", "Release-QuarantineMessage");
        assertThat(commands).filteredOn(c -> c[0].equals("New-Mailbox")).singleElement()
                .satisfies(c -> assertThat(List.of(c)).contains("Name", "PrimarySmtpAddress", "EmailAddresses"));
        assertThat(shell.prompt()).isEqualTo("PS Fabrikam> ");

        ShellCommand offline = new ShellCommand();
        new CommandLine(offline).parseArgs("--url", "http://127.0.0.1:" + AdminHarness.freePort(), "--token", "x", "-c", " ");
        assertThat(Cli.capture(() -> call(offline)).code()).isZero();
        Cli.Result none = Cli.capture(() -> offline.commandNames().size());
        assertThat(none.code()).as("no completion, and no failure, when the gateway is away").isZero();
        assertThat(none.err()).contains("cannot reach the gateway");
        assertThat(offline.prompt()).isEqualTo("PS gatehouse> ");
    }

    private static int call(ShellCommand shell) {
        try {
            return shell.call();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
