// The gateway's Prometheus metrics: one place, so every name has its HELP text and its unit.
package dev.gatehouse.observability;

import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The gateway's Prometheus metrics, served as text at {@code /metrics}: SMTP connections (open now, opened,
 * refused), messages accepted and refused by reason, what became of recipients (delivered, relayed,
 * quarantined, deferred, failed, bounced), commit latency and batch size, end-of-data latency, and the
 * delivery queue depth. Every metric carries HELP text. Latencies and sizes are Prometheus histograms
 * (cumulative buckets, aggregated by the server over any window): the client-side quantiles they replace
 * decayed to 0 a few minutes after a burst and can't be summed across nodes.
 */
public final class Metrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicLong openConnections = new AtomicLong();
    private final java.util.List<Outcomes> agents = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Counter connections;
    private final Counter accepted;
    private final Counter quarantined;
    private final Timer commitLatency;
    private final Timer endOfData;
    private final DistributionSummary commitBatch;

    public Metrics() {
        Gauge.builder("gatehouse_smtp_connections_open", openConnections, AtomicLong::get)
                .description("SMTP connections open now").register(registry);
        connections = Counter.builder("gatehouse_smtp_connections").description("SMTP connections accepted").register(registry);
        accepted = Counter.builder("gatehouse_messages_accepted").description("messages accepted (250 after DATA/BDAT)").register(registry);
        quarantined = Counter.builder("gatehouse_recipients_quarantined")
                .description("recipient copies put in the hosted quarantine by mail flow rules").register(registry);
        commitLatency = Timer.builder("gatehouse_commit_latency").description("duration of one group commit, fsync included")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        endOfData = Timer.builder("gatehouse_end_of_data_to_reply").description("time from the client's end of data to our 250")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        commitBatch = DistributionSummary.builder("gatehouse_commit_batch_size").description("writes carried by one group commit")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512).register(registry);
    }

    /** Every 4xx/5xx the SMTP engine sent, by reply code and enhanced status code. */
    public void smtpRejection(int code, String enhanced) {
        Counter.builder("gatehouse_smtp_rejections").description("4xx and 5xx replies the SMTP engine sent, by code")
                .tags("code", String.valueOf(code), "enhanced", enhanced == null ? "" : enhanced).register(registry).increment();
    }

    public void endOfDataToReply(long nanos) { endOfData.record(nanos, TimeUnit.NANOSECONDS); }

    /** Records one group commit: how many writes it carried and how long the commit (fsync included) took. */
    public void groupCommit(int tasks, long commitNanos) {
        commitLatency.record(commitNanos, TimeUnit.NANOSECONDS);
        commitBatch.record(tasks);
    }

    public void connectionOpened() { connections.increment(); openConnections.incrementAndGet(); }

    public void connectionClosed() { openConnections.decrementAndGet(); }

    public void connectionRefused(String reason) {
        Counter.builder("gatehouse_smtp_connections_refused").description("SMTP connections refused before the greeting, by reason")
                .tag("reason", reason).register(registry).increment();
    }

    public void accepted() { accepted.increment(); }

    /** Recipient copies a message put in quarantine when it was accepted. */
    public void quarantined(int recipients) { if (recipients > 0) quarantined.increment(recipients); }

    /** A refused recipient or message; reason is a short stable label such as {@code relay_denied} or {@code unknown_recipient}. */
    public void refused(String reason) {
        Counter.builder("gatehouse_messages_refused").description("recipients refused at RCPT TO and messages refused at end of data, by reason")
                .tag("reason", reason).register(registry).increment();
    }

    /** One message whose header section was normalised ({@code mail.HeaderSection}), counted per kind of repair. */
    public void headerRepaired(Collection<? extends Enum<?>> repairs) {
        Set<String> kinds = new TreeSet<>();
        for (Enum<?> kind : repairs) kinds.add(kind.name().toLowerCase(Locale.ROOT));
        for (String kind : kinds) {
            Counter.builder("gatehouse_header_repairs").description("messages whose header section was normalised, by kind of repair")
                    .tag("kind", kind).register(registry).increment();
        }
    }

    /** What a delivery agent has recorded since start, read when Prometheus scrapes. */
    public interface Outcomes {
        long delivered();

        long deferred();

        long failed();

        long bounced();
    }

    /**
     * The outcomes of a delivery agent as counters: local delivery's {@code delivered} are
     * {@code gatehouse_recipients_delivered}, the relay's {@code gatehouse_recipients_relayed}; deferrals,
     * failures and the NDRs written for failures are labelled with the agent.
     */
    public void deliveryAgent(String agent, Outcomes o) {
        agents.add(o); // Micrometer holds a function counter's object weakly
        String done = agent.equals("relay") ? "gatehouse_recipients_relayed" : "gatehouse_recipients_delivered";
        FunctionCounter.builder(done, o, Outcomes::delivered)
                .description(agent.equals("relay") ? "recipients handed to the next hop (2xx)" : "recipients delivered into a Maildir")
                .register(registry);
        FunctionCounter.builder("gatehouse_recipients_deferred", o, Outcomes::deferred).tag("agent", agent)
                .description("delivery attempts deferred for a retry, by agent").register(registry);
        FunctionCounter.builder("gatehouse_recipients_failed", o, Outcomes::failed).tag("agent", agent)
                .description("recipients that finally failed (refused by the next hop, expired, gone), by agent").register(registry);
        FunctionCounter.builder("gatehouse_bounces", o, Outcomes::bounced).tag("cause", agent)
                .description("non-delivery reports queued to senders, by cause").register(registry);
    }

    /** NDRs written when a message was accepted (rules rejected some recipients). */
    public void bounced(int ndrs) {
        if (ndrs > 0) {
            Counter.builder("gatehouse_bounces").description("non-delivery reports queued to senders, by cause").tag("cause", "rules")
                    .register(registry).increment(ndrs);
        }
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
