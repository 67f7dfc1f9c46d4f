package dev.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's mistakes at startup: each one stops the process with a non-zero status and a message
 * that names the problem (the port, the setting and its value, the URL, the data dir), instead of a
 * stack trace or a half-started gateway. Plus the configuration layering: environment beats file.
 */
class StartupErrorsIT {

    private static final Duration EXIT_WITHIN = Duration.ofSeconds(60);

    @TempDir Path dir;

    private GatewayProcess.Exit serve(int smtpPort, int httpPort, String... extra) throws Exception {
        return GatewayProcess.run(GatewayProcess.serveArgs(dir, smtpPort, httpPort, List.of(extra)), Map.of(), EXIT_WITHIN);
    }

    private static ServerSocket hold(int port) throws Exception {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        return s;
    }

    @Test
    void smtpPortInUse() throws Exception {
        int smtp = GatewayProcess.freePort();
        try (ServerSocket held = hold(smtp)) {
            GatewayProcess.Exit e = serve(smtp, GatewayProcess.freePort());
            assertThat(e.code()).as(e.text()).isNotZero();
            assertThat(e.text()).contains("SMTP port 127.0.0.1:" + smtp + " is already in use").doesNotContain("gatehouse ready");
        }
    }

    @Test
    void httpPortInUse() throws Exception {
        int http = GatewayProcess.freePort();
        try (ServerSocket held = hold(http)) {
            GatewayProcess.Exit e = serve(GatewayProcess.freePort(), http);
            assertThat(e.code()).as(e.text()).isNotZero();
            assertThat(e.text()).contains("HTTP port 127.0.0.1:" + http + " is already in use").doesNotContain("gatehouse ready");
        }
    }

    @Test
    void badSettingIsNamedWithItsValue() throws Exception {
        GatewayProcess.Exit e = serve(70000, GatewayProcess.freePort());
        assertThat(e.code()).as(e.text()).isEqualTo(2);
        assertThat(e.text()).contains("--smtp-port '70000'").doesNotContain("Exception");
    }

    @Test
    void unknownKeyInConfigFile() throws Exception {
        Path cfg = dir.resolve("gatehouse.conf");
        Files.writeString(cfg, "smtp-prot = 2525\n");
        GatewayProcess.Exit e = serve(GatewayProcess.freePort(), GatewayProcess.freePort(), "--config", cfg.toString());
        assertThat(e.code()).as(e.text()).isNotZero();
        assertThat(e.text()).contains(cfg.toString()).contains("unknown setting 'smtp-prot'");
    }

    @Test
    void unreachablePostgres() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:1/test?user=postgres";
        GatewayProcess.Exit e = serve(GatewayProcess.freePort(), GatewayProcess.freePort(), "--store", url);
        assertThat(e.code()).as(e.text()).isNotZero();
        assertThat(e.text()).contains(url).doesNotContain("gatehouse ready");
    }

    @Test
    void secondProcessOnTheSameSqliteDataDir() throws Exception {
        try (GatewayProcess first = GatewayProcess.start(dir, List.of())) {
            GatewayProcess.Exit e = serve(GatewayProcess.freePort(), GatewayProcess.freePort());
            assertThat(e.code()).as(e.text()).isNotZero();
            assertThat(e.text()).contains("in use by another Gatehouse process").doesNotContain("gatehouse ready");
            // and the first one is unharmed
            try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", first.smtpPort)) {
                assertThat(c.reply()).startsWith("220");
            }
            assertThat(ItSupport.get(first.httpPort, "/healthz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void environmentBeatsConfigFile() throws Exception {
        int[] ports = GatewayProcess.freePorts(3);
        int fileSmtp = ports[0];
        int envSmtp = ports[1];
        int fileHttp = ports[2];
        Path cfg = dir.resolve("gatehouse.conf");
        Files.writeString(cfg, "smtp-port = " + fileSmtp + "\nhttp-port = " + fileHttp + "\nhostname = mx.from-file.test\n");
        List<String> args = List.of("serve", "--data-dir", dir.toString(), "--smtp-bind", "127.0.0.1", "--config", cfg.toString());
        try (GatewayProcess gw = GatewayProcess.launch(args, Map.of("GATEHOUSE_SMTP_PORT", String.valueOf(envSmtp)), envSmtp, fileHttp)) {
            assertThat(gw.output()).anyMatch(l -> l.contains("gatehouse ready") && l.contains("smtp=127.0.0.1:" + envSmtp)
                    && l.contains("http=127.0.0.1:" + fileHttp));
            try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", envSmtp)) {
                assertThat(c.reply()).isEqualTo("220 mx.from-file.test ESMTP Gatehouse");
            }
            assertThat(ItSupport.get(fileHttp, "/healthz").statusCode()).isEqualTo(200);
            try (ServerSocket s = hold(fileSmtp)) {
                assertThat(s.isBound()).as("the file's SMTP port is not used").isTrue();
            }
        }
    }
}
