// IPv4 text in KQL's ipv4_* functions: dotted quads, CIDR ranges, private ranges.
package dev.gatehouse.kql;

final class Ipv4 {
    private Ipv4() {}

    /** The address as an unsigned 32-bit number, or null when the text is not a dotted quad. */
    static Long parse(String s) {
        if (s == null) return null;
        String[] p = s.trim().split("\\.", -1);
        if (p.length != 4) return null;
        long v = 0;
        for (String x : p) {
            if (x.isEmpty() || x.length() > 3) return null;
            for (int i = 0; i < x.length(); i++) if (x.charAt(i) < '0' || x.charAt(i) > '9') return null;
            int n = Integer.parseInt(x);
            if (n > 255) return null;
            v = v << 8 | n;
        }
        return v;
    }

    /** {@code ip} inside {@code range} ({@code 10.0.0.0/8} or one address); null when either can't be read. */
    static Boolean inRange(String ip, String range) {
        Long a = parse(ip);
        if (a == null || range == null) return null;
        String r = range.trim();
        int prefix = 32;
        int slash = r.indexOf('/');
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(r.substring(slash + 1));
            } catch (NumberFormatException e) {
                return null;
            }
            if (prefix < 0 || prefix > 32) return null;
            r = r.substring(0, slash);
        }
        Long b = parse(r);
        if (b == null) return null;
        long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        return (a & mask) == (b & mask);
    }

    static Boolean isPrivate(String ip) {
        if (parse(ip) == null) return null;
        return inRange(ip, "10.0.0.0/8") || inRange(ip, "172.16.0.0/12") || inRange(ip, "192.168.0.0/16");
    }
}
