// The gateway's stub resolver: asks the configured recursive servers, caches by TTL, never throws, never hangs.
package dev.gatehouse.dns;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * {@link Dns} on dnsjava's message codec, with its own transport ({@link Transport}) and cache. Sender
 * authentication asks the same questions for every message from a sender, from many virtual threads at once,
 * and a slow or hostile DNS server must cost a session at most the configured timeout. So: one deadline per
 * lookup (the whole CNAME chase, over every server, shares it); servers are asked in order, each given an equal
 * share of what remains, the next one asked after a timeout, SERVFAIL or REFUSED; answers are cached by their TTL
 * (at most an hour), negative answers by the SOA's negative TTL (RFC 2308), failures not at all; and identical
 * questions in flight at once share one query. See docs/decisions/dns-resolver.md.
 */
public final class DnsResolver implements Dns {
    private static final Logger log = LoggerFactory.getLogger(DnsResolver.class);
    /** Advertised EDNS0 UDP payload (the DNS flag day 2020 value): larger answers come truncated, then over TCP. */
    private static final int EDNS_PAYLOAD = 1232;
    private static final int MAX_ENTRIES = 10_000;
    private static final long MAX_CACHE_WEIGHT = 32L << 20;

    private final List<InetSocketAddress> servers;
    private final Duration timeout;
    private final LookupCache cache = new LookupCache(MAX_ENTRIES, MAX_CACHE_WEIGHT);
    private final ConcurrentHashMap<LookupCache.Key, CompletableFuture<Lookup<?>>> inFlight = new ConcurrentHashMap<>();

    /** A resolver asking {@code servers} in order, each lookup finished (answered or TEMP_FAIL) within {@code timeout}. */
    public DnsResolver(List<InetSocketAddress> servers, Duration timeout) {
        Objects.requireNonNull(servers, "servers");
        Objects.requireNonNull(timeout, "timeout");
        if (servers.isEmpty()) throw new IllegalArgumentException("DnsResolver needs at least one server");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("DnsResolver timeout must be positive: " + timeout);
        this.servers = List.copyOf(servers);
        this.timeout = timeout;
    }

