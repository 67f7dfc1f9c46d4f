// Composite authentication's verdict on one message for one tenant: compauth=<result> reason=<code>.
package dev.gatehouse.compauth;

import java.util.Locale;
import java.util.Objects;

/**
 * Exchange's composite authentication (spec §4.2) judges the From domain from SPF, DKIM, DMARC and ARC
 * together. {@code reason} is Exchange's three digits: 000 explicit fail (DMARC policy enforced), 001 implicit
 * fail, 010 explicit fail of one of the tenant's own domains, 1xx pass (100 DMARC, 109 aligned without a DMARC
 * record, 130 ARC), 2xx softpass, 3xx not checked, 6xx implicit fail of one of the tenant's own domains
 * (intra-org spoofing). The numbers within a class are documented in docs/decisions/compauth-reasons.md.
 *
 * @param intraOrg the From domain is one of the tenant's accepted domains (reason 010 and 6xx; SFTY:9.11)
 * @param enforcedDmarc the From domain's own DMARC policy (quarantine or reject, not sampled out) failed
 */
public record CompAuth(Result result, String reason, boolean intraOrg, boolean enforcedDmarc) {
    public enum Result {
        PASS, FAIL, SOFTPASS, NONE;

        public String word() { return name().toLowerCase(Locale.ROOT); }
    }

    public CompAuth {
        Objects.requireNonNull(result, "result");
        if (reason == null || !reason.matches("\\d{3}")) throw new IllegalArgumentException("reason " + reason);
    }

    /** A spoof: composite authentication failed (CAT:SPOOF in the antispam report). */
    public boolean spoof() { return result == Result.FAIL; }

    @Override
    public String toString() { return "compauth=" + result.word() + " reason=" + reason; }
}
