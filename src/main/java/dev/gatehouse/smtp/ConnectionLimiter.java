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
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return Verdict.TOO_MANY_TOTAL;
        }
        boolean[] granted = {false};
        perIp.compute(ip, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= maxPerIp) return n;
            granted[0] = true;
            return count + 1;
        });
        if (!granted[0]) {
            total.decrementAndGet();
            return Verdict.TOO_MANY_FROM_IP;
        }
        return Verdict.OK;
    }

    void release(InetAddress ip) {
        perIp.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1);
        total.decrementAndGet();
    }

    int total() { return total.get(); }

    int from(InetAddress ip) { return perIp.getOrDefault(ip, 0); }
}
