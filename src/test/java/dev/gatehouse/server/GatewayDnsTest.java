// The gateway's one DNS resolver: it asks the servers --dns-server names, and the system's when none is named.
package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.config.GatewayConfig;
import dev.gatehouse.dns.DnsResolver;
import dev.gatehouse.dns.testing.DnsServer;

class GatewayDnsTest {

    @TempDir Path tmp;

    private GatewayConfig config(Path dataDir) {
        return new GatewayConfig(dataDir, "mx.gatehouse.test", "127.0.0.1", 0, "127.0.0.1", 0, null, null, null, List.of(),
                10L << 20, 100, 100, 100, Duration.ofSeconds(30), Duration.ofSeconds(1), "node-test");
    }

    @Test
    void theConfiguredDnsServerAnswersTheGatewaysQuestions() throws Exception {
        try (DnsServer dns = DnsServer.start(Map.of("example.com", "@ TXT \"v=spf1 -all\"\n"));
             Gateway gateway = new Gateway(config(tmp.resolve("data")).withDns(List.of(dns.address()), Duration.ofSeconds(1))).start()) {
            assertThat(gateway.dns().txt("example.com").records()).containsExactly("v=spf1 -all");
            assertThat(((DnsResolver) gateway.dns()).timeout()).isEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void withoutDnsServersTheSystemsResolversAreAsked() throws Exception {
        try (Gateway gateway = new Gateway(config(tmp.resolve("data"))).start()) {
            DnsResolver resolver = (DnsResolver) gateway.dns();
            assertThat(resolver.servers()).isEqualTo(DnsResolver.system(Duration.ofSeconds(2)).servers()).isNotEmpty();
            assertThat(resolver.timeout()).isEqualTo(GatewayConfig.DEFAULT_DNS_TIMEOUT);
        }
    }
}
