// The resolver's answer cache: bounded in entries and in size, least recently used first out, expiring by TTL.
package dev.gatehouse.dns;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.xbill.DNS.Name;

/**
 * Every SMTP session asks the same few questions (the sender's SPF, its DMARC policy, a DKIM key), so a cache
 * saves most queries; but the names come from senders, so a flood of unique names must not grow it without
 * bound. It holds at most {@code maxEntries} answers and about {@code maxWeight} octets of record data,
 * evicting the least recently used. Expired entries are dropped when met. One lock guards it: every operation
 * is a few map steps, far cheaper than the query it saves.
 */
final class LookupCache {
    record Key(Name name, int type) {}

    private record Entry(Lookup<?> lookup, long expiresAtNanos, long weight) {}

    private final int maxEntries;
    private final long maxWeight;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(256, 0.75f, true);
    private long weight;

    LookupCache(int maxEntries, long maxWeight) {
        this.maxEntries = maxEntries;
        this.maxWeight = maxWeight;
    }

    synchronized Lookup<?> get(Key key, long nowNanos) {
        Entry entry = entries.get(key);
        if (entry == null) return null;
        if (entry.expiresAtNanos - nowNanos <= 0) {
            remove(key);
            return null;
        }
        return entry.lookup;
    }

    /** Keeps {@code lookup} for {@code ttlSeconds} (nothing is kept for 0 or less, or when it alone is too big). */
    synchronized void put(Key key, Lookup<?> lookup, long ttlSeconds, long nowNanos) {
        long size = weigh(lookup);
        if (ttlSeconds <= 0 || size > maxWeight / 16) return;
        remove(key);
        entries.put(key, new Entry(lookup, nowNanos + ttlSeconds * 1_000_000_000L, size));
        weight += size;
        Iterator<Map.Entry<Key, Entry>> eldest = entries.entrySet().iterator();
        while ((entries.size() > maxEntries || weight > maxWeight) && eldest.hasNext()) {
            weight -= eldest.next().getValue().weight;
            eldest.remove();
        }
    }

    synchronized int size() {
        return entries.size();
    }

    private void remove(Key key) {
        Entry old = entries.remove(key);
        if (old != null) weight -= old.weight;
    }

    private static long weigh(Lookup<?> lookup) {
        long size = 96;
        for (Object record : lookup.records()) {
            size += 32 + (record instanceof String s ? s.length() : record instanceof Dns.Mx mx ? mx.host().length() : 16);
        }
        return size;
    }
}
