// Test fixture: a hunting service whose queries wait until let go, for the tests of what a full hunting service answers.
package dev.gatehouse.web;

import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.gatehouse.admin.AdminServices;
import dev.gatehouse.hunting.HuntingService;
import dev.gatehouse.hunting.HuntingTables;
import dev.gatehouse.kql.KqlEngine;

/**
 * Every query this service takes waits (holding its slot, or its place in line) until {@link #release()}, then runs
 * for real. {@link #fill} sends one request after another until one is answered at once: the refusal of a full
 * service; the ones still waiting are the {@value HuntingService#RUNNING} running and {@value HuntingService#WAITING}
 * waiting. Closing lets every held query go and stops the service.
 */
public final class HeldHunting implements AutoCloseable {
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    public final HuntingService service = new HuntingService(new HuntingTables(Instant.now(), 1000), Clock.systemUTC(),
            (q, c, o, cancelled) -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return KqlEngine.run(q, c, o, cancelled);
            });

    /** The answer that came at once, and the requests still held. */
    public record Filled(HttpResponse<String> refused, List<Future<HttpResponse<String>>> held) {}

    /** {@code base}'s services with this hunting service in place of its own. */
    public AdminServices in(AdminServices base) {
        return new AdminServices(base.store(), base.tenants(), base.domains(), base.mailboxes(), base.orgConfig(), base.tokens(),
                base.historicalSearch(), service, base.senderChecks());
    }

    /**
     * Sends {@code request} until one is answered instead of taken by the service (at most 20 times); null refused if
     * none was. Each request is sent once the one before was answered or taken, so the order is the service's.
     */
    public Filled fill(HttpClient client, HttpRequest request) throws Exception {
        List<Future<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int taken = service.inProgress();
            var f = threads.submit(() -> client.send(request, HttpResponse.BodyHandlers.ofString()));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2)).until(() -> f.isDone() || service.inProgress() != taken);
            if (f.isDone()) return new Filled(f.get(), held);
            held.add(f); // taken: running or waiting for a slot
        }
        return new Filled(null, held);
    }

    /** Lets every held query run. */
    public void release() { release.countDown(); }

    @Override public void close() {
        release();
        threads.close();
        service.close();
    }
}
