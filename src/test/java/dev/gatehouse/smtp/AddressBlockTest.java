// AddressBlockTest: which peers a proxy-protocol-from block covers, across families and prefixes that split an octet.
package dev.gatehouse.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressBlockTest {
    static InetAddress ip(String s) { return InetAddress.ofLiteral(s); }

    static AddressBlock block(String address, int prefix) { return new AddressBlock(ip(address), prefix); }

    @Test void aBlockCoversItsOwnAddressesOnly() {
        assertThat(block("10.0.0.0", 8).contains(ip("10.255.1.2"))).isTrue();
        assertThat(block("10.0.0.0", 8).contains(ip("11.0.0.1"))).isFalse();
        assertThat(block("192.0.2.128", 25).contains(ip("192.0.2.200"))).isTrue();
        assertThat(block("192.0.2.128", 25).contains(ip("192.0.2.100"))).isFalse();
        assertThat(block("127.0.0.1", 32).contains(ip("127.0.0.1"))).isTrue();
        assertThat(block("127.0.0.1", 32).contains(ip("127.0.0.2"))).isFalse();
        assertThat(block("2001:db8::", 32).contains(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(block("2001:db8::", 32).contains(ip("2001:db9::1"))).isFalse();
        assertThat(block("2001:db8::", 29).contains(ip("2001:dbf::1"))).isTrue();
        assertThat(block("2001:db8::", 29).contains(ip("2001:dc0::1"))).isFalse();
    }

    @Test void familiesNeverMixEvenForTheWidestBlock() {
        assertThat(block("0.0.0.0", 0).contains(ip("203.0.113.50"))).isTrue();
        assertThat(block("0.0.0.0", 0).contains(ip("2001:db8::50"))).isFalse();
        assertThat(block("::", 0).contains(ip("203.0.113.50"))).isFalse();
    }

    @Test void onlyListedPeersMustSendAHeader() {
        SmtpConfig off = Transcripts.config();
        assertThat(off.expectsProxyHeader(ip("127.0.0.1"))).isFalse();
        SmtpConfig on = off.withProxyProtocolFrom(List.of(block("127.0.0.1", 32), block("fd00::", 8)));
        assertThat(on.expectsProxyHeader(ip("127.0.0.1"))).isTrue();
        assertThat(on.expectsProxyHeader(ip("fd12::7"))).isTrue();
        assertThat(on.expectsProxyHeader(ip("127.0.0.2"))).isFalse();
        assertThat(on.withTimeouts(java.time.Duration.ofSeconds(4), java.time.Duration.ofMinutes(1)).proxyHeaderTimeout()).hasSeconds(4);
        assertThat(on.proxyHeaderTimeout()).hasSeconds(10);
    }

    @Test void aPrefixOutOfRangeOrHostBitsAreRefused() {
        assertThatThrownBy(() -> block("10.0.0.0", 33)).hasMessage("10.0.0.0/33: the prefix length must be 0-32");
        assertThatThrownBy(() -> block("10.0.0.1", 8)).hasMessage("10.0.0.1/8: has host bits set");
    }
}
