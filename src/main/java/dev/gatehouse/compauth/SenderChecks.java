// The four sender-authentication checks composite authentication combines, behind one narrow interface.
package dev.gatehouse.compauth;

import java.net.InetAddress;
import java.util.List;

import dev.gatehouse.arc.ArcResult;
import dev.gatehouse.dkim.DkimResult;
import dev.gatehouse.dmarc.DmarcResult;
import dev.gatehouse.mail.Message;
import dev.gatehouse.spf.SpfResult;

/**
 * SPF ({@code spf}), DKIM ({@code dkim}), ARC ({@code arc}) and DMARC ({@code dmarc}) as the authentication
 * stage and {@code Test-MessageAuthentication} call them; the production implementation is
 * {@link DnsSenderChecks}, over one shared resolver. Each method does its own DNS lookups, blocks the calling
 * (virtual) thread, and never throws for anything the message or DNS does: a problem is a result
 * (temperror, permerror).
 */
public interface SenderChecks {
    /** SPF for the MAIL FROM identity ({@code postmaster@<helo>} for the null sender); {@code mailFrom} "" for null. */
    SpfResult spf(InetAddress client, String helo, String mailFrom);

    /** One result per DKIM-Signature of the message as received, topmost first. */
    List<DkimResult> dkim(Message received);

    ArcResult arc(Message received);

    /** DMARC for the From domain, given that SPF and DKIM verdict. */
    DmarcResult dmarc(Message received, SpfResult spf, List<DkimResult> dkim);

    /** The {@code Received-SPF:} value (without the name) for that result, in Exchange's words. */
    String receivedSpf(SpfResult result, InetAddress client, String helo);

    /** The client's reverse DNS name (first PTR), or null; for the antispam report's {@code PTR:}. */
    String ptr(InetAddress client);

    /**
     * {@link #ptr} as a finished future when the answer is known without asking the network (a cached answer), so
     * the caller need not hand the lookup to another thread; null when it is not known.
     */
    default java.util.concurrent.CompletableFuture<String> ptrIfKnown(InetAddress client) { return null; }

    /**
     * Starts the lookups DMARC will need for this From domain, so they overlap with SPF and DKIM, and returns at once:
     * it never waits for the network.
     *
     * @return whether {@link #dmarc} may wait for DNS; false only when it is known to answer at once (everything it
     *         reads is cached), so the caller may run it on its own thread without a deadline. The default, for checks
     *         that start nothing, is true
     */
    default boolean prefetch(Message received) { return true; }
}
