// One value of -SenderIpRanges: a single address, a "low-high" range or a CIDR block, IPv4 or IPv6.
package dev.gatehouse.rules;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * An inclusive range of addresses of one family (spec §5.2 {@code SenderIpRanges}: {@code 192.168.0.1},
 * {@code 192.168.0.1-192.168.0.254}, {@code 192.168.0.1/25}, and their IPv6 forms). Only numeric literals
 * are accepted: parsing never touches DNS, so {@code InetAddress.getByName} is called only on text that
 * passed the literal check.
 */
public record IpRange(String text, byte[] low, byte[] high) {

    public IpRange {
        low = low.clone();
        high = high.clone();
    }

    /** Parses one value; throws IllegalArgumentException with the reason, naming the value. */
    public static IpRange parse(String value) {
        return tryParse(value).orElseThrow(() -> new IllegalArgumentException("'" + value + "' isn't a valid IP address,"
                + " range (192.0.2.1-192.0.2.254) or CIDR block (192.0.2.0/24, 2001:db8::/32)"));
    }

    /** The validator used by the cmdlets: the reason the value is not a range, or empty. */
    public static Optional<String> problem(Object value) {
        return tryParse(String.valueOf(value)).isPresent() ? Optional.empty()
                : Optional.of("it isn't an IP address, a range such as 192.0.2.1-192.0.2.254 or a CIDR block such as 192.0.2.0/24");
    }

    public static Optional<IpRange> tryParse(String value) {
        if (value == null) return Optional.empty();
        String v = value;
        if (v.isEmpty() || !v.equals(v.strip())) return Optional.empty();
        int slash = v.indexOf('/');
        int dash = v.indexOf('-');
        if (slash >= 0 && dash >= 0) return Optional.empty();
        if (slash >= 0) {
            byte[] base = literal(v.substring(0, slash));
            String bits = v.substring(slash + 1);
            if (base == null || bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(Character::isDigit)) return Optional.empty();
            int prefix = Integer.parseInt(bits);
            if (prefix > base.length * 8) return Optional.empty();
            byte[] lo = base.clone();
            byte[] hi = base.clone();
            for (int i = prefix; i < base.length * 8; i++) {
                lo[i / 8] &= (byte) ~(0x80 >>> (i % 8));
                hi[i / 8] |= (byte) (0x80 >>> (i % 8));
            }
            return Optional.of(new IpRange(v, lo, hi));
        }
        if (dash >= 0) {
            byte[] lo = literal(v.substring(0, dash));
            byte[] hi = literal(v.substring(dash + 1));
            if (lo == null || hi == null || lo.length != hi.length) return Optional.empty();
            if (new BigInteger(1, lo).compareTo(new BigInteger(1, hi)) > 0) return Optional.empty();
            return Optional.of(new IpRange(v, lo, hi));
        }
        byte[] one = literal(v);
        return one == null ? Optional.empty() : Optional.of(new IpRange(v, one, one));
    }

    /** The bytes of an IPv4 dotted quad or an IPv6 literal; null for anything else (never a DNS lookup). */
    static byte[] literal(String s) {
        if (s.isEmpty() || s.length() > 45) return null;
        boolean v6 = s.indexOf(':') >= 0;
        if (v6) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) return null;
            }
        } else {
            String[] parts = s.split("\\.", -1);
            if (parts.length != 4) return null;
            for (String p : parts) {
                if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(ch -> ch >= '0' && ch <= '9') || Integer.parseInt(p) > 255) return null;
            }
        }
        try {
            byte[] b = InetAddress.getByName(s).getAddress();
            // an IPv4-mapped IPv6 literal comes back as 4 bytes: keep the family the admin wrote
            if (v6 && b.length == 4) {
                byte[] m = new byte[16];
                m[10] = (byte) 0xff;
                m[11] = (byte) 0xff;
                System.arraycopy(b, 0, m, 12, 4);
                return m;
            }
            return b;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    public boolean contains(InetAddress address) {
        return address != null && contains(address.getAddress());
    }

    public boolean contains(byte[] a) {
        if (a.length != low.length) return false;
        return Arrays.compareUnsigned(a, low) >= 0 && Arrays.compareUnsigned(a, high) <= 0;
    }

    @Override public String toString() { return text; }

    @Override public boolean equals(Object o) { return o instanceof IpRange r && r.text.equals(text); }

    @Override public int hashCode() { return text.hashCode(); }
}
