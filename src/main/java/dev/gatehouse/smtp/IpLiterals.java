// IpLiterals: strict syntax checks for the IPv4 and IPv6 address literals allowed in envelope domains and routes.
package dev.gatehouse.smtp;

/** RFC 5321 §4.1.3 address literals, checked textually (never through a resolver). */
final class IpLiterals {
    private IpLiterals() {}

    /** Four decimal octets 0-255 of one to three digits: refuses {@code 321.1.1.1}, {@code 1..2.3}, {@code 1.2.3}. */
    static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3) return false;
            for (int i = 0; i < p.length(); i++) if (p.charAt(i) < '0' || p.charAt(i) > '9') return false;
            if (Integer.parseInt(p) > 255) return false;
        }
        return true;
    }

    /** IPv6-addr of RFC 5321: eight hex groups, or fewer with one {@code ::}, optionally ending in IPv4. */
    static boolean isIpv6(String s) {
        if (s.isEmpty() || s.length() > 45) return false;
        int groups = 0;
        String tail = s;
        int lastColon = s.lastIndexOf(':');
        if (lastColon >= 0 && s.indexOf('.', lastColon) > 0) {
            if (!isIpv4(s.substring(lastColon + 1))) return false;
            groups += 2;
            tail = s.substring(0, lastColon + 1);
            if (!tail.endsWith("::")) tail = tail.substring(0, tail.length() - 1);
        }
        int dbl = tail.indexOf("::");
        if (dbl >= 0 && tail.indexOf("::", dbl + 1) >= 0) return false;
        if (dbl >= 0) {
            int left = countGroups(tail.substring(0, dbl));
            int right = countGroups(tail.substring(dbl + 2));
            if (left < 0 || right < 0) return false;
            return groups + left + right <= 7;
        }
        int n = countGroups(tail);
        return n >= 0 && groups + n == 8;
    }

    /** Number of colon-separated 1-4 digit hex groups, 0 for "", -1 when malformed. */
    private static int countGroups(String s) {
        if (s.isEmpty()) return 0;
        String[] parts = s.split(":", -1);
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 4) return -1;
            for (int i = 0; i < p.length(); i++) if ("0123456789abcdefABCDEF".indexOf(p.charAt(i)) < 0) return -1;
        }
        return parts.length;
    }
}
