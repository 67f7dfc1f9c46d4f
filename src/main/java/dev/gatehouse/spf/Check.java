// The state of one check_host() run: its inputs, the macro values, the RFC 7208 §4.6.4 counters and the DNS time budget.
package dev.gatehouse.spf;

import dev.gatehouse.dns.Dns;
import dev.gatehouse.dns.Lookup;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Everything one evaluation shares across its includes and redirects: the counters that make loops end (every
 * include and redirect is one of the 10 DNS-querying terms, so nesting is at most 10 deep), the void-lookup
 * count, the PTR names already validated, and a deadline on DNS time. A temperror or permerror anywhere ends the
 * whole check (an include passes both up unchanged, §5.2), so they travel as {@link Abort}, caught once at the
 * top. Not thread-safe: one check, one thread.
 */
final class Check {
    static final int MAX_TERMS = 10;
    static final int MAX_VOID = 2;
    static final int MAX_MX = 10;
    static final int MAX_PTR = 10;

    final Dns dns;
    final InetAddress ip;
    final byte[] client;
    final boolean ip4;
    final String sender;
    final String local;
    final String senderDomain;
    final String helo;
    final String receiver;
    final long timestamp;
    private final long deadline;
    private final long budgetMillis;
    private int terms;
    private int voids;
    private Lookup<String> ptr;
    private final Map<String, Boolean> validated = new HashMap<>();

    Check(Dns dns, InetAddress ip, String sender, String helo, String receiver, long timestamp, long budgetMillis) {
        this.dns = dns;
        this.client = Network.clientBytes(ip);
        this.ip = client.length == 4 ? v4(client) : ip;
        this.ip4 = client.length == 4;
        int at = sender.lastIndexOf('@');
        this.local = at <= 0 ? "postmaster" : sender.substring(0, at);
        this.senderDomain = at < 0 ? sender : sender.substring(at + 1);
        this.sender = local + "@" + senderDomain;
        this.helo = helo == null ? "" : helo;
        this.receiver = receiver;
        this.timestamp = timestamp;
        this.budgetMillis = budgetMillis;
        this.deadline = System.nanoTime() + budgetMillis * 1_000_000L;
    }

    private static InetAddress v4(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    int terms() { return terms; }

    int voids() { return voids; }

    /** Counts one DNS-querying term (include, a, mx, ptr, exists, redirect); the 11th is a permerror. */
    void countTerm(String term) {
        if (++terms > MAX_TERMS) throw Abort.perm("more than " + MAX_TERMS + " DNS-querying terms (the next was \"" + SpfHeaders.printable(term, 80) + "\")");
    }

    /** Counts a term whose query found nothing (NXDOMAIN or no data); the third is a permerror. */
    void countVoid(String term, String name) {
        if (++voids > MAX_VOID) {
            throw Abort.perm("more than " + MAX_VOID + " void lookups (the last: \"" + SpfHeaders.printable(term, 80) + "\" found nothing at " + SpfHeaders.printable(name, 80) + ")");
        }
    }

    /** Asks DNS, unless the time budget is spent; a TEMP_FAIL answer is returned, not thrown. */
    <T> Lookup<T> ask(String type, String name, Supplier<Lookup<T>> question) {
        if (System.nanoTime() - deadline > 0) {
            throw Abort.temp("DNS time budget of " + budgetMillis + " ms used up before looking up " + type + " " + SpfHeaders.printable(name, 80));
        }
        return question.get();
    }

    /** Asks DNS; a TEMP_FAIL ends the check with temperror (§4.4, §5). */
    <T> Lookup<T> require(String type, String name, Supplier<Lookup<T>> question) {
        Lookup<T> l = ask(type, name, question);
        if (l.tempFail()) throw Abort.temp("timeout or server failure looking up " + type + " " + SpfHeaders.printable(name, 80));
        return l;
    }

    /** The client's address records at {@code name}: A for an IPv4 client, AAAA for IPv6; TEMP_FAIL returned. */
    Lookup<InetAddress> addresses(String name) {
        return ip4 ? ask("A", name, () -> dns.a(name)) : ask("AAAA", name, () -> dns.aaaa(name));
    }

    /** Whether any of {@code records} is within {@code prefix} bits of the client. */
    boolean anyMatches(List<InetAddress> records, int prefix) {
        for (InetAddress a : records) {
            byte[] b = Network.clientBytes(a);
            if (b.length == client.length && Network.samePrefix(b, client, prefix)) return true;
        }
        return false;
    }

    /** The PTR names of the client (looked up once per check), the first {@link #MAX_PTR} only (§4.6.4). */
    Lookup<String> ptrNames() {
        if (ptr == null) {
            Lookup<String> l = ask("PTR", Network.text(client), () -> dns.ptr(ip));
            ptr = l.found() && l.records().size() > MAX_PTR ? Lookup.found(l.records().subList(0, MAX_PTR)) : l;
        }
        return ptr;
    }

    /**
     * The client's validated names (§5.5) that {@code wanted} accepts: PTR names whose address records include the
     * client. A name whose lookup fails is skipped; a failed PTR lookup gives none.
     */
    List<String> validatedNames(Predicate<String> wanted) {
        Lookup<String> names = ptrNames();
        if (!names.found()) return List.of();
        return names.records().stream().filter(wanted).filter(this::validates).toList();
    }

    private boolean validates(String name) {
        String key = name.toLowerCase(java.util.Locale.ROOT);
        Boolean known = validated.get(key);
        if (known != null) return known;
        String n = Domains.target(name);
        boolean ok = false;
        if (n != null) {
            Lookup<InetAddress> a = addresses(n);
            ok = a.found() && anyMatches(a.records(), client.length * 8);
        }
        validated.put(key, ok);
        return ok;
    }

    /** The {@code %{p}} value (§7.3): {@code domain} if validated, else a validated name under it, else any, else "unknown". */
    String validatedName(String domain) {
        List<String> all = validatedNames(n -> true);
        for (String n : all) {
            if (Domains.isAtOrUnder(n, domain) && Domains.isAtOrUnder(domain, n)) return n;
        }
        for (String n : all) {
            if (Domains.isAtOrUnder(n, domain)) return n;
        }
        return all.isEmpty() ? "unknown" : all.getFirst();
    }

    /** Macro values with {@code domain} as {@code %{d}}. */
    MacroString.Values values(String domain) {
        return letter -> switch (letter) {
            case 's' -> sender;
            case 'l' -> local;
            case 'o' -> senderDomain;
            case 'd' -> domain;
            case 'i' -> Network.dotted(client);
            case 'p' -> validatedName(domain);
            case 'v' -> ip4 ? "in-addr" : "ip6";
            case 'h' -> helo;
            case 'c' -> Network.text(client);
            case 'r' -> receiver;
            case 't' -> Long.toString(timestamp);
            default -> throw new IllegalStateException("macro letter " + letter + " passed the parser");
        };
    }

    /** A temperror or permerror that ends the whole check, with what went wrong. */
    static final class Abort extends RuntimeException {
        final SpfResult.Result result;

        private Abort(SpfResult.Result result, String problem) {
            super(problem, null, false, false);
            this.result = result;
        }

        static Abort perm(String problem) { return new Abort(SpfResult.Result.PERMERROR, problem); }

        static Abort temp(String problem) { return new Abort(SpfResult.Result.TEMPERROR, problem); }
    }
}
