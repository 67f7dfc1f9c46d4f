// DnsResolver's cache against a Knot server that is stopped mid-test: answers and negative answers outlive it until their TTL.
package dev.gatehouse.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gatehouse.dns.Lookup.Result;
import dev.gatehouse.dns.testing.DnsServer;

class DnsCacheTest {

    @Test
    void answersAreServedFromTheCacheUntilTheirTtlRunsOut() throws Exception {
        Dns dns;
        try (DnsServer server = DnsServer.start(Map.of("example.org", """
                @       300 TXT "v=spf1 -all"
                short   1   TXT "v=spf1 ~all"
                """))) {
            dns = server.resolver();
            assertThat(dns.txt("example.org").records()).containsExactly("v=spf1 -all");
            assertThat(dns.txt("short.example.org").records()).containsExactly("v=spf1 ~all");
            assertThat(dns.txt("absent.example.org").result()).isEqualTo(Result.NX_DOMAIN);
            assertThat(dns.a("example.org").result()).isEqualTo(Result.NO_DATA);
        }
        // Knot is gone: what was cached is still answered, in any case and with a trailing dot
        assertThat(dns.txt("EXAMPLE.org.").records()).containsExactly("v=spf1 -all");
        assertThat(dns.txt("absent.example.org").result()).isEqualTo(Result.NX_DOMAIN);
        assertThat(dns.a("example.org").result()).isEqualTo(Result.NO_DATA);
        Thread.sleep(1_500);
        assertThat(dns.txt("short.example.org").result()).isEqualTo(Result.TEMP_FAIL);
        assertThat(dns.txt("example.org").records()).containsExactly("v=spf1 -all");
    }

    @Test
    void aTemporaryFailureIsNotCached() {
        try (DnsServer server = DnsServer.start(Map.of("example.org", "@ TXT \"v=spf1 -all\"\n"),
                java.util.Set.of("example.org"))) {
            Dns dns = server.resolver();
            assertThat(dns.txt("example.org").result()).isEqualTo(Result.TEMP_FAIL);
            assertThat(((DnsResolver) dns).cachedAnswers()).isZero();
        }
    }
}
