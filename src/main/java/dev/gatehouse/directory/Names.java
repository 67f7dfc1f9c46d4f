// Normalisation and validation of domain names, SMTP addresses and object names.
package dev.gatehouse.directory;

import dev.gatehouse.kernel.ValidationException;
import dev.gatehouse.mail.DomainNames;

import java.util.Locale;
import java.util.regex.Pattern;

/** Pure functions: domains become lower-case A-labels; addresses get a lower-case lookup key. */
public final class Names {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern LOCAL = Pattern.compile("[A-Za-z0-9!#$%&'*+=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+=?^_`{|}~-]+)*");

    private Names() {}

    /** The domain as stored (lower case, A-labels), or null when it is not a valid host name. */
    public static String domainOrNull(String domain) {
        if (domain == null) return null;
        String d = domain.strip();
        if (d.isEmpty() || d.length() > 253) return null;
        String ldh = ldhHostName(d);
        return ldh != null ? ldh : idnDomainOrNull(d);
    }

    /**
     * The common case without IDNA or regexes (0.9 % of the gateway's CPU in the bench, once per address and
     * domain seen): a host name of ASCII letters, digits and hyphens whose labels are all valid, lower-cased.
     * Null when it is anything else; {@link #idnDomainOrNull} then decides, and for these names decides the same.
     */
    static String ldhHostName(String d) {
        int labels = 0, start = 0;
        boolean digitsOnly = true; // of the label being read; after the loop, of the last one
        for (int i = 0; i <= d.length(); i++) {
            char c = i < d.length() ? d.charAt(i) : '.';
            if (c == '.') {
                int len = i - start;
                if (len < 1 || len > 63 || d.charAt(start) == '-' || d.charAt(i - 1) == '-') return null;
                labels++;
                if (i < d.length()) digitsOnly = true;
                start = i + 1;
            } else if (c >= '0' && c <= '9') {
                continue;
            } else if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-') {
                digitsOnly = false;
            } else {
                return null;
            }
        }
        if (labels < 2 || digitsOnly) return null; // a numeric last label: an IP address, not a name
        return d.toLowerCase(Locale.ROOT);
    }

    /**
     * {@link #domainOrNull} for any name: to A-labels as mail clients and the DNS convert it ({@link DomainNames},
     * IDNA2008: {@code straße.de} is {@code xn--strae-oqa.de}, not IDNA2003's {@code strasse.de}), then the host
     * name rules. {@code d} is stripped, 1-253 long.
     */
    static String idnDomainOrNull(String d) {
        if (DomainNames.endsWithDot(d)) return null; // stored without the root's dot, which toAscii would drop
        d = DomainNames.toAscii(d);
        if (d == null) return null;
        String[] labels = d.split("\\.", -1);
        if (labels.length < 2) return null;
        for (String label : labels) if (!LABEL.matcher(label).matches()) return null;
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) return null;
        return d;
    }

    static String domain(String parameter, String domain) {
        String d = domainOrNull(domain);
        if (d == null) throw new ValidationException(parameter + " '" + domain + "' is not a valid domain name");
        return d;
    }

    /** Lookup key of an address: local part lower-cased, domain as {@link #domainOrNull}; null if invalid. */
    public static String addressKeyOrNull(String address) {
        if (address == null) return null;
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) return null;
        String domain = domainOrNull(address.substring(at + 1));
        if (domain == null) return null;
        return address.substring(0, at).toLowerCase(Locale.ROOT) + "@" + domain;
    }

    /** A mailbox address as stored for display: local part as given, domain normalised. Strips {@code smtp:}. */
    static String address(String parameter, String address) {
        String a = address == null ? "" : address.strip();
        if (a.regionMatches(true, 0, "smtp:", 0, 5)) a = a.substring(5);
        int at = a.lastIndexOf('@');
        String local = at > 0 ? a.substring(0, at) : "";
        String domain = at > 0 ? domainOrNull(a.substring(at + 1)) : null;
        if (domain == null || local.length() > 64 || !LOCAL.matcher(local).matches()) {
            throw new ValidationException(parameter + " '" + address + "' is not a valid SMTP address");
        }
        return local + "@" + domain;
    }

    static String key(String address) { return address.toLowerCase(Locale.ROOT); }

    static String domainOf(String address) { return address.substring(address.lastIndexOf('@') + 1); }

    public static String name(String parameter, String name) {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty()) throw new ValidationException(parameter + " '" + (name == null ? "" : name) + "' is not valid: a value is required");
        if (n.length() > 64) throw new ValidationException(parameter + " '" + n + "' is too long: at most 64 characters");
        for (int i = 0; i < n.length(); i++) {
            if (Character.isISOControl(n.charAt(i))) throw new ValidationException(parameter + " '" + n + "' contains a control character");
        }
        return n;
    }

    public static String nameKey(String name) { return name.toLowerCase(Locale.ROOT); }
}
