// Validation of -EFSkipIPs and -EFUsers values: each error names the parameter and the value, as the other connector checks do.
package dev.gatehouse.connector;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.gatehouse.directory.Names;
import dev.gatehouse.kernel.ValidationException;
import dev.gatehouse.rules.IpRange;

/**
 * {@code -EFSkipIPs} takes what Exchange documents ([R6], [R29]): a single address, a range {@code a-b} or a CIDR
 * block, IPv4 or IPv6, parsed by the same code as the rule condition {@code -SenderIpRanges} (never a DNS lookup).
 * Private, loopback and link-local values are refused because they are skipped anyway ({@link PrivateAddresses}); a
 * range that only partly covers them is refused too, which also stops {@code 0.0.0.0/0}-style values that would
 * make every hop "trusted". Values are kept as the admin wrote them (IPv6 in lower case), so
 * {@code @{Remove=...}} finds them. {@code -EFUsers} takes SMTP addresses, kept with the domain in lower case.
 */
final class EnhancedFilteringValues {
    private static final Pattern LOCAL = Pattern.compile("[A-Za-z0-9!#$%&'*+=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+=?^_`{|}~-]+)*");

    private EnhancedFilteringValues() {}

    /** The values normalised and without repeats; throws on the first bad one. */
    static List<String> skipIps(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            String n = skipIp(v);
            if (out.stream().noneMatch(n::equalsIgnoreCase)) out.add(n);
        }
        return List.copyOf(out);
    }

    static String skipIp(String value) {
        String v = value == null ? "" : value.strip();
        if (v.indexOf(':') >= 0) v = v.toLowerCase(Locale.ROOT);
        String fail = "-EFSkipIPs '" + value + "': ";
        IpRange r = IpRange.tryParse(v).orElseThrow(() -> new ValidationException(fail
                + "not an IP address, a range (192.0.2.1-192.0.2.254) or a CIDR block (192.0.2.0/24, 2001:db8::/32)"));
        if (mappedIpv4(r)) throw new ValidationException(fail + "an IPv4-mapped IPv6 value never matches; write the IPv4 address");
        Optional<PrivateAddresses.Named> p = PrivateAddresses.overlapping(r);
        if (p.isPresent()) {
            throw new ValidationException(fail + "it includes " + p.get() + " addresses, which Enhanced Filtering always skips;"
                    + " list only the public addresses of the servers in front of Gatehouse");
        }
        return v;
    }

    /** The parsed ranges of stored values (validated when stored). */
    static List<IpRange> ranges(List<String> stored) { return stored.stream().map(IpRange::parse).toList(); }

    /** The addresses normalised and without repeats; throws on the first bad one. */
    static List<String> users(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            String n = user(v);
            if (out.stream().noneMatch(n::equalsIgnoreCase)) out.add(n);
        }
        return List.copyOf(out);
    }

    static String user(String value) {
        String a = value == null ? "" : value.strip();
        if (a.regionMatches(true, 0, "smtp:", 0, 5)) a = a.substring(5);
        int at = a.lastIndexOf('@');
        String local = at > 0 ? a.substring(0, at) : "";
        String domain = at > 0 ? Names.domainOrNull(a.substring(at + 1)) : null;
        if (domain == null || local.length() > 64 || !LOCAL.matcher(local).matches()) {
            throw new ValidationException("-EFUsers '" + value + "' is not a valid SMTP address (give recipients such as bob@contoso.com)");
        }
        return local + "@" + domain;
    }

    private static boolean mappedIpv4(IpRange r) {
        byte[] b = r.low();
        if (b.length != 16) return false;
        for (int i = 0; i < 10; i++) if (b[i] != 0) return false;
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }
}
