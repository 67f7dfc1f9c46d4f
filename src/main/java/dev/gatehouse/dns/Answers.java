// Reads one DNS response as the answer to one question: the records, the CNAME target still to ask, or why none.
package dev.gatehouse.dns;

import java.util.ArrayList;
import java.util.List;

import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * The response code alone does not say whether a name has records: NOERROR may carry the records, a CNAME
 * chain to them, a chain that ends where this server's data ends, or nothing (NODATA). This class walks the
 * answer section from the name asked, through CNAMEs, to records of the type asked, and reads the negative
 * TTL from the SOA in the authority section (RFC 2308). Records for other names or classes are ignored, so a
 * server cannot slip in answers to questions nobody asked.
 */
final class Answers {
    /** Longest CNAME chain followed, over all queries of one lookup; a longer one (usually a loop) is TEMP_FAIL. */
    static final int MAX_CNAMES = 8;
    /** No answer is cached longer than this, whatever TTL the server gave. */
    static final long MAX_TTL = 3600;
    /** Cache time meaning "do not cache". */
    static final long NO_CACHE = -1;
    /**
     * Seconds a negative answer that carries no SOA is cached. RFC 2308 §5 says such an answer should not be
     * cached at all; but resolvers that send them (closed networks, some forwarders) send them for every name,
     * and then every message would ask again for the same missing SPF, DMARC and PTR records, each question a
     * chance to lose a datagram. dnsmasq's {@code neg-ttl} makes the same trade; see docs/decisions/dns-resolver.md.
     */
    static final long NEGATIVE_TTL_WITHOUT_SOA = 30;

    private Answers() {}

    /**
     * What one response said.
     *
     * @param result  the outcome, or null when the chain leads to {@code next} and that name must be asked
     * @param records records of the type asked, for FOUND
     * @param next    the CNAME target to ask next (result null), else null
     * @param ttl     seconds the outcome may be cached (before capping), or {@link #NO_CACHE}
     * @param cnames  CNAMEs followed in this response
     */
    record Step(Lookup.Result result, List<Record> records, Name next, long ttl, int cnames) {
        static Step failed() { return new Step(Lookup.Result.TEMP_FAIL, List.of(), null, NO_CACHE, 0); }
    }

    static Step read(Message response, Name asked, int type, int cnamesSoFar) {
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) return Step.failed();
        List<Record> answer = response.getSection(Section.ANSWER);
        Name current = asked;
        long ttl = Long.MAX_VALUE;
        int cnames = 0;
        while (true) {
            List<Record> found = records(answer, current, type);
            if (!found.isEmpty()) {
                for (Record r : found) ttl = Math.min(ttl, r.getTTL());
                return new Step(Lookup.Result.FOUND, found, null, ttl, cnames);
            }
            CNAMERecord cname = cname(answer, current);
            if (cname == null) break;
            if (cnamesSoFar + ++cnames > MAX_CNAMES) return Step.failed();
            ttl = Math.min(ttl, cname.getTTL());
            current = cname.getTarget();
        }
        long negative = negativeTtl(response);
        if (cnames > 0 && negative == NO_CACHE && rcode == Rcode.NOERROR) {
            // the server gave the chain but not its end (the target is outside its data): ask for the target
            return new Step(null, List.of(), current, ttl, cnames);
        }
        if (negative == NO_CACHE) negative = NEGATIVE_TTL_WITHOUT_SOA;
        Lookup.Result result = rcode == Rcode.NXDOMAIN ? Lookup.Result.NX_DOMAIN : Lookup.Result.NO_DATA;
        return new Step(result, List.of(), null, Math.min(ttl, negative), cnames);
    }

    private static List<Record> records(List<Record> answer, Name name, int type) {
        List<Record> found = new ArrayList<>();
        for (Record r : answer) {
            if (r.getType() == type && r.getDClass() == DClass.IN && r.getName().equals(name)) found.add(r);
        }
        return found;
    }

    private static CNAMERecord cname(List<Record> answer, Name name) {
        for (Record r : answer) {
            if (r instanceof CNAMERecord c && r.getDClass() == DClass.IN && r.getName().equals(name)) return c;
        }
        return null;
    }

    /** RFC 2308 §5: the lesser of the SOA's TTL and its MINIMUM field; {@link #NO_CACHE} without an SOA. */
    private static long negativeTtl(Message response) {
        for (Record r : response.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord soa) return Math.min(soa.getTTL(), soa.getMinimum());
        }
        return NO_CACHE;
    }
}
