// DMARC evaluation (RFC 7489 §6.6): From domains, policy discovery, identifier alignment, pct sampling, Exchange's action word.
package dev.gatehouse.dmarc;

import dev.gatehouse.mail.DomainNames;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.dkim.DkimResult;
import dev.gatehouse.dmarc.DmarcRecord.Alignment;
import dev.gatehouse.dmarc.DmarcResult.Policy;
import dev.gatehouse.dmarc.DmarcResult.Result;
import dev.gatehouse.dns.Dns;
import dev.gatehouse.mail.Message;
import dev.gatehouse.spf.SpfResult;

/**
 * Decides whether a message's From domain is authenticated: SPF or DKIM must pass for a domain aligned with it
 * (RFC 7489 §3.1, §4.2), and the domain's published policy says what a failure means. It produces the
 * {@code dmarc=} verdict Exchange writes and the inputs composite authentication needs (which identifier aligned,
 * the policy, whether {@code pct} left the message out).
 *
 * <ul>
 * <li><b>Author Domains</b>: {@link AuthorDomains}. A message with several is evaluated once per domain and the
 *     worst outcome is reported (a failure under the strictest applied policy first), per §6.6.1.</li>
 * <li><b>Alignment</b>: SPF counts only with {@code pass} on the MAIL FROM identity ({@code mailFromSpf}); for the
 *     null reverse path that check is made on the HELO name (RFC 7208 §2.4) and counts too, since it is the MAIL
 *     FROM check (RFC 7489 §4.1). A HELO check made alongside a non-null MAIL FROM must not be passed in. DKIM counts
 *     only for a {@code pass} whose signature covers From (RFC 6376 §5.4 requires it). Strict is equality of the
 *     A-label names; relaxed is equality of their organizational domains ({@link PublicSuffixList}).</li>
 * <li><b>No record</b>: {@code none}, or Exchange's {@code bestguesspass} when SPF or DKIM aligns in relaxed mode
 *     (what a default record, {@code v=DMARC1; p=none}, would have made a pass).</li>
 * <li><b>pct</b>: a failure under {@code quarantine}/{@code reject} is sampled with {@code sampler}
 *     ({@code nextInt(100) < pct}); pct 100 and 0 use no randomness. Left out, the action is
 *     {@code pct.quarantine}/{@code pct.reject} (RFC 7489 §6.6.4: the next weaker policy applies).</li>
 * <li><b>Action word</b>: pass, none, bestguesspass and a failure under {@code p=none} → {@code none};
 *     {@code quarantine}; {@code oreject} for an applied {@code p=reject} (Exchange's "override reject": it files
 *     the message as spam instead of refusing it; {@link DmarcResult#honouringReject()} gives {@code reject} for a
 *     tenant that honours the policy); {@code temperror}/{@code permerror} for the errors.</li>
 * </ul>
 *
 * <p>Thread-safety: safe for concurrent use when the {@link Dns} is; lookups block the calling thread.
 */
public final class DmarcEvaluator {
    private static final Logger log = LoggerFactory.getLogger(DmarcEvaluator.class);

    private final Dns dns;
    private final PublicSuffixList psl;

    public DmarcEvaluator(Dns dns, PublicSuffixList psl) {
        this.dns = java.util.Objects.requireNonNull(dns, "dns");
        this.psl = java.util.Objects.requireNonNull(psl, "psl");
    }

    /** Evaluates with a thread-local random sampler for {@code pct}. */
    public DmarcResult evaluate(Message message, SpfResult mailFromSpf, List<DkimResult> dkim) {
        return evaluate(message, mailFromSpf, dkim, ThreadLocalRandom.current());
    }

