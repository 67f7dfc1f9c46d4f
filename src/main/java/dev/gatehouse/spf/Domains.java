// The domain-name rules SPF applies before it asks DNS: RFC 7208 §4.3 (check_host's domain) and §7.3 (expanded targets).
package dev.gatehouse.spf;

import dev.gatehouse.mail.DomainNames;

import java.util.Locale;

/**
 * Names SPF refuses to look up: a label longer than 63 octets, an empty label not at the end, a name longer than
 * 253, a single label ({@code OEMCOMPUTER}), a domain literal ({@code [192.0.2.1]}), or characters a DNS name
 * cannot carry in a query (controls, non-ASCII that is not a valid IDN). For check_host's own domain these give
 * "none" (§4.3); for a mechanism's target they make the mechanism not match, as if the name did not exist (the
 * suite's preferred reading of §4.8 for "invalid-domain-*").
 */
final class Domains {

    private Domains() {}

    /**
     * check_host's {@code <domain>} as asked of DNS (§4.3): one trailing dot removed, an IDN turned into A-labels,
     * or null when it is malformed, a domain literal or a single label (then the result is "none").
     */
    static String checkHostDomain(String name) {
        if (name == null || name.startsWith("[")) return null;
        return normalize(name, 2);
    }

    /** A mechanism's expanded target as asked of DNS, or null when no query can be made for it (§4.8, §5). */
    static String target(String name) {
        return normalize(name, 1);
    }

    private static String normalize(String name, int minLabels) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (n.isEmpty()) return null;
        if (!n.chars().allMatch(c -> c < 0x80)) {
            // As DMARC aligns it and mail clients read it (IDNA2008: straße.de is xn--strae-oqa.de). IDNA 2003 would
            // map it to strasse.de, so SPF would judge a different domain than DMARC aligns and a sender owning
            // strasse.de could pass for straße.de.
            n = DomainNames.toAscii(n);
            if (n == null) return null;
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c < 0x20 || c >= 0x7f) return null;
        }
        return wellFormed(n, minLabels) ? n : null;
    }

    /** Labels of 1 to 63 octets, at least {@code minLabels} of them, at most 253 characters in all. */
    private static boolean wellFormed(String n, int minLabels) {
        if (n.length() > 253) return false;
        int labels = 0;
        int start = 0;
        for (int i = 0; i <= n.length(); i++) {
            if (i == n.length() || n.charAt(i) == '.') {
                int len = i - start;
                if (len == 0 || len > 63) return false;
                labels++;
                start = i + 1;
            }
        }
        return labels >= minLabels;
    }

    /**
     * An expanded domain-spec made fit for a query (§7.3): the trailing dot goes, and a name over 253 characters
     * loses labels from the left until it fits.
     */
    static String truncate(String expanded) {
        String n = expanded.endsWith(".") ? expanded.substring(0, expanded.length() - 1) : expanded;
        while (n.length() > 253) {
            int dot = n.indexOf('.');
            if (dot < 0) return "";
            n = n.substring(dot + 1);
        }
        return n;
    }

    /** Whether {@code name} is {@code domain} or a name under it, ignoring case and a trailing dot. */
    static boolean isAtOrUnder(String name, String domain) {
        String a = strip(name).toLowerCase(Locale.ROOT);
        String b = strip(domain).toLowerCase(Locale.ROOT);
        return a.equals(b) || a.endsWith("." + b);
    }

    private static String strip(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
