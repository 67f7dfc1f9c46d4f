// The outcome of one SPF check_host() (RFC 7208 §2.6), with what it was about and why.
package dev.gatehouse.spf;

import java.util.Objects;

/**
 * What {@code Authentication-Results: spf=} and {@code Received-SPF:} are written from.
 *
 * @param result      the RFC 7208 §2.6 result
 * @param identity    {@code mailfrom} or {@code helo}: which identity was checked (RFC 7208 §2.3, §2.4)
 * @param domain      the domain checked (the MAIL FROM domain, or the HELO name; for the null sender, the HELO)
 * @param sender      the full identity checked ({@code postmaster@helo} for the null sender)
 * @param mechanism   the mechanism or modifier that decided ({@code ip4:192.0.2.0/24}, {@code -all},
 *                    {@code default} when none matched), as written in the record; an include that matched is
 *                    named itself ({@code include:spf.protection.outlook.com}), after a redirect it is the term of
 *                    the record redirected to; null when no record decided (none, temperror, permerror)
 * @param explanation the {@code exp=} text for a fail, expanded (RFC 7208 §6.2), or null
 * @param problem     for temperror/permerror (and none), what went wrong, in words for the admin
 *                    ({@code more than 10 DNS lookups}, {@code timeout looking up TXT example.com}), or null
 */
public record SpfResult(Result result, String identity, String domain, String sender, String mechanism, String explanation,
                        String problem) {
    public enum Result {
        NONE, NEUTRAL, PASS, FAIL, SOFTFAIL, TEMPERROR, PERMERROR;

        /** The lower-case word of RFC 7208 and RFC 8601 ({@code softfail}, {@code temperror}). */
        public String word() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    public SpfResult {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(identity, "identity");
    }
}
