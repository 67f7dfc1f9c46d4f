// The addresses Enhanced Filtering always skips and never takes as the original client: private, loopback, link-local.
package dev.gatehouse.connector;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.gatehouse.rules.IpRange;

/**
 * Exchange skips RFC 1918 addresses on its own and refuses them in {@code -EFSkipIPs} (spec §3.1, [R29]): a hop
 * at such an address is inside someone's network, never the Internet sender. Gatehouse treats the other ranges
 * that cannot be an Internet sender the same way: loopback, link-local and IPv6 unique local (and the deprecated
 * IPv6 site-local) addresses. One list serves both the walk and the validation, so they can't disagree.
 */
final class PrivateAddresses {
    private PrivateAddresses() {}

    /** A private range and what it is, for messages. */
    record Named(IpRange range, String kind) {
        @Override public String toString() { return range.text() + " (" + kind + ")"; }
    }

    static final List<Named> RANGES = List.of(
            named("10.0.0.0/8", "RFC 1918 private"), named("172.16.0.0/12", "RFC 1918 private"),
            named("192.168.0.0/16", "RFC 1918 private"), named("127.0.0.0/8", "loopback"), named("169.254.0.0/16", "link-local"),
            named("::1/128", "loopback"), named("fe80::/10", "link-local"), named("fc00::/7", "unique local"),
            named("fec0::/10", "site-local"));

    private static Named named(String cidr, String kind) { return new Named(IpRange.parse(cidr), kind); }

    /** The private range the address is in, if any. */
    static Optional<Named> of(InetAddress address) {
        byte[] a = address.getAddress();
        for (Named n : RANGES) if (n.range().contains(a)) return Optional.of(n);
        return Optional.empty();
    }

    static boolean contains(InetAddress address) { return of(address).isPresent(); }

    /** The first private range that shares an address with {@code range}, if any (same address family only). */
    static Optional<Named> overlapping(IpRange range) {
        for (Named n : RANGES) {
            byte[] lo = n.range().low();
            byte[] hi = n.range().high();
            if (lo.length != range.low().length) continue;
            if (Arrays.compareUnsigned(range.low(), hi) <= 0 && Arrays.compareUnsigned(lo, range.high()) <= 0) return Optional.of(n);
        }
        return Optional.empty();
    }
}
