// An ip4:/ip6: network of an SPF record, and the strict text forms of RFC 7208 §5.6 and RFC 4291 §2.2 it is read from.
package dev.gatehouse.spf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * A network written in a record, kept as bytes (4 or 16) and a prefix length. It is parsed by hand, never by
 * {@link InetAddress#getByName}: that call accepts forms RFC 7208 refuses ({@code 1.2.3}, {@code 010.1.1.1}) and,
 * for anything that is not a literal, asks DNS. {@code ip6:::FFFF:1.2.3.4} stays an IPv6 network of 16 bytes,
 * which an IPv4 client never matches (RFC 7208 §5: an IPv4-mapped client is IPv4).
 */
record Network(byte[] address, int prefix) {

    /** Whether {@code client} (4 or 16 bytes, see {@link #clientBytes}) lies in this network. */
    boolean contains(byte[] client) {
        return client.length == address.length && samePrefix(address, client, prefix);
    }

    /** Whether the first {@code bits} bits of {@code a} and {@code b} (of equal length) are the same. */
    static boolean samePrefix(byte[] a, byte[] b, int bits) {
        int whole = bits / 8;
        for (int i = 0; i < whole; i++) {
            if (a[i] != b[i]) return false;
        }
        int rest = bits % 8;
        if (rest == 0) return true;
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[whole] & mask) == (b[whole] & mask);
    }

    /** The client's address as SPF sees it: 4 bytes for IPv4 and for an IPv4-mapped IPv6 address, else 16. */
    static byte[] clientBytes(InetAddress ip) {
        byte[] b = ip.getAddress();
        if (b.length == 16 && isMapped(b)) return Arrays.copyOfRange(b, 12, 16);
        return b;
    }

    private static boolean isMapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) return false;
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    /** The 4 bytes of a dotted quad of RFC 7208's {@code ip4-network} (no leading zeros, each 0-255), or null. */
    static byte[] parseIp4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return null;
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            int v = qnum(parts[i]);
            if (v < 0) return null;
            out[i] = (byte) v;
        }
        return out;
    }

    private static int qnum(String p) {
        if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) return -1;
        int v = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v <= 255 ? v : -1;
    }

    /** The 16 bytes of an RFC 4291 §2.2 text address (groups of 1-4 hex digits, one "::", a trailing dotted quad), or null. */
    static byte[] parseIp6(String s) {
        if (s.isEmpty() || s.length() > 45) return null;
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) return null;
        byte[] out = new byte[16];
        if (gap < 0) {
            return fill(s, out, 0, 8) == 8 ? out : null;
        }
        byte[] tail = new byte[16];
        String head = s.substring(0, gap);
        String rest = s.substring(gap + 2);
        int h = head.isEmpty() ? 0 : fill(head, out, 0, 7);
        int t = rest.isEmpty() ? 0 : fill(rest, tail, 0, 7);
        if (h < 0 || t < 0 || h + t > 7) return null;
        System.arraycopy(tail, 0, out, 16 - 2 * t, 2 * t);
        return out;
    }

    /** Writes the groups of {@code s} into {@code out} from group {@code at}; returns how many groups, or -1. */
    private static int fill(String s, byte[] out, int at, int max) {
        String[] groups = s.split(":", -1);
        int n = 0;
        for (int i = 0; i < groups.length; i++) {
            String g = groups[i];
            if (i == groups.length - 1 && g.indexOf('.') >= 0) {
                byte[] v4 = parseIp4(g);
                if (v4 == null || n + 2 > max) return -1;
                System.arraycopy(v4, 0, out, 2 * (at + n), 4);
                return n + 2;
            }
            int v = hex16(g);
            if (v < 0 || n + 1 > max) return -1;
            out[2 * (at + n)] = (byte) (v >> 8);
            out[2 * (at + n) + 1] = (byte) v;
            n++;
        }
        return n;
    }

    private static int hex16(String g) {
        if (g.isEmpty() || g.length() > 4) return -1;
        int v = 0;
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) return -1;
            v = v * 16 + d;
        }
        return v;
    }

    /** The {@code %{i}} form: a dotted quad, or 32 upper-case nibbles joined by dots (RFC 7208 §7.3). */
    static String dotted(byte[] client) {
        StringBuilder sb = new StringBuilder();
        if (client.length == 4) {
            for (int i = 0; i < 4; i++) {
                if (i > 0) sb.append('.');
                sb.append(client[i] & 0xff);
            }
            return sb.toString();
        }
        for (byte b : client) {
            if (!sb.isEmpty()) sb.append('.');
            sb.append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16))).append('.')
                    .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
        }
        return sb.toString();
    }

    /** The readable form ({@code %{c}}, {@code client-ip=}): a dotted quad, or RFC 5952's compressed lower-case text. */
    static String text(byte[] client) {
        return dev.gatehouse.kernel.IpText.of(client);
    }

    /** The readable form of {@code ip} as SPF sees it (IPv4-mapped shown as IPv4). */
    static String text(InetAddress ip) {
        return text(clientBytes(ip));
    }

    /** Whether {@code ip} is IPv4 for SPF. */
    static boolean isIp4(InetAddress ip) {
        return ip instanceof Inet4Address || clientBytes(ip).length == 4;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Network n && n.prefix == prefix && Arrays.equals(n.address, address);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(address) + prefix;
    }

    @Override
    public String toString() {
        return text(address) + "/" + prefix;
    }
}
