// `gatehouse serve` in-process, on the paths that end before it runs: every option's bad value is named (exit 2), nothing is started.
package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.gatehouse.admin.AdminHarness;

class ServeCommandTest {

    @TempDir Path tmp;

    /**
     * Runs serve with safe values (a temp data dir, loopback, ephemeral ports) overridden by {@code given}. Each
     * case must fail before the gateway runs: a serve that started would block, which the timeout turns into a failure.
     */
    private Cli.Result serve(Map<String, String> given) {
        Map<String, String> options = new LinkedHashMap<>(Map.of("--data-dir", data().toString(), "--hostname", "mx.gatehouse.test",
                "--smtp-bind", "127.0.0.1", "--smtp-port", "0", "--http-port", "0"));
        options.putAll(given);
        List<String> args = new ArrayList<>(List.of("serve"));
        options.forEach((k, v) -> { args.add(k); args.add(v); });
        return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Cli.run(args.toArray(String[]::new)));
    }

    private Path data() { return tmp.resolve("data"); }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --smtp-port              | 70000         | must be between 0 and 65535
            --http-port              | eighty        | is not a whole number
            --hostname               | mx_1.example  | is not a valid host name
            --smtp-bind              | ::zz          | is not a local address to listen on
            --http-bind              | 300.1.1.1:1   | is not a local address to listen on
            --max-message-size       | lots          | is not a size such as 36MB or 500KB
            --max-message-size       | 3GB           | must be between 1KB and 2GB
            --max-recipients         | 5             | must be between 100 and 100000
            --max-connections        | 0             | must be between 1 and 1000000
            --max-connections-per-ip | -3            | must be between 1 and 100000
            --smtp-timeout           | 0s            | must be longer than 0
            --data-timeout           | 10 minutes    | is not a duration such as 300s, 5m, 12h, 90d or 500ms
            --http-request-timeout   | -1s           | must be longer than 0
            --shutdown-grace         | soon          | is not a duration
            --trace-retention        | 12h           | must be 0 (keep forever) or at least 1d
            --relay-host             | smtp.example  | must be HOST:PORT
            --relay-host             | smtp.example:x | the port 'x' is not a number
            --store                  | mysql://db/gh | use a jdbc:postgresql://host:port/db URL
            --dns-server             | dns.example:53 | is not an IP address
            --dns-server             | 192.0.2.53:99999 | must be a number between 1 and 65535
            --dns-server             | ::1:53        | an IPv6 address goes in brackets
            --dns-timeout            | 5 minutes     | is not a duration
            --dns-timeout            | 2m            | must be at most 60s
            --proxy-protocol-from    | 10.0.0.0/33   | is not an IP address or CIDR block such as 10.0.0.0/8 or 2001:db8::/32
            --proxy-protocol-from    | lb.example    | is not an IP address or CIDR block
            --proxy-protocol-from    | 10.0.0.1/8    | has host bits set; did you mean 10.0.0.0/8?
            """)
    void aBadValueIsNamedWithItsOptionAndNothingStarts(String option, String value, String why) {
        Cli.Result r = serve(Map.of(option, value));
        assertThat(r.code()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).as("%s", r).startsWith("gatehouse: " + option + " '" + value + "'").contains(why).doesNotContain("Exception");
        assertThat(data()).as("nothing was written: the data directory isn't even created").doesNotExist();
    }

    @Test
    void proxyProtocolFromIsRepeatableAndEveryValueIsChecked() {
        Cli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Cli.run("serve", "--data-dir", data().toString(),
                "--smtp-bind", "127.0.0.1", "--smtp-port", "0", "--http-port", "0",
                "--proxy-protocol-from", "10.0.0.0/8", "--proxy-protocol-from", "2001:db8::/32,192.0.2.300"));
        assertThat(r.code()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).startsWith("gatehouse: --proxy-protocol-from '10.0.0.0/8,2001:db8::/32,192.0.2.300': '192.0.2.300' is not");
        assertThat(data()).doesNotExist();
    }

    @Test
    void filesThatDoNotExistAreNamed() {
        Path missing = tmp.resolve("missing.pem");
        assertThat(serve(Map.of("--tls-client-ca", missing.toString())).err())
                .startsWith("gatehouse: --tls-client-ca '" + missing + "' does not exist or is not readable");
        assertThat(serve(Map.of("--tls-cert", missing.toString(), "--tls-key", missing.toString())).err())
                .startsWith("gatehouse: TLS file '" + missing + "' does not exist or is not readable");
        Cli.Result config = serve(Map.of("--config", missing.toString()));
        assertThat(config.code()).isEqualTo(2);
        assertThat(config.err()).startsWith("gatehouse: --config '" + missing + "' does not exist or is not readable");
    }

    @Test
    void aPublicSuffixListThatIsMissingOrIsNotOneIsNamed() throws IOException {
        Path missing = tmp.resolve("missing.dat");
        Cli.Result gone = serve(Map.of("--public-suffix-list", missing.toString()));
        assertThat(gone.code()).isEqualTo(2);
        assertThat(gone.err()).startsWith("gatehouse: --public-suffix-list '" + missing + "' does not exist or is not readable");
        Path page = tmp.resolve("public_suffix_list.dat");
        Files.writeString(page, "<html>\n<body>moved</body>\n");
        Cli.Result html = serve(Map.of("--public-suffix-list", page.toString()));
        assertThat(html.code()).isEqualTo(2);
        assertThat(html.err()).startsWith("gatehouse: --public-suffix-list: public suffix list '" + page
                + "' line 1: '<html>' is not a rule (not a domain name)");
    }

    @Test
    void aCertificateWithoutItsKeyIsRefused() throws IOException {
        Path cert = Files.writeString(tmp.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n");
        Cli.Result r = serve(Map.of("--tls-cert", cert.toString()));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("gatehouse: --tls-cert and --tls-key must be given together (got only --tls-cert)\n");
    }

    @Test
    void oneSettingForBothPortsIsRefused() throws IOException {
        int port = AdminHarness.freePort();
        Cli.Result r = serve(Map.of("--smtp-port", String.valueOf(port), "--http-port", String.valueOf(port)));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("gatehouse: --smtp-port and --http-port are both " + port + "\n");
    }

    /** A config file's mistake is named with the file, and an option on the command line beats the file. */
    @Test
    void aConfigFileIsReadUnderTheCommandLine() throws IOException {
        Path conf = Files.writeString(tmp.resolve("gatehouse.conf"), "max-recipients = 7\n");
        Cli.Result fromFile = serve(Map.of("--config", conf.toString()));
        assertThat(fromFile.err()).startsWith("gatehouse: " + conf + ": max-recipients '7': must be between 100 and 100000");
        Cli.Result overridden = serve(Map.of("--config", conf.toString(), "--max-recipients", "500", "--max-connections", "none"));
        assertThat(overridden.err()).startsWith("gatehouse: --max-connections 'none'");
    }

    /** The store is opened after the ports are bound: when it can't be, serve says why and gives both ports back. */
    @Test
    void aStoreThatCannotBeOpenedEndsServeAndFreesItsPorts() throws IOException {
        int[] ports = AdminHarness.freePorts(2);
        int smtp = ports[0];
        int http = ports[1];
        Cli.Result r = serve(Map.of("--store", "jdbc:sqlite::memory:", "--smtp-port", String.valueOf(smtp), "--http-port", String.valueOf(http)));
        assertThat(r.code()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).startsWith("gatehouse: Store URL jdbc:sqlite::memory: must name a SQLite file");
        for (int port : new int[] {smtp, http}) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            }
        }
        assertThat(data().resolve("operator.token")).doesNotExist();
    }
}