    /**
     * @param message     the message as received (its From fields are read)
     * @param mailFromSpf the SPF result for the MAIL FROM identity (for the null sender: the HELO-based check RFC 7208
     *                    §2.4 makes in its place), or null when SPF was not checked
     * @param dkim        one result per DKIM-Signature field (empty when unsigned)
     * @param sampler     draws the {@code pct} sample; give a seeded generator for a repeatable outcome
     */
    public DmarcResult evaluate(Message message, SpfResult mailFromSpf, List<DkimResult> dkim, RandomGenerator sampler) {
        DmarcResult result = switch (AuthorDomains.of(message)) {
            case AuthorDomains.Unusable u -> new DmarcResult(Result.PERMERROR, null, null, Policy.NONE, 100, false, false, false,
                    "permerror", u.problem());
            case AuthorDomains.Domains d -> worst(d.domains(), mailFromSpf, dkim == null ? List.of() : dkim, sampler);
        };
        log.debug("dmarc from={} org={} result={} policy={} pct={} sampled_out={} spf_aligned={} dkim_aligned={} action={} problem=\"{}\"",
                result.fromDomain(), result.orgDomain(), result.result().word(), result.policy(), result.pct(), result.sampledOut(),
                result.spfAligned(), result.dkimAligned(), result.action(), result.problem() == null ? "" : result.problem());
        return result;
    }

    /** An organizational domain's record is read when the From domain has none: both must be cached to need nothing. */
    private boolean needsLookups(String domain, String org) {
        return dns.cachedTxt(PolicyDiscovery.recordName(domain)) == null
                || !org.equals(domain) && dns.cachedTxt(PolicyDiscovery.recordName(org)) == null;
    }

    /**
     * Starts the policy lookups {@link #evaluate} will need for this message's From domains, each domain's on a virtual
     * thread of its own, and returns at once: they overlap with SPF and DKIM and with each other (up to 10 From
     * domains), and evaluate's own lookups join them in flight (the resolver's single-flight). A domain whose records
     * are cached starts nothing. Never throws; does nothing for a message without a usable From.
     *
     * @return whether any lookup was started, that is whether {@link #evaluate} may wait for DNS (false: it will answer
     *         from the cache at once)
     */
    public boolean prefetch(Message message) {
        if (!(AuthorDomains.of(message) instanceof AuthorDomains.Domains d)) return false;
        boolean started = false;
        for (String domain : d.domains()) {
            String org = psl.organizationalDomain(domain);
            if (!needsLookups(domain, org)) continue;
            started = true;
            Thread.ofVirtual().name("dmarc-prefetch").start(() -> {
                try {
                    PolicyDiscovery.discover(dns, domain, org);
                } catch (RuntimeException e) { // evaluate asks again and reports what it gets
                    log.debug("dmarc prefetch-failed domain={} error={}", domain, e.toString());
                }
            });
        }
        return started;
    }

    private DmarcResult worst(List<String> domains, SpfResult spf, List<DkimResult> dkim, RandomGenerator sampler) {
        DmarcResult worst = null;
        for (String domain : domains) {
            DmarcResult r = evaluateDomain(domain, spf, dkim, sampler);
            if (worst == null || severity(r) > severity(worst)) worst = r;
        }
        return worst;
    }

    /** The evaluation of one Author Domain (A-label form). */
    DmarcResult evaluateDomain(String from, SpfResult spf, List<DkimResult> dkim, RandomGenerator sampler) {
        String org = psl.organizationalDomain(from);
        String spfDomain = spfDomain(spf);
        List<String> dkimDomains = dkimDomains(dkim);
        return switch (PolicyDiscovery.discover(dns, from, org)) {
            case PolicyDiscovery.TempError t -> error(Result.TEMPERROR, from, org, spfDomain, dkimDomains, t.problem());
            case PolicyDiscovery.PermError p -> error(Result.PERMERROR, from, org, spfDomain, dkimDomains, p.problem());
            case PolicyDiscovery.NoPolicy n -> {
                boolean spfOk = aligned(spfDomain, from, Alignment.RELAXED);
                boolean dkimOk = anyAligned(dkimDomains, from, Alignment.RELAXED);
                Result r = spfOk || dkimOk ? Result.BESTGUESSPASS : Result.NONE;
                yield new DmarcResult(r, from, org, Policy.NONE, 100, false, spfOk, dkimOk, "none", null);
            }
            case PolicyDiscovery.Found f -> withPolicy(f, from, org, spfDomain, dkimDomains, sampler);
        };
    }

