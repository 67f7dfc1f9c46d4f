// Domain patterns of connectors: "*", "*.contoso.com" (the domain and every subdomain) or an exact domain.
package dev.gatehouse.connector;

import java.util.Locale;

import dev.gatehouse.directory.Names;
import dev.gatehouse.kernel.ValidationException;

/** Validation and matching of {@code SenderDomains} and {@code TlsSenderCertificateName} values. */
public final class DomainPattern {
    private DomainPattern() {}

    /**
     * The normalised pattern, or a {@link ValidationException} naming the parameter and value. A wildcard
     * is allowed only as the whole value ({@code *}, when {@code allowStar}) or as the first label
     * ({@code *.contoso.com}); {@code domain.*.contoso.com} and {@code mail*.contoso.com} are refused.
     */
    public static String normalise(String parameter, String value, boolean allowStar) {
        String v = value == null ? "" : value.strip();
        if (v.regionMatches(true, 0, "smtp:", 0, 5)) v = v.substring(5);
        int semi = v.indexOf(';');
        if (semi >= 0 && parameter.equals("-SenderDomains")) v = v.substring(0, semi); // "smtp:contoso.com;1" form
        if (v.equals("*")) {
            if (allowStar) return "*";
            throw new ValidationException(parameter + " '" + value + "': '*' is not allowed here; give a domain or *.domain");
        }
        String base = v.startsWith("*.") ? v.substring(2) : v;
        if (base.contains("*")) {
            throw new ValidationException(parameter + " '" + value + "': a wildcard is allowed only as the first label (*.contoso.com)");
        }
        String d = Names.domainOrNull(base);
        if (d == null) throw new ValidationException(parameter + " '" + value + "' is not a valid domain name");
        return v.startsWith("*.") ? "*." + d : d;
    }

    /** {@code *} matches anything (the null sender too); {@code *.d} matches d and its subdomains; else exact. */
    public static boolean matches(String pattern, String domain) {
        if (pattern.equals("*")) return true;
        if (domain == null || domain.isEmpty()) return false;
        String d = domain.toLowerCase(Locale.ROOT);
        if (pattern.startsWith("*.")) {
            String base = pattern.substring(2);
            return d.equals(base) || d.endsWith("." + base);
        }
        return d.equals(pattern);
    }

    /** How precise a match is: exact names beat wildcards, longer wildcard bases beat shorter ones. */
    public static int precision(String pattern) {
        if (pattern.equals("*")) return 0;
        return pattern.startsWith("*.") ? pattern.length() : 10_000 + pattern.length();
    }
}
