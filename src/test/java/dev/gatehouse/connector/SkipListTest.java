// Socket-free: the Enhanced Filtering walk on real relay chains, forged chains, floods of Received fields, and the EF values.
package dev.gatehouse.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.gatehouse.kernel.ValidationException;

class SkipListTest {
    /** The filtering service's inbound server wrote this: the Internet sender it received the message from. */
    static final String FILTER_IN = "from mail.example.com (mail.example.com [203.0.113.50]) by mx1.filter.example (Postfix) with ESMTPS id 1";
    /** The filtering service's internal hop (its content filter on loopback). */
    static final String FILTER_LOOP = "from pps.filterd (mx1.filter.example [127.0.0.1]) by mx1.filter.example (8.17.1/8.17.1) with SMTP id 2";
    /** A second public hop of the service: its outbound server received from its inbound one. */
    static final String FILTER_OUT = "from mx1.filter.example (mx1.filter.example [192.0.2.26]) by out1.filter.example (Postfix) with ESMTP id 3";

    static InetAddress ip(String s) { return InetAddress.ofLiteral(s); }

    static InboundConnector connector(boolean skipLast, List<String> skipIps) {
        return new InboundConnector(1, 1, "g", "CP-LOCK", ConnectorType.Partner, List.of("*"), List.of("192.0.2.0/24"), true, null, false,
                false, true, false, false, List.of(), null, null, skipIps, skipLast, List.of(), Instant.EPOCH, Instant.EPOCH);
    }

    static SkipList skip(String... ips) { return SkipList.of(connector(false, List.of(ips))).orElseThrow(); }

    static SkipList skipLast() { return SkipList.of(connector(true, List.of())).orElseThrow(); }

    @Test
    void theHopAfterTheSkippedOnesIsTheOriginalClient() {
        SkipList.Finding f = skip("192.0.2.0/24").find(ip("192.0.2.25"), List.of(FILTER_IN));
        assertThat(f.end()).isEqualTo(SkipList.End.FOUND);
        assertThat(f.original()).isEqualTo(ip("203.0.113.50"));
        assertThat(f.name()).isEqualTo("mail.example.com");
        assertThat(f.skipped()).containsExactly(ip("192.0.2.25"));
        assertThat(f.describe("CP-LOCK")).isEqualTo("Enhanced Filtering: original client 203.0.113.50, skipped 192.0.2.25 (connector 'CP-LOCK')");
    }

    @Test
    void listedAndPrivateHopsOfTheServiceAreAllSkipped() {
        SkipList.Finding f = skip("192.0.2.0/24").find(ip("192.0.2.27"), List.of(FILTER_OUT, FILTER_LOOP, FILTER_IN));
        assertThat(f.original()).isEqualTo(ip("203.0.113.50"));
        assertThat(f.skipped()).containsExactly(ip("192.0.2.27"), ip("192.0.2.26"), ip("127.0.0.1"));
        assertThat(f.field()).isEqualTo(3);
    }

    @Test
    void theSendersOwnFieldsBelowTheFirstUnskippedHopAreNeverBelieved() {
        // the sender wrote fields claiming it came through the service; the service's own field names the sender
        List<String> chain = List.of("from evil.example (unknown [203.0.113.99]) by mx1.filter.example (Postfix) with ESMTP id 9",
                "from mx1.filter.example (mx1.filter.example [192.0.2.26]) by out1.filter.example",
                "from google.example (google.example [198.51.100.1]) by mx1.filter.example");
        SkipList.Finding f = skip("192.0.2.0/24").find(ip("192.0.2.25"), chain);
        assertThat(f.original()).isEqualTo(ip("203.0.113.99"));
        assertThat(f.field()).isEqualTo(1);
        // the same sender choosing a skipped address as its HELO changes nothing
        f = skip("192.0.2.0/24").find(ip("192.0.2.25"), List.of("from [192.0.2.26] (unknown [203.0.113.99]) by mx1.filter.example"));
        assertThat(f.original()).isEqualTo(ip("203.0.113.99"));
    }

    @Test
    void aConnectingServerThatIsNotListedIsItselfTheOriginalClient() {
        SkipList.Finding f = skip("192.0.2.0/24").find(ip("198.51.100.9"), List.of(FILTER_IN));
        assertThat(f.end()).isEqualTo(SkipList.End.CONNECTING_NOT_SKIPPED);
        assertThat(f.original()).isEqualTo(ip("198.51.100.9"));
        assertThat(f.skipped()).isEmpty();
    }

