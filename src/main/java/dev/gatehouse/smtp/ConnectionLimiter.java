// ConnectionLimiter: counts concurrent SMTP connections in total and per client address, and says who may connect.
package dev.gatehouse.smtp;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread-safe concurrent-connection counters in the spirit of Postfix anvil; every granted slot must be released. */
final class ConnectionLimiter {
    enum Verdict { OK, TOO_MANY_TOTAL, TOO_MANY_FROM_IP }

    private final int maxTotal;
    private final int maxPerIp;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perIp = new ConcurrentHashMap<>();

    ConnectionLimiter(int maxTotal, int maxPerIp) {
        this.maxTotal = maxTotal;
        this.maxPerIp = maxPerIp;
    }

    Verdict tryAcquire(InetAddress ip) {
        if (!tryAcquireTotal()) return Verdict.TOO_MANY_TOTAL;
        if (!tryAcquireFrom(ip)) {
            releaseTotal();
            return Verdict.TOO_MANY_FROM_IP;
        }
        return Verdict.OK;
    }

    /**
     * The total slot alone: for a load balancer's connection, whose client is known only once its PROXY header
     * is read; {@link #tryAcquireFrom} then counts that client, so the balancer is not limited as one client.
     */
    boolean tryAcquireTotal() {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return false;
        }
        return true;
    }

    /** The per-address slot alone (the caller holds a total slot). */
    boolean tryAcquireFrom(InetAddress ip) {
        boolean[] granted = {false};
        perIp.compute(ip, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= maxPerIp) return n;
            granted[0] = true;
            return count + 1;
        });
        return granted[0];
    }

    /** Gives back a total slot taken with {@link #tryAcquireTotal} whose connection never got a per-address slot. */
    void releaseTotal() { total.decrementAndGet(); }

    /** Gives back both slots of a connection from {@code ip}. */
    void release(InetAddress ip) {
        perIp.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1);
        releaseTotal();
    }

    int total() { return total.get(); }

    int from(InetAddress ip) { return perIp.getOrDefault(ip, 0); }
}
