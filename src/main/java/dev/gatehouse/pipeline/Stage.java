// The one seam of the accept path: each step between end of data and the durable commit is a Stage.
package dev.gatehouse.pipeline;

/**
 * A step of the accept path, run in order on one message ({@link Accepting}) after the SMTP client's end of
 * data and before the durable commit; the order is the list the gateway builds ({@code server.Gateway}),
 * not code in any stage. Built-in steps (attribution's recipients and header-From check, the header
 * firewall, mail flow rules, the quarantine and report hooks) and later ones (authentication results,
 * anti-spam) are the same kind of thing.
 *
 * <p>A stage reads what earlier stages put on the message and adds its own: the stored form of the
 * message, the recipients and their verdicts, content variants, trace events, extra writes for the commit.
 * It does no I/O of its own that outlives the call: everything it wants stored goes into the one
 * transaction that commits the message (or nothing does). Returning a {@link Refusal} ends the accept path
 * with that reply; later stages don't run.
 *
 * <p>Thread-safety: one instance serves every session at once; per-message state lives on {@link Accepting}.
 */
public interface Stage {
    /** @return null to go on, or the refusal that ends the accept path */
    Refusal apply(Accepting message);
}
