// RFC 7208 check_host(): record lookup and selection (§4.4, §4.5), the mechanisms (§5), redirect= (§6.1) and exp= (§6.2).
package dev.gatehouse.spf;

import dev.gatehouse.dns.Dns;
import dev.gatehouse.dns.Lookup;

import java.net.InetAddress;
import java.util.List;

/**
 * One domain's record evaluated left to right, the first matching mechanism deciding; include recurses with the
 * §5.2 mapping and redirect replaces the result (a target without a record is a permerror, §6.1). Limits live in
 * {@link Check}: every DNS-querying term is counted before it runs, so an include or redirect loop ends as a
 * permerror at the 11th term, never in a deep stack.
 */
final class Evaluator {

    /**
     * What one domain's evaluation came to: a result (never temperror/permerror: those are {@link Check.Abort}),
     * the term that decided, why when none, and the record and domain whose exp= explains a fail.
     */
    record Outcome(SpfResult.Result result, String mechanism, String problem, SpfRecord record, String domain) {
        static Outcome none(String problem) {
            return new Outcome(SpfResult.Result.NONE, null, problem, null, null);
        }
    }

    private final Check check;

    Evaluator(Check check) {
        this.check = check;
    }

    /** check_host() for {@code domain} (as written: §4.3 validity is checked here). */
    Outcome evaluate(String domain) {
        String name = Domains.checkHostDomain(domain);
        if (name == null) return Outcome.none("\"" + SpfHeaders.printable(domain, 100) + "\" is not a valid domain name");
        Lookup<String> txt = check.require("TXT", name, () -> check.dns.txt(name));
        if (txt.result() == Lookup.Result.NX_DOMAIN) return Outcome.none(name + " does not exist");
        List<String> spf = txt.records().stream().filter(SpfRecord::isSpf).toList();
        if (spf.isEmpty()) return Outcome.none("no SPF record at " + name);
        if (spf.size() > 1) throw Check.Abort.perm(spf.size() + " SPF records at " + name + " (only one is allowed)");
        SpfRecord record = switch (SpfRecord.parse(spf.getFirst())) {
            case SpfRecord r -> r;
            case SyntaxError e -> throw Check.Abort.perm("invalid SPF record at " + name + ": " + e.message());
        };
        for (Mechanism m : record.mechanisms()) {
            if (m.queriesDns()) check.countTerm(m.text());
            if (matches(m, name)) return new Outcome(m.qualifier().result, m.text(), null, record, name);
        }
        if (record.redirect() != null) {
            check.countTerm("redirect=" + record.redirect().text());
            String target = Domains.truncate(record.redirect().expand(check.values(name), true));
            Outcome o = evaluate(target);
            if (o.result() == SpfResult.Result.NONE) {
                throw Check.Abort.perm("redirect=" + SpfHeaders.printable(target, 100) + " from " + name + ": " + o.problem());
            }
            return o;
        }
        return new Outcome(SpfResult.Result.NEUTRAL, "default", null, record, name);
    }

    private boolean matches(Mechanism m, String domain) {
        return switch (m) {
            case Mechanism.All a -> true;
            case Mechanism.Ip4 n -> n.network().contains(check.client);
            case Mechanism.Ip6 n -> n.network().contains(check.client);
            case Mechanism.Include i -> include(i, domain);
            case Mechanism.A a -> address(a.text(), target(a.domain(), domain), a.cidr4(), a.cidr6());
            case Mechanism.Mx x -> mx(x, target(x.domain(), domain));
            case Mechanism.Ptr p -> ptr(p, target(p.domain(), domain));
            case Mechanism.Exists e -> exists(e, target(e.domain(), domain));
        };
    }

    /** §5.2: pass matches; fail, softfail and neutral do not; none is a permerror (errors already ended the check). */
    private boolean include(Mechanism.Include i, String domain) {
        String target = Domains.truncate(i.domain().expand(check.values(domain), true));
        Outcome o = evaluate(target);
        return switch (o.result()) {
            case PASS -> true;
            case FAIL, SOFTFAIL, NEUTRAL -> false;
            default -> throw Check.Abort.perm(i.text() + " from " + domain + ": " + o.problem());
        };
    }

