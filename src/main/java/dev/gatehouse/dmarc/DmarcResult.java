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
 *                     pct.reject, permerror, temperror
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
    }
}
