// Stage before the rules: SPF, DKIM, DMARC, ARC and composite authentication, stamped into each tenant's copy.
package dev.gatehouse.compauth;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.arc.ArcResult;
import dev.gatehouse.directory.AntiPhishSettings;
import dev.gatehouse.directory.Directory;
import dev.gatehouse.directory.OrganizationSettings;
import dev.gatehouse.dkim.DkimResult;
import dev.gatehouse.dmarc.DmarcResult;
import dev.gatehouse.mail.AuthAs;
import dev.gatehouse.pipeline.Accepting;
import dev.gatehouse.pipeline.Refusal;
import dev.gatehouse.pipeline.Stage;
import dev.gatehouse.spf.SpfResult;

/**
 * Authenticates the sender of every anonymous message (AuthAs Anonymous: the default connector and Partner
 * connectors; mail through an OnPremises connector is the organization's own and is not checked, as in
 * Exchange) and stamps each tenant's copy with {@code Authentication-Results} and {@code Received-SPF}
 * (spec §4.2), before the mail flow rules run, so that rules read them ({@code -HeaderMatchesMessageHeader
 * Authentication-Results}). The header firewall has already removed any such field that came from outside.
 *
 * <p>DKIM and ARC (when the message is signed), the PTR name and SPF (once per distinct client address:
 * Enhanced Filtering can give two tenants different original clients) run at once; DMARC follows once SPF and
 * DKIM are known. With one client address, SPF runs on the session's own thread, and so do DMARC when its policy
 * records are cached and an unsigned message's DKIM and ARC "none": with a warm DNS cache nothing waits, so handing
 * each check to another thread only cost wake-ups. The whole check is bounded ({@link #BUDGET_MILLIS}; one SPF check spends at
 * most 10 s of DNS time, and DMARC then has {@link #DMARC_MILLIS} of its own, so a sender's slow SPF record cannot
 * crowd out the From domain's policy): what has not answered by then is a temperror,
 * never a stalled session. What each tenant's policy wants done ({@link Outcome}) is kept on the message for
 * {@link SpoofActionStage}, which applies it after the rules.
 *
 * <p>Thread-safety: shared by all sessions; per-message state lives on {@link Accepting}.
 */
public final class AuthenticationStage implements Stage {
    private static final Logger log = LoggerFactory.getLogger(AuthenticationStage.class);
    /** Longest the checks of one message may take, all lookups together (RFC 7208 §4.6.4 suggests at least 20 s for SPF alone). */
    static final long BUDGET_MILLIS = 20_000;
    /** DMARC's own time once SPF has answered (its few lookups, each bounded by the DNS timeout), past the budget if need be. */
    static final long DMARC_MILLIS = 6_000;
    private static final ExecutorService LOOKUPS = Executors.newVirtualThreadPerTaskExecutor();

    private final SenderChecks checks;
    private final Directory directory;
    private final long budgetMillis;
    private final long dmarcMillis;
    /** What a timed-out check reports: made once, not on every message's way through. */
    private final String spfTimedOut;
    private final DmarcResult dmarcTimedOut;

    public AuthenticationStage(SenderChecks checks, Directory directory) {
        this(checks, directory, BUDGET_MILLIS, DMARC_MILLIS);
    }

    /** With times other than {@link #BUDGET_MILLIS} and {@link #DMARC_MILLIS} (tests, which cannot wait 20 s). */
    AuthenticationStage(SenderChecks checks, Directory directory, long budgetMillis, long dmarcMillis) {
        this.checks = checks;
        this.directory = directory;
        this.budgetMillis = budgetMillis;
        this.dmarcMillis = dmarcMillis;
        this.spfTimedOut = "the check took longer than " + shown(budgetMillis);
        this.dmarcTimedOut = new DmarcResult(DmarcResult.Result.TEMPERROR, null, null, DmarcResult.Policy.NONE, 100, false, false, false,
                "temperror", "the DMARC policy lookups took longer than the " + shown(budgetMillis) + " of the whole check (or "
                        + shown(dmarcMillis) + " after SPF)");
    }

    /** What composite authentication and the tenant's anti-phishing policy decided for one recipient. */
    public record Outcome(InetAddress client, String ptr, CompAuth compauth, AntiPhishSettings.Action action, DmarcResult dmarc) {}

    /** The outcomes of one message, by tenant id and recipient address; kept on the message for {@link SpoofActionStage}. */
    public record Outcomes(Map<String, Outcome> byRecipient) {
        static String key(long tenantId, String address) { return tenantId + "\0" + address; }

        public Outcome of(long tenantId, String address) { return byRecipient.get(key(tenantId, address)); }
    }

