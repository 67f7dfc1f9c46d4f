// The gatehouse command line: picocli's root command and its subcommands (serve, shell, hunt, provision, version).
package dev.gatehouse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code gatehouse} command: {@code serve} runs the gateway, {@code shell} runs cmdlets and {@code hunt} KQL
 * queries against it, {@code provision} creates a tenant,
 * domain and mailboxes directly in a store (for bootstrapping and benchmarks), {@code version} prints
 * the version. Exit status: 0 on success, 1 on a runtime failure, 2 on a usage or configuration error.
 */
@Command(name = "gatehouse", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Multi-tenant inbound mail gateway with Exchange Online semantics.",
        subcommands = {ServeCommand.class, ShellCommand.class, HuntCommand.class, AuthCheckCommand.class, ProvisionCommand.class,
                Main.VersionCommand.class, AotTrainCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        dev.gatehouse.smtp.Tls.refuseClientRenegotiation(); // before any TLS class reads its settings
        dev.gatehouse.server.FileModes.restrictUmask();      // everything this process writes is its user's only
        int code = commandLine().execute(args);
        if (code != Integer.MIN_VALUE) System.exit(code);
    }

    /** The command line as {@link #main} runs it (tests run it in-process, without the exit). */
    static CommandLine commandLine() { return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true); }

    @Override public void run() { CommandLine.usage(this, System.out); }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() { return new String[] {"gatehouse " + version()}; }
    }

    @Command(name = "version", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, description = "Print the version.")
    static final class VersionCommand implements Runnable {
        @Override public void run() { System.out.println("gatehouse " + version()); }
    }
}
