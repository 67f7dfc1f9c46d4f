// The DNS questions sender authentication asks: TXT, A, AAAA, MX and PTR, each answered with how it went.
package dev.gatehouse.dns;

import java.net.InetAddress;

/**
 * A stub resolver as SPF (RFC 7208), DKIM (RFC 6376), DMARC (RFC 7489) and ARC (RFC 8617) use it. Every
 * question returns a {@link Lookup}: the records, or why there are none ({@code NX_DOMAIN}, {@code NO_DATA},
 * {@code TEMP_FAIL} for a timeout, SERVFAIL or a truncated answer that TCP could not complete). It never
 * throws for anything the network or a server does; an answer that cannot be parsed is {@code TEMP_FAIL}.
 * Names are given and returned without the trailing dot, in any case; a name that is not a valid DNS name
 * (label over 63 octets, name over 253) is {@code NX_DOMAIN} without a query.
 *
 * <p>Thread-safety: one instance serves every session at once; lookups block the calling (virtual) thread.
 */
public interface Dns {
    /** An MX record: its preference and exchange host (without the trailing dot). */
    record Mx(int preference, String host) {}

    /**
     * TXT records of {@code name}: one string per record, its character-strings joined with nothing between
     * them (RFC 7208 §3.3, RFC 6376 §3.6.2.2), decoded as ISO-8859-1 so no octet is lost.
     */
    Lookup<String> txt(String name);

    Lookup<InetAddress> a(String name);

    Lookup<InetAddress> aaaa(String name);

    /** MX records of {@code name}, in the order the server gave them. */
    Lookup<Mx> mx(String name);

    /** PTR names of {@code address} (the in-addr.arpa / ip6.arpa question), without the trailing dot. */
    Lookup<String> ptr(InetAddress address);

    /** What {@link #ptr} would answer from the cache alone, without asking; null when it would have to ask. */
    default Lookup<String> cachedPtr(InetAddress address) { return null; }

    /** What {@link #txt} would answer from the cache alone, without asking; null when it would have to ask. */
    default Lookup<String> cachedTxt(String name) { return null; }
}
