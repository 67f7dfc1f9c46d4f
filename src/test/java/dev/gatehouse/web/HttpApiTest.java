// HttpApiTest: the HTTP listener on its own over real HTTP: /healthz following the store, /metrics as a live Prometheus
// scrape, exact paths and read-only methods, security headers, and the port given back by close.
package dev.gatehouse.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gatehouse.observability.Metrics;

class HttpApiTest {

    final Metrics metrics = new Metrics();
    final AtomicBoolean healthy = new AtomicBoolean(true);
    final AtomicInteger healthChecks = new AtomicInteger();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpApi api;

    @BeforeEach void start() throws IOException {
        api = new HttpApi("127.0.0.1", 0, metrics, () -> {
            healthChecks.incrementAndGet();
            return healthy.get();
        });
        api.configure(config -> HttpApi.anyMethod(config, "/adminapi/",
                ctx -> HttpApi.send(ctx, 200, "application/json", "{\"path\":\"" + ctx.path() + "\"}")));
        api.start();
    }

    @AfterEach void stop() {
        api.close();
    }

    private HttpResponse<String> request(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception { return request("GET", path); }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test void healthAsksTheStoreOnEveryRequestAndSays503WhileItDoesNotAnswer() throws Exception {
        HttpResponse<String> ok = get("/healthz");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("{\"status\":\"ok\"}\n");
        assertThat(ok.headers().firstValue("Content-Type")).hasValue("application/json");
        healthy.set(false);
        HttpResponse<String> down = get("/healthz");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).isEqualTo("{\"status\":\"unavailable\"}\n");
        healthy.set(true);
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(healthChecks).hasValue(3);
    }

    @Test void metricsAreALiveScrapeInThePrometheusTextFormat() throws Exception {
        HttpResponse<String> before = get("/metrics");
        assertThat(before.statusCode()).isEqualTo(200);
        assertThat(before.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(before.body()).contains("# TYPE gatehouse_messages_accepted_total counter", "gatehouse_messages_accepted_total 0.0");
        metrics.accepted();
        metrics.accepted();
        metrics.refused("relay_denied");
        String after = get("/metrics").body();
        assertThat(after).contains("gatehouse_messages_accepted_total 2.0", "gatehouse_messages_refused_total{reason=\"relay_denied\"} 1.0");
        assertThat(after).isEqualTo(metrics.scrape());
    }

    @Test void everyAnswerOfOursTellsBrowsersNotToSniffTheContentType() throws Exception {
        for (String path : new String[] {"/healthz", "/metrics", "/adminapi/anything"}) {
            assertThat(get(path).headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
        }
        healthy.set(false);
        assertThat(get("/healthz").headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test void healthAndMetricsAnswerHeadWithoutABodyAndWithoutAServerWarning() throws Exception {
        // monitors often probe with HEAD: the JDK server logs a warning for every HEAD answer that announces a body
        java.util.logging.Logger jdk = java.util.logging.Logger.getLogger("com.sun.net.httpserver");
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler recorder = new Handler() {
            @Override public void publish(LogRecord r) { if (r.getLevel().intValue() >= Level.WARNING.intValue()) warnings.add(r.getMessage()); }
            @Override public void flush() {}
            @Override public void close() {}
        };
        jdk.addHandler(recorder);
        try {
            for (String path : new String[] {"/healthz", "/metrics"}) {
                HttpResponse<String> head = request("HEAD", path);
                assertThat(head.statusCode()).as(path).isEqualTo(200);
                assertThat(head.body()).as(path).isEmpty();
                assertThat(head.headers().firstValue("Content-Type")).as(path).isPresent();
            }
            healthy.set(false);
            assertThat(request("HEAD", "/healthz").statusCode()).isEqualTo(503);
        } finally {
            jdk.removeHandler(recorder);
        }
        assertThat(warnings).isEmpty();
        assertThat(get("/healthz").body()).as("the connection is still usable after HEAD").isEqualTo("{\"status\":\"unavailable\"}\n");
    }

    @Test void healthAndMetricsAreReadOnly() throws Exception {
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
            for (String path : new String[] {"/healthz", "/metrics"}) {
                HttpResponse<String> r = request(method, path);
                assertThat(r.statusCode()).as("%s %s", method, path).isEqualTo(405);
                assertThat(r.headers().firstValue("Allow")).as("%s %s", method, path).hasValue("GET, HEAD");
            }
        }
        assertThat(healthChecks).as("a refused request never asks the store").hasValue(0);
    }

    @Test void onlyTheExactPathsAreServedAndEverythingElseIs404() throws Exception {
        for (String path : new String[] {"/", "/health", "/healthzz", "/healthz/deep", "/metrics.json", "/metrics/x", "/HEALTHZ", "/adminapi",
                "/ADMINAPI/x"}) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).as(path).isEqualTo("{\"error\":{\"code\":\"NotFound\",\"message\":\"No such endpoint: " + path + "\"}}");
        }
        assertThat(healthChecks).hasValue(0);
        assertThat(get("/adminapi/v1/x").body()).as("a routed prefix still gets its whole subtree").isEqualTo("{\"path\":\"/adminapi/v1/x\"}");
    }

    @Test void closeGivesThePortBackAndASecondListenerOnABusyPortFailsNamingIt() throws Exception {
        int port = api.port();
        assertThatThrownBy(() -> new HttpApi("127.0.0.1", port, metrics, () -> true)).isInstanceOf(BindException.class);
        api.close();
        assertThat(bindable(port)).isTrue();
        assertThatThrownBy(() -> get("/healthz")).isInstanceOf(IOException.class);
    }

    @Test void aListenerClosedWithoutEverStartingGivesItsPortBack() throws Exception {
        HttpApi never = new HttpApi("127.0.0.1", 0, metrics, () -> true);
        int port = never.port();
        assertThat(bindable(port)).as("bound while open").isFalse();
        never.close();
        assertThat(bindable(port)).isTrue();
    }

    @Test void aClientTricklingItsHeaderIsCutAtTheLimitWhileOthersAreServed() throws Exception {
        try (HttpApi slow = new HttpApi("127.0.0.1", 0, metrics, () -> true, Duration.ofMillis(800))) {
            slow.start();
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", slow.port())) {
                s.setSoTimeout(10_000);
                var out = s.getOutputStream();
                out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes());
                long start = System.nanoTime();
                boolean cut = false;
                for (int i = 0; i < 40 && !cut; i++) {
                    Thread.sleep(200);
                    HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + slow.port() + "/healthz"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(other.statusCode()).as("a fresh request is answered while the trickler waits").isEqualTo(200);
                    try {
                        out.write("X: y\r\n".getBytes());
                        out.flush();
                    } catch (IOException e) {
                        cut = true;
                    }
                    if (!cut && s.getInputStream().available() < 0) cut = true;
                }
                if (!cut) cut = s.getInputStream().read() == -1;
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertThat(cut).as("the trickling connection was closed").isTrue();
                assertThat(ms).as("closed near the 800 ms limit, not at the end of the trickle").isLessThan(4_000);
            }
        }
    }
}
