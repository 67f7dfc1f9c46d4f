// IpLiteralsTest: the textual IPv4 and IPv6 address-literal checks: compressed, full and IPv4-embedded IPv6 forms,
// and the near misses (extra groups, two "::", non-ASCII digits) that must never pass as an address.
package dev.gatehouse.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralsTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "255.255.255.255", "192.0.2.1", "010.001.000.099"})
    void acceptsFourDecimalOctetsOfUpToThreeDigits(String literal) {
        assertThat(IpLiterals.isIpv4(literal)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.", ".1.2.3.4", "1.2.3.4.5", "1..3.4", "256.1.1.1", "1.2.3.0256", "+1.2.3.4",
        "1.2.3.-4", "0x7f.0.0.1", "1.2.3.4 ", "\u0661.2.3.4", "\uff11.2.3.4", "2130706433"})
    void refusesEverythingElseAsIpv4(String literal) {
        assertThat(IpLiterals.isIpv4(literal)).as("[%s]", literal).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "1:2:3:4:5:6:7:8", "2001:DB8:0:0:8:800:200C:417A", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "::", "::1", "1::", "2001:db8::1", "1:2:3::6:7:8", "1:2:3:4:5::8",
        "::ffff:192.0.2.1", "::192.0.2.1", "1:2:3:4:5:6:192.0.2.1", "64:ff9b::192.0.2.33", "1::192.0.2.1",
    })
    void acceptsFullCompressedAndIpv4EmbeddedIpv6(String literal) {
        assertThat(IpLiterals.isIpv6(literal)).as(literal).isTrue();
    }

    @Test void refusesAWrongNumberOfGroups() {
        for (String s : new String[] {"1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:192.0.2.1", "1:2:3:4:5:6:7:192.0.2.1",
                "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "1::2:3:4:5:6:7:8"}) {
            assertThat(IpLiterals.isIpv6(s)).as(s).isFalse();
        }
    }

    @Test void refusesMisplacedOrRepeatedColons() {
        for (String s : new String[] {":::", "1:::2", "1::2::3", "::1::", ":1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:", ":1::2", "1::2:",
                ":", "1", ""}) {
            assertThat(IpLiterals.isIpv6(s)).as(s).isFalse();
        }
    }

    @Test void refusesGroupsThatAreNotOneToFourHexDigits() {
        for (String s : new String[] {"12345::1", "g::1", "::fffff", "1:2:3:4:5:6:7:+8", " ::1", "::1 ", "::\uff11", "fe80::1%eth0"}) {
            assertThat(IpLiterals.isIpv6(s)).as(s).isFalse();
        }
    }

    @Test void refusesAnEmbeddedIpv4PartThatIsNotAnAddressOrNotAtTheEnd() {
        for (String s : new String[] {"::ffff:192.0.2", "::ffff:256.0.2.1", "::ffff:192.0.2.1.5", "::192.0.2.1:1", "192.0.2.1::",
                "::ffff:1.2.3.4/96", "1:192.0.2.1"}) {
            assertThat(IpLiterals.isIpv6(s)).as(s).isFalse();
        }
    }

    @Test void refusesTextLongerThanTheLongestIpv6Form() {
        String longest = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255";
        assertThat(longest).hasSize(45);
        assertThat(IpLiterals.isIpv6(longest)).isTrue();
        assertThat(IpLiterals.isIpv6("0" + longest)).isFalse();
        assertThat(IpLiterals.isIpv6("0".repeat(10_000) + "::1")).isFalse();
    }
}
