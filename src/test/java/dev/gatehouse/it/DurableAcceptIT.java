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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.it.ItSupport.Outcome;

/**
 * The kill -9 harness of hostile-input.md §1.10 A, against the real gateway process: clients keep
 * sending while the server is SIGKILLed and restarted at random; afterwards every message that was
 * answered 250 must be in a Maildir (lost = 0), and nothing may be delivered that the client did not
 * either get a 250 for or lose the connection on after its final dot (in doubt).
 *
 * <p>Every {@code ./mvnw verify} kills each store's gateway twice under load (plus once with the clients stopped):
 * enough to show the property on every build, short enough for CI. Longer run by hand: {@code bench/crash-loop.sh}
 * ({@code -Dgatehouse.crash.seconds=300 -Dgatehouse.crash.kills=60}).
 */
class DurableAcceptIT {

    private static final int CLIENTS = 8;
    private static final String RCPT = "alice@contoso.com";

    @TempDir Path dir;

    @Test
    void sqliteStoreLosesNothingAcrossKill9() throws Exception {
        int seconds = Integer.getInteger("gatehouse.crash.seconds", 5);
        int kills = Integer.getInteger("gatehouse.crash.kills", 2);
        ItSupport.provision(null, dir, "contoso", "contoso.com", RCPT);
        run("sqlite", List.of(), seconds, kills);
    }

    @Test
    void postgresStoreLosesNothingAcrossKill9() throws Exception {
        int seconds = Integer.getInteger("gatehouse.crash.pg.seconds", 5);
        int kills = Integer.getInteger("gatehouse.crash.pg.kills", 2);
        try (ItSupport.PgSchema pg = new ItSupport.PgSchema()) {
            ItSupport.provision(pg.url, dir, "contoso", "contoso.com", RCPT);
            run("postgres", List.of("--store", pg.url), seconds, kills);
        }
    }

    private void run(String storeName, List<String> extra, int seconds, int kills) throws Exception {
        int smtpPort = GatewayProcess.freePort();
        int httpPort = GatewayProcess.freePort();
        Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
        AtomicInteger seq = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        String body = "x".repeat(1500);

        GatewayProcess gw = restart(null, smtpPort, httpPort, extra);
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < CLIENTS; t++) {
            clients.add(Thread.ofPlatform().name("crash-client-" + t).start(() -> {
                while (!stop.get()) {
                    String id = "crash-" + seq.incrementAndGet();
                    Outcome o = ItSupport.sendOne(smtpPort, "sender@example.org", List.of(RCPT), id, body);
                    outcomes.put(id, o);
                    if (o == Outcome.NOT_SENT) sleep(20 + ThreadLocalRandom.current().nextInt(80)); // server down: retry later
                }
            }));
        }
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        double slot = (double) seconds / kills;
        int done = 0;
        long sendingSeconds;
        try {
            while (done < kills) { // every kill happens even if restarts make the run longer than `seconds`
                Thread.sleep((long) (1000 * Math.max(1.5, slot * ThreadLocalRandom.current().nextDouble(0.5, 1.0))));
                gw.kill9();
                done++;
                gw = restart(gw, smtpPort, httpPort, extra);
            }
            long left = end - System.nanoTime();
            if (left > 0) Thread.sleep(left / 1_000_000);
            stop.set(true);
            for (Thread c : clients) c.join(60_000);
            sendingSeconds = (System.nanoTime() - start) / 1_000_000_000L;
            // one more crash with the clients stopped (not counted in `kills`), then a start that drains the queue
            gw.kill9();
            gw = restart(gw, smtpPort, httpPort, extra);
            ItSupport.awaitDrained(List.of(gw), Duration.ofSeconds(90), dir);
        } finally {
            stop.set(true);
            gw.close();
        }

        Map<String, Integer> delivered = ItSupport.countTestIds(false, dir);
        Set<String> accepted = ids(outcomes, Outcome.ACCEPTED);
        Set<String> inDoubt = ids(outcomes, Outcome.IN_DOUBT);
        Set<String> lost = new TreeSet<>(accepted);
        lost.removeAll(delivered.keySet());
        Set<String> unexpected = new TreeSet<>(delivered.keySet());
        unexpected.removeAll(accepted);
        unexpected.removeAll(inDoubt);
        long duplicates = delivered.values().stream().filter(n -> n > 1).count();
        long other = outcomes.values().stream().filter(o -> o == Outcome.OTHER).count();
        long notSent = outcomes.values().stream().filter(o -> o == Outcome.NOT_SENT).count();
        long inDoubtDelivered = inDoubt.stream().filter(delivered::containsKey).count();
        System.out.printf("crash-harness store=%s seconds=%d kills=%d+1 clients=%d attempts=%d accepted=%d in-doubt=%d (delivered %d) other=%d "
                        + "not-sent=%d delivered=%d duplicates=%d lost=%d unexpected=%d%n",
                storeName, sendingSeconds, done, CLIENTS, outcomes.size(), accepted.size(), inDoubt.size(), inDoubtDelivered, other, notSent,
                delivered.size(), duplicates, lost.size(), unexpected.size());

        assertThat(accepted).as("messages answered 250").hasSizeGreaterThan(20);
        assertThat(lost).as("ids answered 250 but not in any Maildir (lost)").isEmpty();
        assertThat(unexpected).as("ids delivered although neither 250 nor in doubt").isEmpty();
        // a copy whose outcome a crash kept from being recorded is found by its name on redelivery, not written again
        assertThat(duplicates).as("messages delivered to the Maildir more than once").isZero();
    }

    private GatewayProcess restart(GatewayProcess old, int smtpPort, int httpPort, List<String> extra) throws Exception {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return GatewayProcess.start(dir, smtpPort, httpPort, extra);
            } catch (IllegalStateException e) { // e.g. the port not yet free again
                last = e;
                Thread.sleep(500);
            }
        }
        throw last;
    }

    private static Set<String> ids(Map<String, Outcome> outcomes, Outcome want) {
        Set<String> s = new TreeSet<>();
        outcomes.forEach((k, v) -> { if (v == want) s.add(k); });
        return s;
    }

    private static void sleep(long ms) {
        try { Thread.sleep(ms); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
    }
}
