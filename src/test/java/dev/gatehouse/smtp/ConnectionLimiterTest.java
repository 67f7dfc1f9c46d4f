// ConnectionLimiterTest: the per-address and total connection counters: which cap a refusal names, that refusals
// and releases never leak a slot, and that racing acceptors can never exceed either cap.
package dev.gatehouse.smtp;

import static dev.gatehouse.smtp.ConnectionLimiter.Verdict.OK;
import static dev.gatehouse.smtp.ConnectionLimiter.Verdict.TOO_MANY_FROM_IP;
import static dev.gatehouse.smtp.ConnectionLimiter.Verdict.TOO_MANY_TOTAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionLimiterTest {

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static final InetAddress A = ip("192.0.2.1");
    static final InetAddress B = ip("192.0.2.2");
    static final InetAddress V6 = ip("2001:db8::1");

    @Test void refusesTheClientOverItsOwnCapWhileOthersStillGetIn() {
        ConnectionLimiter l = new ConnectionLimiter(10, 2);
        assertThat(l.tryAcquire(A)).isEqualTo(OK);
        assertThat(l.tryAcquire(A)).isEqualTo(OK);
        assertThat(l.tryAcquire(A)).isEqualTo(TOO_MANY_FROM_IP);
        assertThat(l.tryAcquire(B)).isEqualTo(OK);
        assertThat(l.tryAcquire(V6)).isEqualTo(OK);
        assertThat(l.from(A)).isEqualTo(2);
        assertThat(l.total()).as("a refusal takes no slot").isEqualTo(4);
    }

    @Test void theTotalCapIsCheckedBeforeThePerAddressCap() {
        ConnectionLimiter l = new ConnectionLimiter(2, 1);
        assertThat(l.tryAcquire(A)).isEqualTo(OK);
        assertThat(l.tryAcquire(B)).isEqualTo(OK);
        // A is also over its own cap, but the server is full: the reply must not name A as the cause
        assertThat(l.tryAcquire(A)).isEqualTo(TOO_MANY_TOTAL);
        assertThat(l.tryAcquire(V6)).isEqualTo(TOO_MANY_TOTAL);
        assertThat(l.total()).isEqualTo(2);
        assertThat(l.from(V6)).isZero();
    }

    @Test void releasingASlotLetsTheNextClientInAndForgetsIdleAddresses() {
        ConnectionLimiter l = new ConnectionLimiter(1, 1);
        assertThat(l.tryAcquire(A)).isEqualTo(OK);
        assertThat(l.tryAcquire(B)).isEqualTo(TOO_MANY_TOTAL);
        l.release(A);
        assertThat(l.total()).isZero();
        assertThat(l.from(A)).isZero();
        assertThat(l.tryAcquire(B)).isEqualTo(OK);
        assertThat(l.tryAcquire(B)).isEqualTo(TOO_MANY_TOTAL);
        l.release(B);
        assertThat(l.tryAcquire(A)).isEqualTo(OK);
    }

    @Test void manyRefusalsLeakNoSlot() {
        ConnectionLimiter l = new ConnectionLimiter(3, 1);
        assertThat(l.tryAcquire(A)).isEqualTo(OK);
        for (int i = 0; i < 1000; i++) assertThat(l.tryAcquire(A)).isEqualTo(TOO_MANY_FROM_IP);
        assertThat(l.total()).isEqualTo(1);
        assertThat(l.from(A)).isEqualTo(1);
        assertThat(l.tryAcquire(B)).isEqualTo(OK);
        assertThat(l.tryAcquire(V6)).isEqualTo(OK);
        assertThat(l.tryAcquire(ip("192.0.2.3"))).isEqualTo(TOO_MANY_TOTAL);
    }

    @Test void racingAcceptorsNeverExceedEitherCap() throws Exception {
        int addresses = 40, perAddress = 3, total = 100, attemptsPerAddress = 10;
        ConnectionLimiter l = new ConnectionLimiter(total, perAddress);
        AtomicInteger granted = new AtomicInteger();
        ConcurrentLinkedQueue<InetAddress> holders = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int a = 0; a < addresses; a++) {
            InetAddress ip = ip("198.51.100." + (a + 1));
            for (int i = 0; i < attemptsPerAddress; i++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    if (l.tryAcquire(ip) == OK) {
                        granted.incrementAndGet();
                        holders.add(ip);
                    }
                }));
            }
        }
        go.countDown();
        for (Thread t : threads) t.join();
        // 40 addresses x 3 = 120 wanted slots, the total of 100 wins; nobody got a fourth
        assertThat(granted).hasValue(total);
        assertThat(l.total()).isEqualTo(total);
        for (InetAddress ip : holders) assertThat(l.from(ip)).isBetween(1, perAddress);
        for (InetAddress ip : holders) l.release(ip);
        assertThat(l.total()).isZero();
        assertThat(holders).allSatisfy(ip -> assertThat(l.from(ip)).isZero());
    }
}
