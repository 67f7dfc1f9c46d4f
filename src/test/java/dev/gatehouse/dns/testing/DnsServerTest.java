// The DNS fixture itself: zones completed and served as written, SPF records, the dropping relay, clean shutdown.
package dev.gatehouse.dns.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SPFRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import dev.gatehouse.dns.Lookup;

class DnsServerTest {

    @Test
    void servesSeveralZonesAddingSoaOnlyWhereTheBodyHasNone() {
        try (DnsServer server = DnsServer.start(Map.of(
                "example.com", "@ TXT \"v=spf1 -all\"\n",
                "example.net", "@ 600 IN SOA ns1.example.net. admin.example.net. ( 2024010101 7200 900 1209600 42 ) ; own SOA\n"
                        + "@ NS ns1.example.net.\nns1 A 192.0.2.53\n"))) {
            assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
            assertThat(soa(server.address(), "example.com").getMinimum()).isEqualTo(300);
            SOARecord own = soa(server.address(), "example.net");
            assertThat(own.getSerial()).isEqualTo(2024010101L);
            assertThat(own.getMinimum()).isEqualTo(42);
            assertThat(server.resolver().txt("example.com").records()).containsExactly("v=spf1 -all");
        }
    }

    @Test
    void servesTheSpfRecordType() {
        try (DnsServer server = DnsServer.start(Map.of(".", "spf.example. SPF \"v=spf1 \" \"a -all\"\n"))) {
            Message answer = Probe.ask(server.address(), "spf.example.", Type.SPF, false).orElseThrow();
            assertThat(answer.getSection(Section.ANSWER)).singleElement()
                    .satisfies(r -> assertThat(((SPFRecord) r).getStrings()).containsExactly("v=spf1 ", "a -all"));
        }
    }

    @Test
    void theRelayDropsOnlyTheChosenNamesOverUdpAndTcp() {
        try (DnsServer server = DnsServer.start(Map.of(".", """
                quiet.example. TXT "unseen"
                loud.example.  TXT "seen"
                """), Set.of("QUIET.example."))) {
            for (boolean tcp : new boolean[] {false, true}) {
                Optional<Message> loud = Probe.ask(server.address(), "loud.example.", Type.TXT, tcp);
                assertThat(loud).as("tcp=" + tcp).isPresent();
                assertThat(loud.get().getSection(Section.ANSWER)).hasSize(1);
                assertThat(Probe.ask(server.address(), "quiet.example.", Type.TXT, tcp)).as("tcp=" + tcp).isEmpty();
                assertThat(Probe.ask(server.address(), "nothing.example.", Type.TXT, tcp).map(Message::getRcode))
                        .as("tcp=" + tcp).contains(Rcode.NXDOMAIN);
            }
        }
    }

    @Test
    void aBrokenZoneFailsTheStartWithKnotsLog() {
        assertThatThrownBy(() -> DnsServer.start(Map.of("example.com", "@ TXT \"unterminated\n@ A 999.1.1.1\n")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("zone 'example.com' did not load")
                .hasMessageContaining("knot.log");
    }

    @Test
    void closeStopsKnotAndTheResolverThenFails() {
        DnsServer server = DnsServer.start(Map.of("example.com", "@ A 192.0.2.1\n"));
        InetSocketAddress address = server.address();
        assertThat(server.resolver().a("example.com").found()).isTrue();
        server.close();
        assertThat(Probe.ask(address, "example.com.", Type.A, false)).isEmpty();
        assertThat(server.resolver().a("example.com").result()).isEqualTo(Lookup.Result.TEMP_FAIL);
    }

    private static SOARecord soa(InetSocketAddress server, String origin) {
        Record soa = Probe.ask(server, origin + ".", Type.SOA, false).orElseThrow().getSection(Section.ANSWER).getFirst();
        return (SOARecord) soa;
    }
}
