package dev.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.it.ItSupport.Outcome;

/**
 * A graceful stop under load: SIGTERM while 8 clients are sending. The process exits 0, and every
 * message that got its 250 before the process went away is delivered after a restart: no loss and no
 * in-doubt window on a planned stop.
 */
class SigtermDrainIT {

    @TempDir Path dir;

    @Test
    void sigtermUnderLoadExitsZeroAndLosesNothing() throws Exception {
        String rcpt = "alice@contoso.com";
        ItSupport.provision(null, dir, "contoso", "contoso.com", rcpt);
        GatewayProcess gw = GatewayProcess.start(dir, List.of());
        Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
        AtomicInteger seq = new AtomicInteger();
        AtomicInteger answered250 = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            clients.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    String id = "term-" + seq.incrementAndGet();
                    Outcome o = ItSupport.sendOne(gw.smtpPort, "sender@example.org", List.of(rcpt), id, "y".repeat(2000));
                    outcomes.put(id, o);
                    if (o == Outcome.ACCEPTED) answered250.incrementAndGet();
                    else {
                        try { Thread.sleep(20); } catch (InterruptedException e) { return; }
                    }
                }
            }));
        }
        // SIGTERM once the load is well under way (5x the acceptances asserted below), not after a fixed time
        long loaded = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (answered250.get() < 100 && System.nanoTime() < loaded) Thread.sleep(20);
        int exit = gw.terminate(Duration.ofSeconds(60));
        stop.set(true);
        for (Thread c : clients) c.join(30_000);
        assertThat(exit).as("exit status after SIGTERM; output:\n" + String.join("\n", gw.output())).isZero();

        Set<String> accepted = new TreeSet<>();
        outcomes.forEach((k, v) -> { if (v == Outcome.ACCEPTED) accepted.add(k); });
        long inDoubt = outcomes.values().stream().filter(o -> o == Outcome.IN_DOUBT).count();
        try (GatewayProcess again = GatewayProcess.start(dir, List.of())) {
            ItSupport.awaitDrained(List.of(again), Duration.ofSeconds(60), dir);
        }
        Map<String, Integer> delivered = ItSupport.countTestIds(false, dir);
        Set<String> lost = new TreeSet<>(accepted);
        lost.removeAll(delivered.keySet());
        System.out.printf("sigterm-drain attempts=%d accepted=%d in-doubt=%d delivered=%d lost=%d%n", outcomes.size(),
                accepted.size(), inDoubt, delivered.size(), lost.size());
        assertThat(accepted).hasSizeGreaterThan(20);
        assertThat(lost).as("250-answered ids missing after a graceful stop").isEmpty();
    }
}
