// SenderIPAddresses values: one IPv4 address or a CIDR block /24 to /32, as New-InboundConnector allows.
package dev.gatehouse.connector;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.regex.Pattern;

import dev.gatehouse.kernel.ValidationException;

/** A parsed IPv4 block; {@link #contains} is a mask compare. Ranges (a-b) and IPv6 are refused, as in EXO. */
public record Ipv4Block(int network, int prefix) {
    private static final Pattern DOTTED = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    /** Parses {@code value} for {@code -SenderIPAddresses}; the error names the parameter and the value. */
    public static Ipv4Block parse(String value) {
        String v = value == null ? "" : value.strip();
        String fail = "-SenderIPAddresses '" + value + "': ";
        if (v.contains(":")) throw new ValidationException(fail + "IPv6 addresses are not supported; give an IPv4 address or a CIDR block /24 to /32");
        if (v.contains("-")) throw new ValidationException(fail + "address ranges are not supported; give an IPv4 address or a CIDR block /24 to /32");
        int slash = v.indexOf('/');
        String addr = slash < 0 ? v : v.substring(0, slash);
        if (!DOTTED.matcher(addr).matches()) throw new ValidationException(fail + "not an IPv4 address or CIDR block");
        int prefix = 32;
        if (slash >= 0) {
            String p = v.substring(slash + 1);
            if (!p.matches("\\d{1,2}")) throw new ValidationException(fail + "not an IPv4 address or CIDR block");
            prefix = Integer.parseInt(p);
            if (prefix < 24 || prefix > 32) {
                throw new ValidationException(fail + "a connector accepts only a single IPv4 address or a CIDR block /24 to /32");
            }
        }
        int ip = 0;
        for (String part : addr.split("\\.")) ip = (ip << 8) | Integer.parseInt(part);
        return new Ipv4Block(ip & mask(prefix), prefix);
    }

    public boolean contains(InetAddress address) {
        if (!(address instanceof Inet4Address a)) return false;
        byte[] b = a.getAddress();
        int ip = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        return (ip & mask(prefix)) == network;
    }

    private static int mask(int prefix) { return prefix == 0 ? 0 : -1 << (32 - prefix); }

    @Override public String toString() {
        String a = ((network >>> 24) & 0xff) + "." + ((network >>> 16) & 0xff) + "." + ((network >>> 8) & 0xff) + "." + (network & 0xff);
        return prefix == 32 ? a : a + "/" + prefix;
    }
}
