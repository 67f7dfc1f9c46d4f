// ARC chain validation (RFC 8617 §5.2): are the ARC sets on a message complete, in order and each validly sealed?
package dev.gatehouse.arc;

import dev.gatehouse.dkim.DkimResult;
import dev.gatehouse.dkim.DkimVerifier;
import dev.gatehouse.dkim.MessageVerification;
import dev.gatehouse.dkim.TagList;
import dev.gatehouse.dkim.TagSyntaxException;
import dev.gatehouse.dns.Dns;
import dev.gatehouse.mail.HeaderField;
import dev.gatehouse.mail.Message;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates the Authenticated Received Chain a forwarder (a mailing list, a filtering service) adds so a later
 * hop can see what the first one saw before forwarding broke SPF or DKIM. The structure is checked first
 * (RFC 8617 §5.2 steps 1 to 3: every instance 1..N present once with its three fields, N at most 50, the newest
 * seal not {@code cv=fail}, {@code cv=none} at i=1 and {@code cv=pass} above), then the newest
 * ARC-Message-Signature with the DKIM code (step 4), then every ARC-Seal from the newest down (step 6); the first
 * failure ends the validation with its reason. Signatures and keys are checked by {@link MessageVerification}, so
 * key sizes, algorithms and bounds are DKIM's. A key that cannot be fetched right now fails the chain too: ARC has
 * no temporary error.
 *
 * <p>The work is bounded: a chain holds at most 150 ARC fields (a 151st is a repeat or out of range, and fails the
 * chain before any key is fetched), and each seal hashes only the ARC fields of its own and earlier instances.
 *
 * <p>Thread-safety: immutable.
 */
public final class ArcVerifier {
    private static final Logger log = LoggerFactory.getLogger(ArcVerifier.class);

    /** RFC 8617 §4.2.1: the highest instance a chain may have. */
    public static final int MAX_INSTANCES = 50;

    private final DkimVerifier dkim;

    public ArcVerifier(Dns dns) {
        this(new DkimVerifier(dns));
    }

    public ArcVerifier(Dns dns, Clock clock) {
        this(new DkimVerifier(dns, clock));
    }

    public ArcVerifier(DkimVerifier dkim) {
        this.dkim = dkim;
    }

    /** The chain's status: none without ARC fields, else pass or fail with the reason. */
    public ArcResult verify(Message message) {
        return verify(message, dkim.open(message));
    }

    /** Same, sharing the keys and body hashes already fetched for the message's DKIM signatures. */
    public ArcResult verify(Message message, MessageVerification verification) {
        ArcSets sets;
        try {
            sets = ArcSets.collect(message);
        } catch (Broken e) {
            return failed(e.instances, e.getMessage());
        }
        if (sets == null) return ArcResult.NONE;
        int n = sets.instances();
        try {
            sets.checkStructure();
            DkimResult ams = verification.arcMessageSignature(sets.ams(n));
            if (!ams.passed()) throw new Broken(n, "ARC-Message-Signature " + n + ": " + ams.reason());
            for (int i = n; i >= 1; i--) {
                DkimResult seal = verification.arcSeal(sets.seal(i), sets.sealedBefore(i));
                if (!seal.passed()) throw new Broken(n, "ARC-Seal " + i + ": " + seal.reason());
            }
        } catch (Broken e) {
            return failed(n, e.getMessage());
        }
        List<String> sealers = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) sealers.add(sets.sealTags(i).get("d").toLowerCase(Locale.ROOT));
        log.debug("event=arc_checked result=pass instances={} sealers={}", n, sealers);
        return new ArcResult(ArcResult.Result.PASS, n, sealers, sets.firstHopResults(), null);
    }

    private static ArcResult failed(int instances, String reason) {
        log.debug("event=arc_checked result=fail instances={} reason=\"{}\"", instances, reason);
        return new ArcResult(ArcResult.Result.FAIL, instances, List.of(), null, reason);
    }

    /** A chain that fails: the message is the reason. */
    static final class Broken extends Exception {
        private static final long serialVersionUID = 1L;
        final int instances;

        Broken(int instances, String reason) {
            super(reason, null, false, false);
            this.instances = instances;
        }
    }

    /** A field's value as ISO-8859-1 text without its line end: what the tag-list parser reads. */
    static String valueText(HeaderField f) {
        byte[] raw = f.raw();
        int from = f.name().length() + 1;
        int to = raw.length;
        if (to > from && raw[to - 1] == '\n') to--;
        if (to > from && raw[to - 1] == '\r') to--;
        return new String(raw, from, Math.max(0, to - from), StandardCharsets.ISO_8859_1);
    }

    static TagList tags(HeaderField f) throws TagSyntaxException {
        return TagList.parse(valueText(f));
    }
}