    private DmarcResult withPolicy(PolicyDiscovery.Found f, String from, String org, String spfDomain, List<String> dkimDomains,
                                   RandomGenerator sampler) {
        DmarcRecord rec = f.record();
        boolean spfOk = aligned(spfDomain, from, rec.spfAlignment());
        boolean dkimOk = anyAligned(dkimDomains, from, rec.dkimAlignment());
        Policy policy = rec.policyFor(f.atOrganizationalDomain());
        if (spfOk || dkimOk) return new DmarcResult(Result.PASS, from, org, policy, rec.pct(), false, spfOk, dkimOk, "none", null);
        boolean sampledOut = policy != Policy.NONE && !selected(rec.pct(), sampler);
        return new DmarcResult(Result.FAIL, from, org, policy, rec.pct(), sampledOut, false, false, failAction(policy, sampledOut), null);
    }

    private DmarcResult error(Result r, String from, String org, String spfDomain, List<String> dkimDomains, String problem) {
        boolean spfOk = aligned(spfDomain, from, Alignment.RELAXED);
        boolean dkimOk = anyAligned(dkimDomains, from, Alignment.RELAXED);
        return new DmarcResult(r, from, org, Policy.NONE, 100, false, spfOk, dkimOk, r.word(), problem);
    }

    private static boolean selected(int pct, RandomGenerator sampler) {
        if (pct >= 100) return true;
        if (pct <= 0) return false;
        return sampler.nextInt(100) < pct;
    }

    /** Exchange's {@code action=} word for a failure. */
    static String failAction(Policy policy, boolean sampledOut) {
        return switch (policy) {
            case NONE -> "none";
            case QUARANTINE -> sampledOut ? "pct.quarantine" : "quarantine";
            case REJECT -> sampledOut ? "pct.reject" : "oreject";
        };
    }

    /** The MAIL FROM domain (A-label form) when SPF passed for it, else null. */
    private static String spfDomain(SpfResult spf) {
        if (spf == null || spf.result() != SpfResult.Result.PASS || spf.domain() == null) return null;
        if (!spf.identity().equalsIgnoreCase("mailfrom") && !spf.identity().equalsIgnoreCase("helo")) return null;
        return DomainNames.toAscii(spf.domain());
    }

    /** The {@code d=} domains (A-label form) of the passing signatures that cover From. */
    private static List<String> dkimDomains(List<DkimResult> dkim) {
        List<String> out = new ArrayList<>();
        for (DkimResult d : dkim) {
            if (d == null || !d.passed() || !d.headerFromSigned() || d.domain() == null) continue;
            String a = DomainNames.toAscii(d.domain());
            if (a != null) out.add(a);
        }
        return out;
    }

    private boolean anyAligned(List<String> domains, String from, Alignment mode) {
        for (String d : domains) if (aligned(d, from, mode)) return true;
        return false;
    }

    /** RFC 7489 §3.1: strict is the same name; relaxed the same organizational domain. */
    private boolean aligned(String authenticated, String from, Alignment mode) {
        if (authenticated == null) return false;
        if (authenticated.equals(from)) return true;
        if (mode == Alignment.STRICT) return false;
        String org = psl.organizationalDomain(authenticated);
        return org != null && org.equals(psl.organizationalDomain(from));
    }

    /**
     * How bad an outcome is, to pick the one to report for a message with several Author Domains: a failure under
     * the strictest policy actually applied first, then temperror, permerror, none, bestguesspass, pass.
     */
    static int severity(DmarcResult r) {
        return switch (r.result()) {
            case FAIL -> 100 + switch (r.policy()) {
                case REJECT -> r.sampledOut() ? 2 : 3;
                case QUARANTINE -> r.sampledOut() ? 1 : 2;
                case NONE -> 1;
            };
            case TEMPERROR -> 50;
            case PERMERROR -> 40;
            case NONE -> 30;
            case BESTGUESSPASS -> 20;
            case PASS -> 10;
        };
    }
}
