// DKIM verification (RFC 6376, RFC 8463, RFC 8301) of a received message: one result per DKIM-Signature field.
package dev.gatehouse.dkim;

import dev.gatehouse.dns.Dns;
import dev.gatehouse.mail.Message;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Verifies every DKIM-Signature of a message against the keys its signers publish in DNS. Our own code on the
 * JDK's RSA and EdDSA providers (docs/decisions/dkim-and-arc-verification.md says why not a library). What it
 * decides beyond the RFCs, each bounding the work one hostile message can cause:
 *
 * <ul>
 * <li>At most {@link #MAX_SIGNATURES} signatures are verified, the topmost first; the rest are {@code neutral}
 *     ("too many signatures") without being read.</li>
 * <li>{@code l=}: a signature that leaves body content unsigned is {@code policy} ("body length limit leaves N
 *     bytes unsigned"): anyone could have appended that content. One whose {@code l=} covers the whole body
 *     passes, with {@link DkimResult#bodyLengthTag()} kept so later stages can weigh it. An {@code l=} longer than
 *     the body fails; one of more than 18 digits, or not a number, is a permanent error.</li>
 * <li>RSA keys of fewer than 1024 or more than 8192 bits are permanent errors (RFC 8301; the upper bound is
 *     ours), and {@code rsa-sha1} is not accepted (RFC 8301 §3.1).</li>
 * </ul>
 *
 * <p>Thread-safety: immutable; verify messages from any number of threads.
 */
public final class DkimVerifier {

    /** The most signatures per message that are verified (each may cost a DNS question and a pass over the body). */
    public static final int MAX_SIGNATURES = 10;

    /** The reason of a pass, in Exchange's words. */
    public static final String VERIFIED = "signature was verified";

    private final Dns dns;
    private final Clock clock;

    public DkimVerifier(Dns dns) {
        this(dns, Clock.systemUTC());
    }

    /** @param clock the time {@code x=} expiry is judged against */
    public DkimVerifier(Dns dns, Clock clock) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** One result per DKIM-Signature field of {@code message}, topmost first; empty when it has none. */
    public List<DkimResult> verify(Message message) {
        return open(message).dkimSignatures();
    }

    /** The verification of one message, for callers that verify more than its DKIM signatures (ARC). */
    public MessageVerification open(Message message) {
        return new MessageVerification(dns, clock.instant().getEpochSecond(), message);
    }
}
