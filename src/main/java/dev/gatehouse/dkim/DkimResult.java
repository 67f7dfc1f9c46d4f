// The outcome of verifying one DKIM-Signature field (RFC 6376 §6, RFC 8601 §2.7.1).
package dev.gatehouse.dkim;

import java.util.Objects;

/**
 * One result per {@code DKIM-Signature} field, in the order they appear (topmost first); a message with none
 * has no results (DMARC and Authentication-Results then say {@code dkim=none}).
 *
 * @param result        RFC 8601 words: pass, fail, neutral (a signature that could not be used, e.g. a
 *                      syntax error: RFC 6376 {@code PERMFAIL} maps to {@code permerror}), temperror, permerror,
 *                      policy (verified but refused by local policy, e.g. {@code l=} leaving unsigned content)
 * @param domain        the {@code d=} tag (lower case), or null when the signature could not be parsed that far
 * @param selector      the {@code s=} tag, or null
 * @param algorithm     the {@code a=} tag ({@code rsa-sha256}, {@code ed25519-sha256}), or null
 * @param reason        for anything but pass, the reason in words, as Exchange writes it in parentheses
 *                      ({@code body hash did not verify}, {@code signature did not verify}, {@code no key for
 *                      signature}), or null; for pass, {@code signature was verified}
 * @param bodyLengthTag the {@code l=} value when the signature has one, else -1: a pass with it signed the whole body
 *                      as it arrived (later stages may still weigh it); content past it makes the result policy
 * @param headerFromSigned whether the signature's {@code h=} covers From (RFC 6376 requires it)
 */
public record DkimResult(Result result, String domain, String selector, String algorithm, String reason, long bodyLengthTag,
                         boolean headerFromSigned) {
    public enum Result {
        PASS, FAIL, NEUTRAL, POLICY, TEMPERROR, PERMERROR;

        public String word() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    public DkimResult { Objects.requireNonNull(result, "result"); }

    public boolean passed() { return result == Result.PASS; }
}
