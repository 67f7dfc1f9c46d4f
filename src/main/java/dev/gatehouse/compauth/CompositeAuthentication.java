// The decision table of composite authentication: SPF, DKIM, DMARC and ARC results in, compauth out.
package dev.gatehouse.compauth;

import java.util.List;
import java.util.Locale;

import dev.gatehouse.arc.ArcResult;
import dev.gatehouse.dkim.DkimResult;
import dev.gatehouse.dmarc.DmarcResult;
import dev.gatehouse.spf.SpfResult;

/**
 * Microsoft documents composite authentication's outcome classes, not its algorithm (spec §4.2); this is the
 * table Gatehouse applies, in order, the first row that fits deciding (docs/decisions/compauth-reasons.md):
 * <ol>
 *   <li>A reader of the From would see one of the tenant's accepted domains (a display name such as
 *       {@code "alice@contoso.com" <x@evil.example>}, or a second mailbox) that DMARC did not judge:
 *       {@code fail 601}, whatever the other domain proved.</li>
 *   <li>DMARC pass: {@code pass 100}.</li>
 *   <li>DMARC fails but a valid ARC chain, every sealer trusted by the tenant ({@code Set-ArcConfig}), says
 *       the first hop saw {@code dmarc=pass}: {@code pass 130}.</li>
 *   <li>DMARC fails under the domain's enforced policy (quarantine or reject, not sampled out by pct):
 *       {@code fail 010} for one of the tenant's accepted domains, else {@code fail 000}.</li>
 *   <li>DMARC could not be checked (temperror): {@code none 302}; no single From domain to check: {@code fail 001}.</li>
 *   <li>No DMARC record, but SPF or DKIM aligned with From ({@code bestguesspass}): {@code pass 109}.</li>
 *   <li>Anything else for one of the tenant's accepted domains: {@code fail 601}, intra-org spoofing, the
 *       anonymous "Direct Send" spoof of spec §11.</li>
 *   <li>SPF or some DKIM signature passed for another domain (a mailing service sending on behalf): {@code softpass 201}.</li>
 *   <li>Nothing passed: {@code fail 001}, implicit fail.</li>
 * </ol>
 * Stateless and thread-safe.
 */
public final class CompositeAuthentication {
    private CompositeAuthentication() {}

    /**
     * @param fromDomainAccepted the From domain is one of this tenant's accepted domains (or a subdomain the
     *                           domain's MatchSubDomains covers)
     * @param ownDomainShownUnjudged a mail client would show one of the tenant's accepted domains in From (a display
     *                           name, another mailbox) while DMARC judged another domain
     * @param trustedSealers     the tenant's trusted ARC sealers, lower case
     */
    public static CompAuth evaluate(SpfResult spf, List<DkimResult> dkim, DmarcResult dmarc, ArcResult arc, boolean fromDomainAccepted,
                                    boolean ownDomainShownUnjudged, List<String> trustedSealers) {
        if (ownDomainShownUnjudged) return new CompAuth(CompAuth.Result.FAIL, "601", true, false);
        DmarcResult.Result d = dmarc.result();
        if (d == DmarcResult.Result.PASS) return new CompAuth(CompAuth.Result.PASS, "100", fromDomainAccepted, false);
        if (d == DmarcResult.Result.FAIL && arcVouches(arc, trustedSealers)) {
            return new CompAuth(CompAuth.Result.PASS, "130", fromDomainAccepted, false);
        }
        boolean enforced = d == DmarcResult.Result.FAIL && dmarc.policy() != DmarcResult.Policy.NONE && !dmarc.sampledOut();
        if (enforced) return new CompAuth(CompAuth.Result.FAIL, fromDomainAccepted ? "010" : "000", fromDomainAccepted, true);
        if (d == DmarcResult.Result.TEMPERROR) return new CompAuth(CompAuth.Result.NONE, "302", fromDomainAccepted, false);
        if (dmarc.fromDomain() == null) return new CompAuth(CompAuth.Result.FAIL, "001", false, false);
        if (d == DmarcResult.Result.BESTGUESSPASS) return new CompAuth(CompAuth.Result.PASS, "109", fromDomainAccepted, false);
        if (fromDomainAccepted) return new CompAuth(CompAuth.Result.FAIL, "601", true, false);
        boolean somethingPassed = spf.result() == SpfResult.Result.PASS || dkim.stream().anyMatch(DkimResult::passed);
        return somethingPassed ? new CompAuth(CompAuth.Result.SOFTPASS, "201", false, false) : new CompAuth(CompAuth.Result.FAIL, "001", false, false);
    }

    /**
     * A passing ARC chain whose every sealer the tenant trusts, whose first hop recorded {@code dmarc=pass}.
     * Every sealer, not only the last: an untrusted hop in between could have changed the message.
     */
    static boolean arcVouches(ArcResult arc, List<String> trustedSealers) {
        if (arc.result() != ArcResult.Result.PASS || trustedSealers.isEmpty() || arc.sealers().isEmpty()) return false;
        for (String s : arc.sealers()) if (!trustedSealers.contains(s.toLowerCase(Locale.ROOT))) return false;
        String first = arc.firstHopResults();
        return first != null && first.toLowerCase(Locale.ROOT).matches("(?s).*(^|[;\\s])dmarc\\s*=\\s*pass\\b.*");
    }
}
