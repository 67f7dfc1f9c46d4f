package dev.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.it.ItSupport.Outcome;

/**
 * Two gateway processes on one PostgreSQL schema (two data dirs, their own ports): both accept mail and
 * both deliver from the shared queue, and every recipient of every message lands in exactly one
 * Maildir across both nodes (no recipient delivered twice by competing workers, none forgotten).
 */
class TwoNodesIT {

    @TempDir Path dir;

    @Test
    void sharedPostgresQueueDeliversEveryRecipientExactlyOnce() throws Exception {
        Path a = Files.createDirectories(dir.resolve("node-a"));
        Path b = Files.createDirectories(dir.resolve("node-b"));
        List<String> rcpts = List.of("alice@contoso.com", "bob@contoso.com");
        int messages = 300;
        try (ItSupport.PgSchema pg = new ItSupport.PgSchema()) {
            ItSupport.provision(pg.url, a, "contoso", "contoso.com", rcpts.toArray(String[]::new));
            try (GatewayProcess nodeA = GatewayProcess.start(a, List.of("--store", pg.url, "--node-id", "node-a"));
                 GatewayProcess nodeB = GatewayProcess.start(b, List.of("--store", pg.url, "--node-id", "node-b"))) {
                List<Future<Outcome>> results = new ArrayList<>();
                try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
                    for (int i = 0; i < messages; i++) {
                        int port = i % 2 == 0 ? nodeA.smtpPort : nodeB.smtpPort;
                        String id = "two-" + i;
                        results.add(pool.submit(() -> ItSupport.sendOne(port, "sender@example.org", rcpts, id, "hello " + id)));
                    }
                }
                for (Future<Outcome> f : results) assertThat(f.get()).isEqualTo(Outcome.ACCEPTED);
                ItSupport.awaitDrained(List.of(nodeA, nodeB), Duration.ofSeconds(60), a, b);

                Map<String, Integer> counts = ItSupport.countTestIds(true, a, b);
                Map<String, Integer> wrong = new TreeMap<>();
                for (int i = 0; i < messages; i++) {
                    for (String r : rcpts) {
                        int n = counts.getOrDefault("two-" + i + " " + r, 0);
                        if (n != 1) wrong.put("two-" + i + " " + r, n);
                    }
                }
                int onA = ItSupport.deliveredFiles(a).size();
                int onB = ItSupport.deliveredFiles(b).size();
                System.out.printf("two-nodes messages=%d recipients=%d delivered-by-a=%d delivered-by-b=%d%n", messages,
                        messages * rcpts.size(), onA, onB);
                assertThat(wrong).as("(X-Test-Id, mailbox) pairs not delivered exactly once").isEmpty();
                assertThat(onA + onB).isEqualTo(messages * rcpts.size());
            }
        }
    }
}
