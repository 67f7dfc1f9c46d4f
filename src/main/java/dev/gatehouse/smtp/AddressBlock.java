// AddressBlock: one IPv4 or IPv6 CIDR block, for the peers allowed to send a PROXY protocol header.
package dev.gatehouse.smtp;

import java.net.InetAddress;
import java.util.Objects;

/**
 * An address and a prefix length ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, a single address as /32 or /128).
 * The listener trusts a PROXY header only from a peer inside one of these, so anything else that sends one can't
 * choose the client address every later decision depends on. Built from already-decoded addresses: the text
 * an operator typed is checked, with the setting named, where the configuration is loaded.
 *
 * @param network      the block's first address (host bits zero)
 * @param prefixLength 0-32 for IPv4, 0-128 for IPv6
 */
public record AddressBlock(InetAddress network, int prefixLength) {

    public AddressBlock {
        Objects.requireNonNull(network, "network");
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException(network.getHostAddress() + "/" + prefixLength + ": the prefix length must be 0-" + bits);
        }
        byte[] a = network.getAddress();
        for (int i = prefixLength; i < bits; i++) {
            if ((a[i / 8] & (0x80 >>> (i % 8))) != 0) {
                throw new IllegalArgumentException(network.getHostAddress() + "/" + prefixLength + ": has host bits set");
            }
        }
    }

    /** True when {@code ip} is of the same family and its first {@link #prefixLength} bits are the block's. */
    public boolean contains(InetAddress ip) {
        byte[] a = ip.getAddress();
        byte[] n = network.getAddress();
        if (a.length != n.length) return false;
        int whole = prefixLength / 8;
        for (int i = 0; i < whole; i++) if (a[i] != n[i]) return false;
        int rest = prefixLength % 8;
        if (rest == 0) return true;
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[whole] & mask) == (n[whole] & mask);
    }

    @Override public String toString() { return network.getHostAddress() + "/" + prefixLength; }
}
