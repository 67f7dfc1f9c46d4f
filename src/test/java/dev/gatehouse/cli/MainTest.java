// The gatehouse command line in-process: usage, version, and usage errors that name the bad argument (exit 2).
package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void withoutASubcommandItPrintsTheUsageListingEverySubcommand() {
        Cli.Result r = Cli.run();
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.out()).startsWith("Usage: gatehouse").contains("Multi-tenant inbound mail gateway");
        for (String sub : new String[] {"serve", "shell", "provision", "version"}) assertThat(r.out()).containsPattern("(?m)^\\s+" + sub + "\\s");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void theVersionSubcommandAndTheVersionOptionsAgree() {
        String expected = "gatehouse " + Main.version() + "\n";
        assertThat(Cli.run("version").out()).isEqualTo(expected);
        assertThat(Cli.run("--version").out()).isEqualTo(expected);
        assertThat(Cli.run("-V").out()).isEqualTo(expected);
        assertThat(Cli.run("provision", "--version").out()).isEqualTo(expected);
    }

    @Test
    void eachSubcommandsHelpShowsItsOwnOptionsAndExitsZero() {
        Cli.Result provision = Cli.run("provision", "-h");
        assertThat(provision.code()).isZero();
        assertThat(provision.out()).startsWith("Usage: gatehouse provision").contains("--tenant=<tenant>", "--domain-type", "--mailbox", "--store")
                .doesNotContain("--smtp-port");
        Cli.Result shell = Cli.run("shell", "--help");
        assertThat(shell.code()).isZero();
        assertThat(shell.out()).startsWith("Usage: gatehouse shell").contains("--url", "--token-file", "--tenant", "--json", "-c=", "-f=");
    }

    @Test
    void aMistypedSubcommandIsAUsageErrorThatSuggestsTheRightOne() {
        Cli.Result r = Cli.run("serv");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("'serv'").contains("serve");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anUnknownOptionIsNamedWithTheOneThatWasMeant() {
        Cli.Result r = Cli.run("shell", "--tenent", "Contoso", "-c", "Get-Tenant");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("'--tenent'").contains("Possible solutions: --tenant");
    }

    @Test
    void anOptionWithoutItsValueIsNamed() {
        Cli.Result r = Cli.run("shell", "--url");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required parameter for option '--url'");
    }

    @Test
    void provisionWithoutATenantSaysWhichOptionIsMissing() {
        Cli.Result r = Cli.run("provision", "--domain", "contoso.com");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option: '--tenant=<tenant>'");
    }

    @Test
    void aSingleValuedOptionGivenTwiceIsRefusedRatherThanOneSilentlyWinning() {
        Cli.Result r = Cli.run("provision", "--tenant", "Contoso", "--tenant", "Fabrikam");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--tenant").contains("should be specified only once");
    }
}
