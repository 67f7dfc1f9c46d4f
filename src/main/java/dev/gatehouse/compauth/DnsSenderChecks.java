// The production SenderChecks: SPF, DKIM, ARC and DMARC over one shared resolver.
package dev.gatehouse.compauth;

import java.net.InetAddress;
import java.util.List;

import dev.gatehouse.arc.ArcResult;
import dev.gatehouse.arc.ArcVerifier;
import dev.gatehouse.dkim.DkimResult;
import dev.gatehouse.dkim.DkimVerifier;
import dev.gatehouse.dmarc.DmarcEvaluator;
import dev.gatehouse.dmarc.DmarcResult;
import dev.gatehouse.dmarc.PublicSuffixList;
import dev.gatehouse.dns.Dns;
import dev.gatehouse.dns.Lookup;
import dev.gatehouse.mail.Message;
import dev.gatehouse.spf.Spf;
import dev.gatehouse.spf.SpfResult;

/**
 * Wires the four checks to one {@link Dns} (whose cache and single-flight make the second message from a
 * sender nearly free) and one Public Suffix List. Thread-safe: each check is.
 */
public final class DnsSenderChecks implements SenderChecks {
    /** DNS time one SPF check may spend (RFC 7208 §4.6.4 suggests at least 20 s for the whole check; see AuthenticationStage). */
    static final java.time.Duration SPF_BUDGET = java.time.Duration.ofSeconds(10);
    private final Dns dns;
    private final Spf spf;
    private final DkimVerifier dkim;
    private final ArcVerifier arc;
    private final DmarcEvaluator dmarc;

    /** @param receiver the gateway's host name, as {@code Received-SPF} and {@code exp=} macros name it */
    public DnsSenderChecks(Dns dns, PublicSuffixList psl, String receiver) {
        this.dns = dns;
        // well under the stage's 20 s: a sender that makes its own SPF slow must not also use up DMARC's time
        this.spf = new Spf(dns, receiver, SPF_BUDGET, java.time.Clock.systemUTC());
        this.dkim = new DkimVerifier(dns);
        this.arc = new ArcVerifier(dns);
        this.dmarc = new DmarcEvaluator(dns, psl);
    }

    @Override
    public SpfResult spf(InetAddress client, String helo, String mailFrom) { return spf.checkReported(client, helo, mailFrom); }

    @Override
    public List<DkimResult> dkim(Message received) { return dkim.verify(received); }

    @Override
    public ArcResult arc(Message received) { return arc.verify(received); }

    @Override
    public DmarcResult dmarc(Message received, SpfResult spfResult, List<DkimResult> dkimResults) {
        return dmarc.evaluate(received, spfResult, dkimResults);
    }

    @Override
    public String receivedSpf(SpfResult result, InetAddress client, String helo) { return spf.receivedSpf(result, client, helo); }

    @Override
    public String ptr(InetAddress client) {
        if (client == null) return null;
        Lookup<String> names = dns.ptr(client);
        return names.found() ? names.records().getFirst() : null;
    }

    @Override
    public java.util.concurrent.CompletableFuture<String> ptrIfKnown(InetAddress client) {
        if (client == null) return java.util.concurrent.CompletableFuture.completedFuture(null);
        Lookup<String> names = dns.cachedPtr(client);
        return names == null ? null : java.util.concurrent.CompletableFuture.completedFuture(names.found() ? names.records().getFirst() : null);
    }

    /** Nothing when DMARC's records are cached (most messages); else its lookups on virtual threads of their own. */
    @Override
    public boolean prefetch(Message received) { return dmarc.prefetch(received); }
}
