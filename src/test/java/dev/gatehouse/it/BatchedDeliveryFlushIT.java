package dev.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.it.ItSupport.Outcome;

/**
 * Local delivery makes a whole batch durable with one flush for the files and one for their renames, and
 * it calls the flush a C program would call ({@code syncfs} found by {@code dlsym}). The gateway runs on
 * the benchmark's slow-disk emulation ({@code bench/slow-fsync.c}, 50 serial flushes per second, which
 * also counts the calls): 60 messages must arrive intact in the Maildir with far fewer {@code syncfs}
 * calls than messages; one flush pair per message would be 120.
 */
class BatchedDeliveryFlushIT {

    @TempDir Path dir;

    @Test
    void aBurstIsDeliveredWithFewerFlushesThanMessages() throws Exception {
        Path shim = dir.resolve("slow-fsync.so");
        Process gcc = new ProcessBuilder("gcc", "-O2", "-shared", "-fPIC", "-o", shim.toString(), "bench/slow-fsync.c", "-ldl", "-lpthread")
                .inheritIO().start();
        assertThat(gcc.waitFor()).as("gcc builds bench/slow-fsync.c").isZero();
        Path data = dir.resolve("data");
        String guid = ItSupport.provision(null, data, "contoso", "contoso.com", "alice@contoso.com");
        Path log = dir.resolve("flushes.log");
        Map<String, String> env = Map.of("LD_PRELOAD", shim.toString(), "SLOW_FSYNC_RATE", "50",
                "SLOW_FSYNC_LOCK", dir.resolve("flush.lock").toString(), "SLOW_FSYNC_LOG", log.toString());
        int[] ports = GatewayProcess.freePorts(2);
        int smtp = ports[0], http = ports[1];
        Path newDir = data.resolve("mail").resolve(guid).resolve("alice@contoso.com").resolve("new");
        try (GatewayProcess gw = GatewayProcess.launch(GatewayProcess.serveArgs(data, smtp, http, List.of()), env, smtp, http)) {
            AtomicInteger next = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            List<Outcome> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 6; t++) {
                clients.add(Thread.ofPlatform().start(() -> {
                    for (int i; (i = next.incrementAndGet()) <= 60; ) {
                        outcomes.add(ItSupport.sendOne(smtp, "sender@example.org", List.of("alice@contoso.com"), "burst-" + i, "z".repeat(3000)));
                    }
                }));
            }
            for (Thread c : clients) c.join(60_000);
            assertThat(outcomes).hasSize(60).containsOnly(Outcome.ACCEPTED);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (count(newDir) < 60 && System.nanoTime() < deadline) Thread.sleep(100);
            assertThat(count(newDir)).isEqualTo(60);
            List<String> bodies = new ArrayList<>();
            try (Stream<Path> files = Files.list(newDir)) {
                for (Path f : files.toList()) bodies.add(Files.readString(f));
            }
            assertThat(bodies).allSatisfy(b -> assertThat(b).contains("z".repeat(3000)).endsWith("\r\n"));
            assertThat(bodies.stream().map(b -> b.replaceAll("(?s).*X-Test-Id: (burst-\\d+)\r\n.*", "$1")))
                    .as("each message once").containsExactlyInAnyOrderElementsOf(
                            java.util.stream.IntStream.rangeClosed(1, 60).mapToObj(i -> "burst-" + i).toList());
            assertThat(gw.terminate(Duration.ofSeconds(30))).isZero(); // the shim writes its counts at exit
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).as("the gateway process flushed through the shim").hasSize(1);
        String[] fields = lines.getFirst().trim().split(" ");
        long syncfs = Long.parseLong(fields[3]);
        assertThat(syncfs).as("syncfs calls for 60 messages (flushes in all: %s)", fields[1]).isBetween(2L, 59L);
    }

    private static long count(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