    @Test
    void skipLastIpSkipsOnlyTheConnectingServerAndPrivateHops() {
        SkipList.Finding f = skipLast().find(ip("198.51.100.9"), List.of(FILTER_IN));
        assertThat(f.original()).isEqualTo(ip("203.0.113.50"));
        assertThat(f.skipped()).containsExactly(ip("198.51.100.9"));
        f = skipLast().find(ip("198.51.100.9"), List.of(FILTER_LOOP, FILTER_IN));
        assertThat(f.original()).isEqualTo(ip("203.0.113.50"));
        // with EFSkipLastIP $true the EFSkipIPs list is kept but not used (Exchange: used "when EFSkipLastIP is $false")
        SkipList both = SkipList.of(connector(true, List.of("192.0.2.0/24"))).orElseThrow();
        assertThat(both.find(ip("198.51.100.9"), List.of(FILTER_OUT, FILTER_IN)).original()).isEqualTo(ip("192.0.2.26"));
    }

    @Test
    void enhancedFilteringIsOffWithoutSkipLastIpOrAddresses() {
        assertThat(SkipList.of(connector(false, List.of()))).isEmpty();
        assertThat(SkipList.of(connector(true, List.of()))).isPresent();
        assertThat(SkipList.of(connector(false, List.of("192.0.2.25")))).isPresent();
    }

    @Test
    void anUnreadableFieldEndsTheWalkAndTheConnectingAddressStays() {
        SkipList.Finding f = skip("192.0.2.0/24").find(ip("192.0.2.25"), List.of("by mx1.filter.example with local id 4", FILTER_IN));
        assertThat(f.end()).isEqualTo(SkipList.End.UNREADABLE);
        assertThat(f.original()).isEqualTo(ip("192.0.2.25"));
        assertThat(f.describe("CP-LOCK")).isEqualTo("Enhanced Filtering: no original client found, Received field 1 names no usable sending"
                + " address, skipped 192.0.2.25; the connecting address 192.0.2.25 is used (connector 'CP-LOCK')");
        for (String unusable : List.of("0.0.0.0", "255.255.255.255", "224.0.0.1", "IPv6:::", "IPv6:ff02::1")) {
            f = skip("192.0.2.0/24").find(ip("192.0.2.25"), List.of("from x (x [" + unusable + "]) by y", FILTER_IN));
            assertThat(f.end()).as(unusable).isEqualTo(SkipList.End.UNREADABLE);
        }
    }

    @Test
    void aChainOfOnlySkippedHopsFindsNothing() {
        SkipList.Finding f = skip("192.0.2.0/24").find(ip("192.0.2.25"), List.of(FILTER_OUT, FILTER_LOOP));
        assertThat(f.end()).isEqualTo(SkipList.End.ALL_SKIPPED);
        assertThat(f.original()).isEqualTo(ip("192.0.2.25"));
        assertThat(skipLast().find(ip("198.51.100.9"), List.of()).end()).isEqualTo(SkipList.End.ALL_SKIPPED);
    }

    @Test
    void aFloodOfSkippedHopsIsCutOffAfterTwentyFields() {
        List<String> flood = new ArrayList<>(Collections.nCopies(100_000, FILTER_LOOP));
        flood.add(FILTER_IN);
        long start = System.nanoTime();
        SkipList.Finding f = skip("192.0.2.0/24").find(ip("192.0.2.25"), flood);
        assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds").isLessThan(1000);   // linear; quadratic would take minutes
        assertThat(f.end()).isEqualTo(SkipList.End.TOO_MANY);
        assertThat(f.original()).isEqualTo(ip("192.0.2.25"));
        assertThat(f.skipped()).hasSize(SkipList.MAX_FIELDS + 1);
        // nineteen internal hops are still a chain it follows
        List<String> deep = new ArrayList<>(Collections.nCopies(SkipList.MAX_FIELDS - 1, FILTER_LOOP));
        deep.add(FILTER_IN);
        assertThat(skip("192.0.2.0/24").find(ip("192.0.2.25"), deep).original()).isEqualTo(ip("203.0.113.50"));
    }

    @Test
    void ipv6HopsAndRangesWork() {
        SkipList.Finding f = skip("2001:db8:25::/48").find(ip("2001:db8:25::1"),
                List.of("from mx1.filter.example (mx1.filter.example [IPv6:2001:db8:25::2]) by out1.filter.example",
                        "from mail.example.com (mail.example.com [IPv6:2001:db8:cafe::50]) by mx1.filter.example"));
        assertThat(f.original()).isEqualTo(ip("2001:db8:cafe::50"));
        assertThat(f.describe("V6")).isEqualTo("Enhanced Filtering: original client 2001:db8:cafe::50, skipped 2001:db8:25::1,"
                + " 2001:db8:25::2 (connector 'V6')");
        assertThat(skip("192.0.2.1-192.0.2.30").skips(ip("192.0.2.30"))).isTrue();
        assertThat(skip("192.0.2.1-192.0.2.30").skips(ip("192.0.2.31"))).isFalse();
        assertThat(skip("192.0.2.1-192.0.2.30").skips(ip("fd00::1"))).as("unique local").isTrue();
        assertThat(skip("192.0.2.1-192.0.2.30").skips(ip("fe80::1"))).as("link-local").isTrue();
        assertThat(skip("192.0.2.1-192.0.2.30").skips(ip("172.31.255.255"))).isTrue();
        assertThat(skip("192.0.2.1-192.0.2.30").skips(ip("172.32.0.1"))).isFalse();
    }