    /** A resolver asking the system's resolvers (/etc/resolv.conf, read by dnsjava), 127.0.0.1:53 when it names none. */
    public static DnsResolver system(Duration timeout) {
        List<InetSocketAddress> servers = ResolverConfig.getCurrentConfig().servers();
        if (servers.isEmpty()) servers = List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 53));
        return new DnsResolver(servers, timeout);
    }

    public List<InetSocketAddress> servers() {
        return servers;
    }

    public Duration timeout() {
        return timeout;
    }

    @Override
    public Lookup<String> txt(String name) {
        return lookup(DnsNames.parse(name), Type.TXT, r -> joined((TXTRecord) r));
    }

    @Override
    public Lookup<InetAddress> a(String name) {
        return lookup(DnsNames.parse(name), Type.A, r -> address(r.rdataToWireCanonical()));
    }

    @Override
    public Lookup<InetAddress> aaaa(String name) {
        return lookup(DnsNames.parse(name), Type.AAAA, r -> address(r.rdataToWireCanonical()));
    }

    @Override
    public Lookup<Mx> mx(String name) {
        return lookup(DnsNames.parse(name), Type.MX,
                r -> new Mx(((MXRecord) r).getPriority(), DnsNames.text(((MXRecord) r).getTarget())));
    }

    @Override
    public Lookup<String> ptr(InetAddress address) {
        if (address == null) return Lookup.of(Lookup.Result.NX_DOMAIN);
        return lookup(Optional.of(ReverseMap.fromAddress(address)), Type.PTR, r -> DnsNames.text(((PTRRecord) r).getTarget()));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Lookup<String> cachedPtr(InetAddress address) {
        if (address == null) return Lookup.of(Lookup.Result.NX_DOMAIN);
        return (Lookup<String>) cache.get(new LookupCache.Key(ReverseMap.fromAddress(address), Type.PTR), System.nanoTime());
    }

    @Override
    @SuppressWarnings("unchecked")
    public Lookup<String> cachedTxt(String name) {
        Optional<Name> n = DnsNames.parse(name);
        if (n.isEmpty()) return Lookup.of(Lookup.Result.NX_DOMAIN);
        return (Lookup<String>) cache.get(new LookupCache.Key(n.get(), Type.TXT), System.nanoTime());
    }

    /** Answers cached now; for tests and metrics. */
    int cachedAnswers() {
        return cache.size();
    }

    private static String joined(TXTRecord record) {
        StringBuilder text = new StringBuilder();
        for (byte[] string : record.getStringsAsByteArrays()) text.append(new String(string, StandardCharsets.ISO_8859_1));
        return text.toString();
    }

    /**
     * The address in an A or AAAA record's data (4 or 16 octets; dnsjava checked the length). An AAAA answer stays
     * an Inet6Address even when it is IPv4-mapped, which InetAddress.getByAddress (and dnsjava's getAddress) would not.
     */
    private static InetAddress address(byte[] octets) {
        try {
            return octets.length == 16 ? Inet6Address.getByAddress(null, octets, -1) : InetAddress.getByAddress(octets);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address of " + octets.length + " octets", e);
        }
    }

    @SuppressWarnings("unchecked")
    private <T> Lookup<T> lookup(Optional<Name> name, int type, Function<Record, T> convert) {
        if (name.isEmpty()) return Lookup.of(Lookup.Result.NX_DOMAIN);
        LookupCache.Key key = new LookupCache.Key(name.get(), type);
        Lookup<?> cached = cache.get(key, System.nanoTime());
        if (cached != null) return (Lookup<T>) cached;
        CompletableFuture<Lookup<?>> mine = new CompletableFuture<>();
        CompletableFuture<Lookup<?>> leader = inFlight.putIfAbsent(key, mine);
        if (leader != null) return (Lookup<T>) leader.join();
        Lookup<T> result = Lookup.of(Lookup.Result.TEMP_FAIL);
        try {
            result = answer(key, convert);
        } catch (RuntimeException e) {
            log.warn("dns lookup failed name={} type={} error={}", key.name(), Type.string(type), e.toString());
        } finally {
            mine.complete(result);
            inFlight.remove(key, mine);
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private <T> Lookup<T> answer(LookupCache.Key key, Function<Record, T> convert) {
        Lookup<?> cached = cache.get(key, System.nanoTime());
        if (cached != null) return (Lookup<T>) cached;
        Answers.Step step = resolve(key.name(), key.type());
        List<T> records = new ArrayList<>(step.records().size());
        for (Record r : step.records()) records.add(convert.apply(r));
        Lookup<T> lookup = step.result() == Lookup.Result.FOUND ? Lookup.found(records) : Lookup.of(step.result());
        if (step.ttl() != Answers.NO_CACHE) cache.put(key, lookup, Math.min(step.ttl(), Answers.MAX_TTL), System.nanoTime());
        return lookup;
    }

    /** Asks for {@code name}, then for CNAME targets the server left unanswered, all within one deadline. */
    private Answers.Step resolve(Name name, int type) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Name current = name;
        int cnames = 0;
        long ttl = Long.MAX_VALUE;
        for (int query = 0; query <= Answers.MAX_CNAMES; query++) {
            Optional<Message> response = ask(current, type, deadline);
            if (response.isEmpty()) return Answers.Step.failed();
            Answers.Step step = Answers.read(response.get(), current, type, cnames);
            ttl = Math.min(ttl, step.ttl() == Answers.NO_CACHE ? ttl : step.ttl());
            cnames += step.cnames();
            if (step.result() != null) {
                long cacheFor = step.ttl() == Answers.NO_CACHE ? Answers.NO_CACHE : ttl;
                return new Answers.Step(step.result(), step.records(), null, cacheFor, cnames);
            }
            current = step.next();
        }
        log.debug("dns cname chain too long name={} type={}", name, Type.string(type));
        return Answers.Step.failed();
    }

    /** The first NOERROR or NXDOMAIN answer from the servers in order, or empty. */
    private Optional<Message> ask(Name name, int type, long deadline) {
        for (int i = 0; i < servers.size(); i++) {
            long now = System.nanoTime();
            if (deadline - now <= 0) break;
            long share = (deadline - now) / (servers.size() - i);
            Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
            query.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
            Optional<Message> response = Transport.exchange(query, servers.get(i), now + share);
            int rcode = response.map(Message::getRcode).orElse(-1);
            if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) return response;
            log.debug("dns query failed name={} type={} server={} rcode={}", name, Type.string(type), servers.get(i),
                    rcode < 0 ? "none" : Rcode.string(rcode));
        }
        return Optional.empty();
    }
}
