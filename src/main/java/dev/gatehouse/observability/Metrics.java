package dev.gatehouse.observability;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The gateway's Prometheus metrics, one place so names stay consistent: SMTP connections (open now,
 * opened, refused), messages accepted and refused by reason, commit latency and batch size, and the
 * delivery queue depth. Served as text at {@code /metrics}.
 */
public final class Metrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicLong openConnections = new AtomicLong();
    private final Counter connections;
    private final Counter accepted;
    private final Timer commitLatency;
    private final Timer endOfData;

    public Metrics() {
        Gauge.builder("gatehouse_smtp_connections_open", openConnections, AtomicLong::get)
                .description("SMTP connections open now").register(registry);
        connections = Counter.builder("gatehouse_smtp_connections").description("SMTP connections accepted").register(registry);
        accepted = Counter.builder("gatehouse_messages_accepted").description("messages accepted (250 after DATA/BDAT)").register(registry);
        commitLatency = Timer.builder("gatehouse_commit_latency").description("duration of one group commit, fsync included")
                .publishPercentiles(0.5, 0.99).register(registry);
        endOfData = Timer.builder("gatehouse_end_of_data_to_reply").description("time from the client's end of data to our 250")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    /** Every 4xx/5xx the SMTP engine sent, by reply code and enhanced status code. */
    public void smtpRejection(int code, String enhanced) {
        registry.counter("gatehouse_smtp_rejections", "code", String.valueOf(code), "enhanced", enhanced == null ? "" : enhanced).increment();
    }

    public void endOfDataToReply(long nanos) { endOfData.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS); }

    /** Records one group commit: how many writes it carried and how long the commit (fsync included) took. */
    public void groupCommit(int tasks, long commitNanos) {
        commitLatency.record(commitNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        registry.summary("gatehouse_commit_batch_size").record(tasks);
    }

    public void connectionOpened() { connections.increment(); openConnections.incrementAndGet(); }

    public void connectionClosed() { openConnections.decrementAndGet(); }

    public void connectionRefused(String reason) {
        registry.counter("gatehouse_smtp_connections_refused", "reason", reason).increment();
    }

    public void accepted() { accepted.increment(); }

    /** A refused recipient or message; reason is a short stable label such as {@code relay} or {@code unknown_recipient}. */
    public void refused(String reason) {
        registry.counter("gatehouse_messages_refused", "reason", reason).increment();
    }

    /** One message whose header section was normalised ({@code mail.HeaderSection}), counted per kind of repair. */
    public void headerRepaired(java.util.Collection<? extends Enum<?>> repairs) {
        java.util.Set<String> kinds = new java.util.TreeSet<>();
        for (Enum<?> kind : repairs) kinds.add(kind.name().toLowerCase(java.util.Locale.ROOT));
        for (String kind : kinds) registry.counter("gatehouse_header_repairs", "kind", kind).increment();
    }

    // strongReference: Micrometer holds a gauge's object weakly, and nothing else keeps these lambdas
    // alive, so without it the gauge reads NaN after the first GC
    public void queueDepth(LongSupplier depth) {
        Gauge.builder("gatehouse_queue_depth", depth, s -> s.getAsLong())
                .description("recipients waiting for delivery").strongReference(true).register(registry);
    }

    public void gauge(String name, String description, LongSupplier value) {
        Gauge.builder(name, value, s -> s.getAsLong()).description(description).strongReference(true).register(registry);
    }

    public String scrape() { return registry.scrape(); }
}