    /** A mechanism's target name, or null when none can be asked about (then it does not match). */
    private String target(MacroString spec, String domain) {
        if (spec == null) return domain;
        return Domains.target(Domains.truncate(spec.expand(check.values(domain), true)));
    }

    private boolean address(String term, String target, int cidr4, int cidr6) {
        if (target == null) return false;
        Lookup<InetAddress> l = check.addresses(target);
        if (l.tempFail()) throw Check.Abort.temp("timeout or server failure looking up " + (check.ip4 ? "A " : "AAAA ") + target);
        if (l.isVoid()) {
            check.countVoid(term, target);
            return false;
        }
        return check.anyMatches(l.records(), check.ip4 ? cidr4 : cidr6);
    }

    /** §5.4: more than 10 MX records is a permerror (§4.6.4); a null MX (".") names no host. */
    private boolean mx(Mechanism.Mx x, String target) {
        if (target == null) return false;
        Lookup<Dns.Mx> l = check.require("MX", target, () -> check.dns.mx(target));
        if (l.isVoid()) {
            check.countVoid(x.text(), target);
            return false;
        }
        if (l.records().size() > Check.MAX_MX) {
            throw Check.Abort.perm(l.records().size() + " MX records at " + target + " (\"" + x.text() + "\" allows at most " + Check.MAX_MX + ")");
        }
        for (Dns.Mx mx : l.records()) {
            String host = Domains.target(mx.host());
            if (host == null) continue;
            Lookup<InetAddress> a = check.addresses(host);
            if (a.tempFail()) throw Check.Abort.temp("timeout or server failure looking up " + (check.ip4 ? "A " : "AAAA ") + host);
            if (a.found() && check.anyMatches(a.records(), check.ip4 ? x.cidr4() : x.cidr6())) return true;
        }
        return false;
    }

    /** §5.5: a validated PTR name at or under the target; DNS errors make it not match, never an error. */
    private boolean ptr(Mechanism.Ptr p, String target) {
        if (target == null) return false;
        Lookup<String> names = check.ptrNames();
        if (names.isVoid()) check.countVoid(p.text(), "PTR " + Network.text(check.client));
        return !check.validatedNames(n -> Domains.isAtOrUnder(n, target)).isEmpty();
    }

    /** §5.7: an A query whatever the client's family. */
    private boolean exists(Mechanism.Exists e, String target) {
        if (target == null) return false;
        Lookup<InetAddress> l = check.require("A", target, () -> check.dns.a(target));
        if (l.isVoid()) {
            check.countVoid(e.text(), target);
            return false;
        }
        return true;
    }

    /**
     * §6.2: the exp= text of the record that failed, expanded with c, r and t allowed. Any trouble (no exp=, a
     * DNS error, no or several TXT records, non-ASCII, a syntax error, the time budget spent) means no
     * explanation, silently. The lookup is not counted toward any limit (the suite's "exp-void").
     */
    String explanation(Outcome o) {
        if (o.record() == null || o.record().explanation() == null) return null;
        try {
            String target = Domains.target(Domains.truncate(o.record().explanation().expand(check.values(o.domain()), true)));
            if (target == null) return null;
            Lookup<String> txt = check.ask("TXT", target, () -> check.dns.txt(target));
            if (!txt.found() || txt.records().size() != 1) return null;
            String text = txt.records().getFirst();
            if (!text.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) return null;
            MacroString exp = MacroParser.parse(text, 0, MacroParser.Kind.EXPLANATION);
            return SpfHeaders.printable(exp.expand(check.values(o.domain()), false), SpfHeaders.MAX_EXPLANATION);
        } catch (Check.Abort | SyntaxError.Failure e) {
            return null;
        }
    }
}
