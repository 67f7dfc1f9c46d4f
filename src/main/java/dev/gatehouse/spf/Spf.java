// SPF for the gateway: RFC 7208 check_host(), the receiver's HELO and MAIL FROM checks, and the header texts.
package dev.gatehouse.spf;

import dev.gatehouse.dns.Dns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The one entry point to SPF. {@link #checkHost} is RFC 7208's function exactly; {@link #check} is what a
 * receiver does with an SMTP transaction (§2.3, §2.4): it checks the HELO identity and the MAIL FROM identity and
 * returns both. Each check has a budget of DNS time ({@link #DEFAULT_TIME_BUDGET}, RFC 7208 §4.6.4 suggests at
 * least 20 s) after which it gives temperror, on top of the RFC's lookup limits; a check never throws for
 * anything DNS or the client sends.
 *
 * <p>Thread-safe: every check keeps its own state; the {@link Dns} is shared.
 */
public final class Spf {
    private static final Logger LOG = LoggerFactory.getLogger(Spf.class);

    /** The DNS time one check_host() may spend before it gives temperror. */
    public static final Duration DEFAULT_TIME_BUDGET = Duration.ofSeconds(20);

    private final Dns dns;
    private final String receiver;
    private final Duration timeBudget;
    private final Clock clock;

    /**
     * @param dns      the resolver
     * @param receiver this gateway's host name: {@code %{r}}, {@code receiver=} and the comments of Received-SPF
     */
    public Spf(Dns dns, String receiver) {
        this(dns, receiver, DEFAULT_TIME_BUDGET, Clock.systemUTC());
    }

    /** As {@link #Spf(Dns, String)}, with the DNS time budget of one check and the clock {@code %{t}} reads. */
    public Spf(Dns dns, String receiver, Duration timeBudget, Clock clock) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        this.timeBudget = Objects.requireNonNull(timeBudget, "timeBudget");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The HELO check and the MAIL FROM check of one transaction.
     *
     * @param helo       the HELO identity's result ({@code none} when the HELO is not a domain name, e.g. an address literal)
     * @param mailFrom   the MAIL FROM identity's result; for the null sender ({@code MAIL FROM:<>}) the identity is
     *                   {@code postmaster@<helo>} (RFC 7208 §2.4), whose check is the HELO check, so this is the
     *                   {@code helo} result itself (its {@link SpfResult#identity()} is {@code helo})
     * @param nullSender whether the reverse-path was null
     */
    public record Checked(SpfResult helo, SpfResult mailFrom, boolean nullSender) {
        /**
         * The result Authentication-Results' {@code spf=} reports: always {@link #mailFrom}. For the null sender
         * that is the check of {@code postmaster@<helo>}, i.e. the HELO result, written {@code smtp.helo=<helo>} (as
         * Exchange does); otherwise {@code smtp.mailfrom=<domain>}.
         */
        public SpfResult reported() {
            return mailFrom;
        }
    }

    /**
     * RFC 7208 §4 check_host() for the MAIL FROM identity.
     *
     * @param ip     the SMTP client's address (an IPv4-mapped IPv6 address counts as IPv4)
     * @param domain the domain to check (the MAIL FROM domain or the HELO name)
     * @param sender the full identity; an empty local-part, or none at all, is {@code postmaster} (§4.3)
     * @param helo   the HELO/EHLO name, for {@code %{h}}
     */
    public SpfResult checkHost(InetAddress ip, String domain, String sender, String helo) {
        return run("mailfrom", ip, domain, sender, helo);
    }

    /**
     * The receiver's checks (§2.3, §2.4): the HELO identity {@code postmaster@<helo>}, and the MAIL FROM
     * identity, which for the null sender ({@code mailFrom} empty or null) is {@code postmaster@<helo>} too.
     */
    public Checked check(InetAddress ip, String helo, String mailFrom) {
        String h = helo == null ? "" : helo;
        SpfResult heloResult = heloCheck(ip, h);
        if (mailFrom == null || mailFrom.isEmpty()) return new Checked(heloResult, heloResult, true);
        return new Checked(heloResult, mailFromCheck(ip, h, mailFrom), false);
    }

    /**
     * Only the check Authentication-Results reports ({@link Checked#reported}): MAIL FROM, or {@code postmaster@<helo>}
     * for the null sender. The gateway's stage calls this, not {@link #check}: a HELO check whose result nothing reads
     * would double the DNS time a sender who controls both names can make a message spend (two budgets, in series).
     */
    public SpfResult checkReported(InetAddress ip, String helo, String mailFrom) {
        String h = helo == null ? "" : helo;
        return mailFrom == null || mailFrom.isEmpty() ? heloCheck(ip, h) : mailFromCheck(ip, h, mailFrom);
    }

    private SpfResult heloCheck(InetAddress ip, String helo) { return run("helo", ip, helo, "postmaster@" + helo, helo); }

    private SpfResult mailFromCheck(InetAddress ip, String helo, String mailFrom) {
        int at = mailFrom.lastIndexOf('@');
        return run("mailfrom", ip, at < 0 ? mailFrom : mailFrom.substring(at + 1), mailFrom, helo);
    }

    /** The {@code Received-SPF:} field value for {@code result} (Exchange's wording, this gateway as receiver). */
    public String receivedSpf(SpfResult result, InetAddress ip, String helo) {
        return SpfHeaders.receivedSpf(result, ip, helo, receiver);
    }

    /** The {@code spf=} clause of Authentication-Results for a transaction: {@code spf=pass (sender IP is ...) smtp.mailfrom=...}. */
    public String authenticationResults(Checked checked, InetAddress ip, String helo) {
        return SpfHeaders.authenticationResults(checked.reported(), ip, checked.nullSender(), helo);
    }

    private SpfResult run(String identity, InetAddress ip, String domain, String sender, String helo) {
        long start = System.nanoTime();
        String d = domain == null ? "" : domain;
        String s = sender == null || sender.isEmpty() ? "postmaster@" + d : sender;
        Check check = new Check(dns, ip, s, helo, receiver, clock.instant().getEpochSecond(), timeBudget.toMillis());
        Evaluator evaluator = new Evaluator(check);
        SpfResult result;
        try {
            Evaluator.Outcome o = evaluator.evaluate(d);
            String exp = o.result() == SpfResult.Result.FAIL ? evaluator.explanation(o) : null;
            result = new SpfResult(o.result(), identity, d, check.sender, o.mechanism(), exp, o.problem());
        } catch (Check.Abort a) {
            result = new SpfResult(a.result, identity, d, check.sender, null, null, a.getMessage());
        } catch (RuntimeException e) {
            // A defect here, or a resolver breaking its never-throw contract: the session goes on with a temperror.
            LOG.warn("spf_check_failed identity={} domain={} ip={}", identity, SpfHeaders.printable(d, 100), Network.text(ip), e);
            result = new SpfResult(SpfResult.Result.TEMPERROR, identity, d, check.sender, null, null, "internal error: " + e);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("spf_check identity={} domain={} ip={} result={} terms={} voids={} ms={} problem=\"{}\"", identity,
                    SpfHeaders.printable(d, 100), Network.text(ip), result.result().word(), check.terms(), check.voids(),
                    (System.nanoTime() - start) / 1_000_000, SpfHeaders.printable(result.problem(), 200));
        }
        return result;
    }
}