    @Override
    public Refusal apply(Accepting m) {
        List<Accepting.Recipient> anonymous = m.recipients().stream().filter(r -> r.row().authAs() == AuthAs.Anonymous).toList();
        if (anonymous.isEmpty()) return null;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(budgetMillis);
        String helo = m.client().helo() == null ? "" : m.client().helo();
        // true when DMARC must ask DNS for some From domain's policy (a cache miss): then it runs on another thread too, so
        // that the deadlines below cut it; a cached policy (almost every message) is answered here at once. (A record that
        // expires between this check and the evaluation is asked for here, unbounded: a window of microseconds.)
        boolean dmarcWaits = checks.prefetch(m.received());
        // unsigned mail (most of it) has nothing to fetch: answered here, without a hand-off to another thread
        CompletableFuture<List<DkimResult>> dkim = m.received().count("DKIM-Signature") == 0
                ? now(() -> checks.dkim(m.received())) : async(() -> checks.dkim(m.received()));
        CompletableFuture<ArcResult> arc = m.received().count("ARC-Seal") + m.received().count("ARC-Message-Signature")
                + m.received().count("ARC-Authentication-Results") == 0
                ? now(() -> checks.arc(m.received())) : async(() -> checks.arc(m.received()));
        // a cached PTR (every repeat client) is answered here; only a lookup that must ask goes to another thread
        CompletableFuture<String> known = checks.ptrIfKnown(m.client().ip());
        CompletableFuture<String> ptr = known != null ? known : async(() -> checks.ptr(m.client().ip()));
        Set<InetAddress> clients = new LinkedHashSet<>();
        for (Accepting.Recipient r : anonymous) clients.add(m.clientIpFor(r.row().tenantId(), r.row().address()));
        // one original client (almost always): its SPF runs on this thread, bounded by its own DNS budget, and so does its
        // DMARC when nothing it reads needs the network; several (Enhanced Filtering differs per tenant): each on its own
        // thread, at once
        boolean here = clients.size() == 1;
        Map<InetAddress, CompletableFuture<SpfResult>> spf = new LinkedHashMap<>();
        for (InetAddress ip : clients) spf.put(ip, here ? null : async(() -> checks.spf(ip, helo, m.mailFrom())));
        List<DkimResult> dkimResults = await(dkim, deadline, List.of());
        Map<InetAddress, SpfResult> spfResults = new HashMap<>();
        Map<InetAddress, CompletableFuture<DmarcResult>> dmarc = new HashMap<>();
        for (var e : spf.entrySet()) {
            InetAddress ip = e.getKey();
            SpfResult s = await(here ? now(() -> checks.spf(ip, helo, m.mailFrom())) : e.getValue(), deadline, timedOut(m.mailFrom(), helo));
            spfResults.put(e.getKey(), s);
            // DMARC always runs, even when SPF used the stage's time: the sender controls its own SPF's speed, not the
            // From domain's policy, and a skipped DMARC would let a slow SPF record switch p=reject off
            // DMARC's evaluation is not itself bounded: a From naming 10 domains whose DNS never answers costs 10 × 2 lookups
            // × the DNS timeout (a timeout is not cached, so the prefetch's is asked again), so it runs on this thread only
            // when it cannot wait
            dmarc.put(e.getKey(), here && !dmarcWaits ? now(() -> checks.dmarc(m.received(), s, dkimResults))
                    : async(() -> checks.dmarc(m.received(), s, dkimResults)));
        }
        long dmarcDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(dmarcMillis);
        ArcResult arcResult = await(arc, deadline, new ArcResult(ArcResult.Result.FAIL, 0, List.of(), null, "timed out"));
        String ptrName = await(ptr, deadline, null);

        Map<String, Outcome> outcomes = new HashMap<>();
        List<Accepting.Recipient> out = new ArrayList<>(m.recipients().size());
        for (Accepting.Recipient r : m.recipients()) {
            if (r.row().authAs() != AuthAs.Anonymous) {
                out.add(r);
                continue;
            }
            InetAddress ip = m.clientIpFor(r.row().tenantId(), r.row().address());
            SpfResult s = spfResults.get(ip);
            DmarcResult d = await(dmarc.get(ip), Math.max(deadline, dmarcDeadline), dmarcTimedOut);
            Outcome o = decide(r.row().tenantId(), ip, ptrName, s, dkimResults, d, arcResult, m.received().headerFrom().domains());
            outcomes.put(Outcomes.key(r.row().tenantId(), r.row().address()), o);
            String fields = "Authentication-Results: " + AuthenticationHeaders.authenticationResults(ip, s, dkimResults, d, dmarcAction(o), o.compauth())
                    + "\r\nReceived-SPF: " + AuthenticationHeaders.fold("Received-SPF: ".length(), checks.receivedSpf(s, ip, helo)) + "\r\n";
            String stamp = r.row().stampHeaders() == null ? "" : r.row().stampHeaders();
            out.add(new Accepting.Recipient(r.row().withStamp(fields + stamp), r.verdict()));
        }
        m.recipients(out);
        m.state(Outcomes.class, new Outcomes(outcomes));
        // on the gateway's accepted/refused line for this message (one log write per message, not one per stage)
        m.logField("spf", words(spfResults.values().stream().map(x -> x.result().word()).distinct().toList()));
        m.logField("dkim", words(dkimResults.stream().map(x -> x.result().word()).toList()));
        m.logField("dmarc", outcomes.isEmpty() ? "none" : outcomes.values().iterator().next().dmarc().result().word());
        m.logField("arc", arcResult.result().word());
        m.logField("compauth", words(outcomes.values().stream().map(o -> o.compauth().result().word() + "/" + o.compauth().reason()).distinct().toList()));
        return null;
    }

