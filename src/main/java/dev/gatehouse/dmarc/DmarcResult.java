// The outcome of DMARC (RFC 7489 §6.6) for a message's From domain, as Authentication-Results reports it.
package dev.gatehouse.dmarc;

import java.util.Objects;

/**
 * What {@code Authentication-Results: dmarc=<result> action=<action> header.from=<domain>} is written from,
 * and what composite authentication reads.
 *
 * @param result       pass, fail, none (no DMARC record at the From domain or its organizational domain),
 *                     bestguesspass (no record, but SPF or DKIM aligned: Exchange's word), temperror, permerror
 * @param fromDomain   the RFC5322.From domain (lower case), or null when the message has no single usable From
 * @param orgDomain    its organizational domain (Public Suffix List), or null
 * @param policy       the policy that applies to this domain: {@code p=}, or {@code sp=} for a subdomain of the
 *                     organizational domain whose record was found there; NONE without a record
 * @param pct          the record's {@code pct=} (100 when absent)
 * @param sampledOut   for a fail under quarantine/reject: whether {@code pct} sampling left this message out
 *                     (Exchange writes {@code action=pct.quarantine} / {@code pct.reject}; the policy is then
 *                     not applied as written)
 * @param spfAligned   whether an SPF pass on the MAIL FROM domain aligns with the From domain
 * @param dkimAligned  whether some passing DKIM signature's {@code d=} aligns with the From domain
 * @param action       Exchange's {@code action=} word: none, oreject, quarantine, reject, pct.quarantine,
 *                     pct.reject, permerror, temperror ({@link DmarcEvaluator} explains the mapping; it writes
 *                     {@code oreject} for an applied p=reject, {@link #honouringReject()} turns that into {@code reject})
 * @param problem      for temperror/permerror, what went wrong, else null
 */
public record DmarcResult(Result result, String fromDomain, String orgDomain, Policy policy, int pct, boolean sampledOut,
                          boolean spfAligned, boolean dkimAligned, String action, String problem) {
    public enum Result {
        PASS, FAIL, NONE, BESTGUESSPASS, TEMPERROR, PERMERROR;

        public String word() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** A DMARC {@code p=}/{@code sp=} value. */
    public enum Policy { NONE, QUARANTINE, REJECT }

    public DmarcResult {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(action, "action");
    }

    /**
     * This result as a tenant that honours the sender's {@code p=reject} sees it (Exchange's anti-phishing
     * {@code HonorDmarcPolicy} with {@code DmarcRejectAction Reject}): {@code action=reject} where the default is
     * Exchange's override, {@code oreject}. Anything else is unchanged.
     */
    public DmarcResult honouringReject() {
        if (!action.equals("oreject")) return this;
        return new DmarcResult(result, fromDomain, orgDomain, policy, pct, sampledOut, spfAligned, dkimAligned, "reject", problem);
    }

    /**
     * The DMARC part of {@code Authentication-Results}, as Exchange writes it:
     * {@code dmarc=fail action=oreject header.from=contoso.com}. Header-safe whatever the fields hold: the action and
     * domain are written only when they are the words and A-label names this class produces ({@code header.from} is
     * left out when there is no usable From domain, since RFC 8601 gives a property no empty value).
     */
    public String authenticationResults() {
        StringBuilder sb = new StringBuilder(64).append("dmarc=").append(result.word());
        if (action.matches("[a-z]{1,16}(\\.[a-z]{1,16})?")) sb.append(" action=").append(action);
        if (fromDomain != null && fromDomain.length() <= 253 && fromDomain.matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)*")) {
            sb.append(" header.from=").append(fromDomain);
        }
        return sb.toString();
    }
}