    @Test
    void addressesAreWrittenInTheirShortForm() {
        assertThat(SkipList.text(ip("2001:db8:0:0:0:0:0:1"))).isEqualTo("2001:db8::1");
        assertThat(SkipList.text(ip("::1"))).isEqualTo("::1");
        assertThat(SkipList.text(ip("fe80::"))).isEqualTo("fe80::");
        assertThat(SkipList.text(ip("2001:db8:0:1:0:0:1:1"))).isEqualTo("2001:db8:0:1::1:1");
        assertThat(SkipList.text(ip("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(SkipList.text(ip("203.0.113.50"))).isEqualTo("203.0.113.50");
    }

    @Test
    void skipIpsTakeAddressesRangesAndBlocksOfEitherFamily() {
        assertThat(EnhancedFilteringValues.skipIps(List.of(" 192.0.2.25 ", "192.0.2.1-192.0.2.254", "192.0.2.0/24", "2001:DB8::/32",
                "198.51.100.7", "2001:db8::/32"))).containsExactly("192.0.2.25", "192.0.2.1-192.0.2.254", "192.0.2.0/24", "2001:db8::/32",
                "198.51.100.7");
    }

    @Test
    void skipIpsRefusePrivateRangesAndJunkNamingTheValue() {
        List<List<String>> cases = List.of(
                List.of("10.0.0.0/8", "10.0.0.0/8 (RFC 1918 private)"), List.of("192.168.1.1", "192.168.0.0/16 (RFC 1918 private)"),
                List.of("172.20.0.1-172.20.0.9", "172.16.0.0/12 (RFC 1918 private)"), List.of("127.0.0.1", "127.0.0.0/8 (loopback)"),
                List.of("169.254.1.1", "169.254.0.0/16 (link-local)"), List.of("::1", "::1/128 (loopback)"),
                List.of("fe80::1", "fe80::/10 (link-local)"), List.of("fd12:3456::/32", "fc00::/7 (unique local)"),
                List.of("0.0.0.0/0", "10.0.0.0/8 (RFC 1918 private)"), List.of("8.0.0.0/6", "10.0.0.0/8 (RFC 1918 private)"),
                List.of("::/0", "::1/128 (loopback)"));
        for (List<String> c : cases) {
            assertThatThrownBy(() -> EnhancedFilteringValues.skipIp(c.get(0))).as(c.get(0)).isInstanceOf(ValidationException.class)
                    .hasMessage("-EFSkipIPs '" + c.get(0) + "': it includes " + c.get(1) + " addresses, which Enhanced Filtering always"
                            + " skips; list only the public addresses of the servers in front of Gatehouse");
        }
        for (String bad : List.of("192.0.2.0/33", "192.0.2.9-192.0.2.1", "mx.filter.example", "192.0.2", "192.0.2.1-2001:db8::1", "",
                "192.0.2.1/24/8", "1.2.3.4.5")) {
            assertThatThrownBy(() -> EnhancedFilteringValues.skipIp(bad)).as(bad)
                    .hasMessageEndingWith("': not an IP address, a range (192.0.2.1-192.0.2.254) or a CIDR block (192.0.2.0/24, 2001:db8::/32)");
        }
        assertThatThrownBy(() -> EnhancedFilteringValues.skipIp("::ffff:192.0.2.25"))
                .hasMessage("-EFSkipIPs '::ffff:192.0.2.25': an IPv4-mapped IPv6 value never matches; write the IPv4 address");
        // a public block next to a private one is fine
        assertThat(EnhancedFilteringValues.skipIp("11.0.0.0/8")).isEqualTo("11.0.0.0/8");
        assertThat(EnhancedFilteringValues.skipIp("172.32.0.0/11")).isEqualTo("172.32.0.0/11");
    }

    @Test
    void efUsersAreSmtpAddresses() {
        assertThat(EnhancedFilteringValues.users(List.of("Bob@Contoso.COM", "smtp:alice@contoso.com", "bob@contoso.com")))
                .containsExactly("Bob@contoso.com", "alice@contoso.com");
        for (String bad : List.of("bob", "bob@", "@contoso.com", "bob@contoso", "b ob@contoso.com", "bob@contoso.com,alice@contoso.com")) {
            assertThatThrownBy(() -> EnhancedFilteringValues.user(bad)).as(bad)
                    .hasMessage("-EFUsers '" + bad + "' is not a valid SMTP address (give recipients such as bob@contoso.com)");
        }
    }
}
