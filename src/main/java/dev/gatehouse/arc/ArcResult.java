// The outcome of validating a message's ARC chain (RFC 8617 §5.2).
package dev.gatehouse.arc;

import java.util.List;
import java.util.Objects;

/**
 * What the gateway concludes about the ARC sets on a message: {@code arc=none|pass|fail} in
 * Authentication-Results, and, for a chain that passes, who sealed it and what the first sealer saw. An
 * organization that trusts a sealer ({@code trusted ARC sealers}, spec §4.2 compauth reason 130) lets the
 * first hop's authentication results stand when forwarding broke SPF or DKIM.
 *
 * @param result         none (no ARC sets), pass (every set valid, cv chain correct), fail
 * @param instances      the number of ARC sets (highest i=), 0 for none
 * @param sealers        the {@code d=} of each ARC-Seal, from i=1 upward (only meaningful for pass)
 * @param firstHopResults the ARC-Authentication-Results value of i=1 (what the first ARC participant saw), or
 *                        null; read by compauth only when the chain passes and its sealers are trusted
 * @param reason         for fail, why (which instance and what failed), else null
 */
public record ArcResult(Result result, int instances, List<String> sealers, String firstHopResults, String reason) {
    public enum Result {
        NONE, PASS, FAIL;

        public String word() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    public ArcResult {
        Objects.requireNonNull(result, "result");
        sealers = List.copyOf(sealers);
    }

    public static final ArcResult NONE = new ArcResult(Result.NONE, 0, List.of(), null, null);
}
