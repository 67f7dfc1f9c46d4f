// DMARC policy discovery (RFC 7489 §6.6.3): the record at _dmarc.<From domain>, else at _dmarc.<organizational domain>.
package dev.gatehouse.dmarc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import dev.gatehouse.dns.Dns;
import dev.gatehouse.dns.Lookup;

/**
 * Finds the one DMARC record that governs a From domain. TXT records that are not DMARC records are discarded;
 * when none is left at the From domain, the organizational domain is asked. The outcomes, as {@link Discovered}:
 * a record ({@link Found}); none at either name ({@link NoPolicy}: the result is {@code none}); a DNS failure
 * ({@link TempError}: a timeout or SERVFAIL must not be mistaken for "no policy", which would let a spoof through
 * a domain with {@code p=reject}); or a publisher's error ({@link PermError}): a record with a syntax error, or
 * more than one DMARC record at the name. RFC 7489 §6.6.3 step 5 says several records end discovery with DMARC
 * "not applied"; we write that {@code permerror} rather than {@code none}, the result §11.2 defines for a record
 * that cannot be used, because {@code none} would tell the admin the domain publishes nothing.
 */
final class PolicyDiscovery {
    private PolicyDiscovery() {}

    sealed interface Discovered permits Found, NoPolicy, TempError, PermError {}

    /**
     * @param record the record
     * @param at     the domain it was found at ({@code _dmarc.} not included)
     * @param atOrganizationalDomain it came from the organizational domain, not the From domain itself
     */
    record Found(DmarcRecord record, String at, boolean atOrganizationalDomain) implements Discovered {}

    record NoPolicy() implements Discovered {}

    record TempError(String problem) implements Discovered {}

    record PermError(String problem) implements Discovered {}

    /** Discovery for {@code fromDomain} (A-label form) whose organizational domain is {@code orgDomain}. */
    static Discovered discover(Dns dns, String fromDomain, String orgDomain) {
        Discovered d = at(dns, fromDomain, false);
        if (d instanceof NoPolicy && !orgDomain.equals(fromDomain)) d = at(dns, orgDomain, true);
        return d;
    }

    // Parsed records by their text: the DNS cache hands back the same few records for every message from a domain,
    // and parsing one (split, regexes, lists) came to 0.7 % of the gateway's CPU in the bench. A parse depends on the
    // text alone and its result is immutable. Bounded: emptied when full, so records a sender rotates cannot grow it.
    private static final int PARSED_CACHED = 4_096;
    private static final int PARSED_CACHED_LENGTH = 1_024;
    private static final ConcurrentHashMap<String, DmarcRecord.Parsed> PARSED = new ConcurrentHashMap<>();

    static DmarcRecord.Parsed parsed(String txt) {
        if (txt == null || txt.length() > PARSED_CACHED_LENGTH) return DmarcRecord.parse(txt);
        DmarcRecord.Parsed p = PARSED.get(txt);
        if (p == null) {
            p = DmarcRecord.parse(txt);
            if (PARSED.size() >= PARSED_CACHED) PARSED.clear();
            PARSED.put(txt, p);
        }
        return p;
    }

    /** The name of a domain's policy record (RFC 7489 §6.1). */
    static String recordName(String domain) { return "_dmarc." + domain; }

    private static Discovered at(Dns dns, String domain, boolean org) {
        String name = recordName(domain);
        Lookup<String> answer = dns.txt(name);
        if (answer.tempFail()) return new TempError("timeout or server failure looking up TXT " + name);
        List<DmarcRecord.Parsed> dmarc = new ArrayList<>();
        for (String txt : answer.records()) {
            DmarcRecord.Parsed p = parsed(txt);
            if (!(p instanceof DmarcRecord.Parsed.NotDmarc)) dmarc.add(p);
        }
        if (dmarc.isEmpty()) return new NoPolicy();
        if (dmarc.size() > 1) return new PermError(dmarc.size() + " DMARC records at " + name);
        return switch (dmarc.getFirst()) {
            case DmarcRecord.Parsed.Valid v -> new Found(v.record(), domain, org);
            case DmarcRecord.Parsed.Invalid bad -> new PermError("DMARC record at " + name + " is not valid: " + bad.problem());
            case DmarcRecord.Parsed.NotDmarc n -> new NoPolicy();
        };
    }
}
