// An IP address as people and RFCs write it: a dotted quad, or IPv6 in RFC 5952's compressed lower-case form.
package dev.gatehouse.kernel;

import java.net.InetAddress;

/**
 * {@link InetAddress#getHostAddress()} writes IPv6 uncompressed ({@code 2001:db8:0:0:0:0:0:1}); SPF's {@code %{c}} and
 * {@code client-ip=}, and the Enhanced Filtering lines admins read, want RFC 5952 §4: lower case, leading zeros
 * dropped, the longest run of two or more zero groups (the first of equal runs) written {@code ::}.
 */
public final class IpText {
    private IpText() {}

    /** The text of {@code ip}'s octets (an IPv4-mapped IPv6 address stays IPv6: pass its 4 octets to show it as IPv4). */
    public static String of(InetAddress ip) { return of(ip.getAddress()); }

    /** The text of 4 octets (dotted quad) or 16 octets (RFC 5952). */
    public static String of(byte[] octets) {
        if (octets.length == 4) {
            return (octets[0] & 0xff) + "." + (octets[1] & 0xff) + "." + (octets[2] & 0xff) + "." + (octets[3] & 0xff);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((octets[2 * i] & 0xff) << 8) | (octets[2 * i + 1] & 0xff);
        int bestAt = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) { bestAt = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestAt) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