    /** A log value: the words joined by commas, "none" when there are none. */
    private static String words(List<String> words) { return words.isEmpty() ? "none" : String.join(",", words); }

    /** Composite authentication for one tenant, and what its anti-phishing policy wants done. */
    private Outcome decide(long tenantId, InetAddress ip, String ptr, SpfResult spf, List<DkimResult> dkim, DmarcResult dmarc, ArcResult arc,
                           java.util.Set<String> shownFromDomains) {
        OrganizationSettings settings = directory.settings(tenantId);
        boolean accepted = dmarc.fromDomain() != null && directory.isAcceptedDomain(tenantId, dmarc.fromDomain());
        // every domain a mail client could show as the From (display names too, HeaderFrom's reading), not only the one DMARC judged
        boolean shownOwn = shownFromDomains.stream().anyMatch(d -> directory.isAcceptedDomain(tenantId, d));
        CompAuth c = CompositeAuthentication.evaluate(spf, dkim, dmarc, arc, accepted, shownOwn && !accepted, settings.arcTrustedSealers());
        return new Outcome(ip, ptr, c, action(c, dmarc, settings.antiPhish()), dmarc);
    }

    /**
     * The policy's action for a failed message, or null to deliver normally: a DMARC failure under the domain's
     * enforced policy takes the DMARC actions when HonorDmarcPolicy is on; every other failure (and an enforced
     * one when it is off) is a spoof, acted on when EnableSpoofIntelligence is on.
     */
    static AntiPhishSettings.Action action(CompAuth c, DmarcResult dmarc, AntiPhishSettings p) {
        if (!c.spoof()) return null;
        if (c.enforcedDmarc() && p.honorDmarcPolicy()) {
            return dmarc.policy() == DmarcResult.Policy.REJECT ? p.dmarcRejectAction() : p.dmarcQuarantineAction();
        }
        if (c.enforcedDmarc()) return p.authenticationFailAction(); // the domain asked for quarantine/reject: act even without spoof intelligence
        return p.enableSpoofIntelligence() ? p.authenticationFailAction() : null;
    }

    /**
     * Exchange's {@code action=} word: what was done about the domain's policy. {@code oreject}/{@code oquarantine}
     * when the policy said reject/quarantine and the tenant did something else.
     */
    static String dmarcAction(Outcome o) {
        DmarcResult d = o.dmarc();
        if (d.result() == DmarcResult.Result.TEMPERROR) return "temperror";
        if (d.result() == DmarcResult.Result.PERMERROR) return "permerror";
        if (d.result() != DmarcResult.Result.FAIL || d.policy() == DmarcResult.Policy.NONE) return "none";
        if (d.sampledOut()) return d.policy() == DmarcResult.Policy.REJECT ? "pct.reject" : "pct.quarantine";
        if (d.policy() == DmarcResult.Policy.REJECT) return o.action() == AntiPhishSettings.Action.Reject ? "reject" : "oreject";
        return o.action() == AntiPhishSettings.Action.Quarantine ? "quarantine" : "oquarantine";
    }

    private static <T> CompletableFuture<T> async(Supplier<T> task) { return CompletableFuture.supplyAsync(task, LOOKUPS); }

    /** The task run on this thread, as a finished future: a check that throws is then handled as {@link #await} handles any. */
    private static <T> CompletableFuture<T> now(Supplier<T> task) {
        try {
            return CompletableFuture.completedFuture(task.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static <T> T await(CompletableFuture<T> f, long deadlineNanos, T fallback) {
        try {
            return f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            return fallback;
        } catch (Exception e) {
            f.cancel(true);
            if (!(e instanceof java.util.concurrent.TimeoutException)) log.warn("event=sender_authentication_failed error=\"{}\"", e.toString());
            return fallback;
        }
    }

    private SpfResult timedOut(String mailFrom, String helo) {
        String domain = mailFrom.isEmpty() ? helo : mailFrom.substring(mailFrom.lastIndexOf('@') + 1);
        return new SpfResult(SpfResult.Result.TEMPERROR, mailFrom.isEmpty() ? "helo" : "mailfrom", domain,
                mailFrom.isEmpty() ? "postmaster@" + helo : mailFrom, null, null, spfTimedOut);
    }

    /** A time as a reader wants it: {@code 20 s}, or {@code 1500 ms} when it is not whole seconds. */
    private static String shown(long millis) { return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms"; }
}
