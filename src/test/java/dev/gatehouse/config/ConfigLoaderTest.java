package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir Path dir;

    @Test
    void defaultsMatchTheReadme() {
        GatewayConfig c = new ConfigLoader(Map.of(), Map.of(), null).load();
        assertThat(c.smtpPort()).isEqualTo(2525);
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.dataDir()).isEqualTo(Path.of("./data").toAbsolutePath().normalize());
        assertThat(c.storeUrl()).isNull();
        assertThat(c.maxMessageSize()).isEqualTo(36L * 1024 * 1024);
        assertThat(c.smtpTimeout()).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void commandLineBeatsEnvironmentWhichBeatsTheFile() throws Exception {
        Path file = dir.resolve("gatehouse.conf");
        Files.writeString(file, "smtp-port = 2600\nhttp-port = 8600\nhostname = file.example\n");
        GatewayConfig c = new ConfigLoader(Map.of("smtp-port", "2700"),
                Map.of("GATEHOUSE_SMTP_PORT", "2800", "GATEHOUSE_HTTP_PORT", "8800"), file).load();
        assertThat(c.smtpPort()).isEqualTo(2700);
        assertThat(c.httpPort()).isEqualTo(8800);
        assertThat(c.hostname()).isEqualTo("file.example");
    }

    @Test
    void badValuesAreNamedWithTheirSource() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of("smtp-port", "70000"), Map.of(), null).load())
                .isInstanceOf(ConfigException.class).hasMessage("--smtp-port '70000': must be between 0 and 65535");
        assertThatThrownBy(() -> new ConfigLoader(Map.of(), Map.of("GATEHOUSE_MAX_MESSAGE_SIZE", "huge"), null).load())
                .hasMessage("GATEHOUSE_MAX_MESSAGE_SIZE 'huge': is not a size such as 36MB or 500KB");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("store", "mysql://x"), Map.of(), null).load())
                .hasMessageContaining("--store 'mysql://x'");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("tls-cert", dir.resolve("c.pem").toString()), Map.of(), null).load())
                .hasMessageContaining("--tls-cert and --tls-key must be given together");
    }

    @Test
    void dnsServersAreAddressesWithPortsFromAnyLayerAndTheSystemsByDefault() throws Exception {
        GatewayConfig defaults = new ConfigLoader(Map.of(), Map.of(), null).load();
        assertThat(defaults.dnsServers()).isEmpty();
        assertThat(defaults.dnsTimeout()).isEqualTo(Duration.ofSeconds(2));

        GatewayConfig cli = new ConfigLoader(Map.of("dns-server", "192.0.2.53:5353,[2001:db8::53]:53, 198.51.100.7", "dns-timeout", "500ms"),
                Map.of(), null).load();
        assertThat(cli.dnsServers()).containsExactly(new InetSocketAddress(InetAddress.ofLiteral("192.0.2.53"), 5353),
                new InetSocketAddress(InetAddress.ofLiteral("2001:db8::53"), 53), new InetSocketAddress(InetAddress.ofLiteral("198.51.100.7"), 53));
        assertThat(cli.dnsTimeout()).isEqualTo(Duration.ofMillis(500));

        Path file = dir.resolve("dns.conf");
        Files.writeString(file, "dns-server = [::1]:53\ndns-timeout = 3s\n");
        GatewayConfig fromFile = new ConfigLoader(Map.of(), Map.of(), file).load();
        assertThat(fromFile.dnsServers()).containsExactly(new InetSocketAddress(InetAddress.ofLiteral("::1"), 53));
        assertThat(fromFile.dnsTimeout()).isEqualTo(Duration.ofSeconds(3));

        assertThatThrownBy(() -> new ConfigLoader(Map.of(), Map.of("GATEHOUSE_DNS_SERVER", "192.0.2.53:53,resolver.example"), null).load())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("GATEHOUSE_DNS_SERVER '192.0.2.53:53,resolver.example': 'resolver.example' is not an IP address");
    }

    @Test
    void unknownKeyInTheFileIsAnError() throws Exception {
        Path file = dir.resolve("g.conf");
        Files.writeString(file, "smtp_prot = 25\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of(), Map.of(), file).load())
                .hasMessageContaining("unknown setting 'smtp_prot'");
    }

    @Test
    void publicSuffixListIsAFileFromAnyLayerAndMustBeReadable() throws Exception {
        assertThat(new ConfigLoader(Map.of(), Map.of(), null).load().publicSuffixList()).isNull();
        Path list = dir.resolve("public_suffix_list.dat");
        Files.writeString(list, "// ===BEGIN ICANN DOMAINS===\ncom\n");
        assertThat(new ConfigLoader(Map.of(), Map.of("GATEHOUSE_PUBLIC_SUFFIX_LIST", list.toString()), null).load().publicSuffixList())
                .isEqualTo(list);
        Path file = dir.resolve("p.conf");
        Files.writeString(file, "public-suffix-list = " + list + "\n");
        assertThat(new ConfigLoader(Map.of(), Map.of(), file).load().publicSuffixList()).isEqualTo(list);
        Path missing = dir.resolve("missing.dat");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("public-suffix-list", missing.toString()), Map.of(), null).load())
                .isInstanceOf(ConfigException.class).hasMessage("--public-suffix-list '" + missing + "' does not exist or is not readable");
    }

    @Test
    void relayHostIsHostColonPortFromAnyLayer() throws Exception {
        assertThat(new ConfigLoader(Map.of(), Map.of(), null).load().relayHost()).isNull();
        GatewayConfig c = new ConfigLoader(Map.of(), Map.of("GATEHOUSE_RELAY_HOST", "smtp.example.net:587"), null).load();
        assertThat(c.relayHostName()).isEqualTo("smtp.example.net");
        assertThat(c.relayPort()).isEqualTo(587);
        GatewayConfig v6 = new ConfigLoader(Map.of("relay-host", "[2001:db8::1]:25"), Map.of(), null).load();
        assertThat(v6.relayHostName()).isEqualTo("2001:db8::1");
        assertThat(v6.relayPort()).isEqualTo(25);
        Path file = dir.resolve("r.conf");
        Files.writeString(file, "relay-host = 127.0.0.1:2526\n");
        assertThat(new ConfigLoader(Map.of(), Map.of(), file).load().relayHost()).isEqualTo("127.0.0.1:2526");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("relay-host", "smtp.example.net"), Map.of(), null).load())
                .isInstanceOf(ConfigException.class).hasMessage("--relay-host 'smtp.example.net': must be HOST:PORT, e.g. smtp.example.net:25");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("relay-host", "smtp.example.net:0"), Map.of(), null).load())
                .hasMessage("--relay-host 'smtp.example.net:0': the port must be between 1 and 65535");
        assertThatThrownBy(() -> new ConfigLoader(Map.of(), Map.of("GATEHOUSE_RELAY_HOST", "bad host:25"), null).load())
                .hasMessageStartingWith("GATEHOUSE_RELAY_HOST 'bad host:25': 'bad host' is not a host name");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("relay-host", "mx:smtp"), Map.of(), null).load())
                .hasMessage("--relay-host 'mx:smtp': the port 'smtp' is not a number");
    }

    @Test
    void traceRetentionIsNinetyDaysByDefaultZeroForeverAndNeverUnderADay() {
        assertThat(new ConfigLoader(Map.of(), Map.of(), null).load().traceRetention()).isEqualTo(java.time.Duration.ofDays(90));
        assertThat(new ConfigLoader(Map.of("trace-retention", "30d"), Map.of(), null).load().traceRetention()).isEqualTo(java.time.Duration.ofDays(30));
        assertThat(new ConfigLoader(Map.of(), Map.of("GATEHOUSE_TRACE_RETENTION", "0"), null).load().traceRetention()).isZero();
        assertThatThrownBy(() -> new ConfigLoader(Map.of("trace-retention", "12h"), Map.of(), null).load())
                .hasMessage("--trace-retention '12h': must be 0 (keep forever) or at least 1d");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("trace-retention", "forever"), Map.of(), null).load())
                .hasMessageContaining("is not a duration such as 300s, 5m, 12h, 90d or 500ms");
    }

    @Test
    void theDefaultHostnameIsTheMachinesRealNameNotLocalhost() throws Exception {
        String kernel = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
        String chosen = ConfigLoader.localHostName();
        if (!kernel.isEmpty() && !kernel.startsWith("localhost")) {
            assertThat(chosen).as("the kernel calls this machine %s", kernel).doesNotStartWith("localhost").startsWith(kernel.split("\\.")[0]);
        }
        assertThat(new ConfigLoader(Map.of(), Map.of(), null).load().hostname()).isEqualTo(chosen);
    }

    @Test
    void proxyProtocolFromTakesAddressesAndBlocksOfBothFamiliesFromAnyLayer() throws Exception {
        assertThat(new ConfigLoader(Map.of(), Map.of(), null).load().proxyProtocolFrom()).isEmpty();
        GatewayConfig c = new ConfigLoader(Map.of("proxy-protocol-from", "10.0.0.0/8, 192.0.2.7,2001:db8::/32,::1"), Map.of(), null).load();
        assertThat(c.proxyProtocolFrom()).extracting(Object::toString)
                .containsExactly("10.0.0.0/8", "192.0.2.7/32", "2001:db8:0:0:0:0:0:0/32", "0:0:0:0:0:0:0:1/128");
        Path file = dir.resolve("p.conf");
        Files.writeString(file, "proxy-protocol-from = 172.16.0.0/12\n");
        assertThat(new ConfigLoader(Map.of(), Map.of(), file).load().proxyProtocolFrom()).extracting(Object::toString).containsExactly("172.16.0.0/12");
        assertThat(new ConfigLoader(Map.of(), Map.of("GATEHOUSE_PROXY_PROTOCOL_FROM", "198.51.100.0/24"), file).load().proxyProtocolFrom())
                .extracting(Object::toString).containsExactly("198.51.100.0/24");
    }

    @Test
    void aBadProxyProtocolFromValueIsNamedAndNeverResolved() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of("proxy-protocol-from", "10.0.0.0/8,10.0.0.0/33"), Map.of(), null).load())
                .isInstanceOf(ConfigException.class).hasMessage("--proxy-protocol-from '10.0.0.0/8,10.0.0.0/33': '10.0.0.0/33' is not an IP"
                        + " address or CIDR block such as 10.0.0.0/8 or 2001:db8::/32");
        assertThatThrownBy(() -> new ConfigLoader(Map.of(), Map.of("GATEHOUSE_PROXY_PROTOCOL_FROM", "localhost"), null).load())
                .hasMessageStartingWith("GATEHOUSE_PROXY_PROTOCOL_FROM 'localhost': 'localhost' is not an IP address");
        for (String octalOrShort : new String[] {"010.0.0.1", "10.1", "10.0.0.0/", "10.0.0.0/0x8", "fe80::1%eth0", "[::1]"}) {
            assertThatThrownBy(() -> new ConfigLoader(Map.of("proxy-protocol-from", octalOrShort), Map.of(), null).load())
                    .as(octalOrShort).hasMessageContaining("'" + octalOrShort + "' is not an IP address");
        }
        assertThatThrownBy(() -> new ConfigLoader(Map.of("proxy-protocol-from", "192.0.2.7/24"), Map.of(), null).load())
                .hasMessage("--proxy-protocol-from '192.0.2.7/24': '192.0.2.7/24' has host bits set; did you mean 192.0.2.0/24?");
    }
}
