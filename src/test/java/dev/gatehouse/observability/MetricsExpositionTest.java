// What a Prometheus scrape of /metrics shows an operator: names, labels, HELP text, histogram buckets and both delivery agents.
package dev.gatehouse.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class MetricsExpositionTest {

    private static Metrics.Outcomes outcomes(long delivered, long deferred, long failed, long bounced) {
        return new Metrics.Outcomes() {
            @Override public long delivered() { return delivered; }
            @Override public long deferred() { return deferred; }
            @Override public long failed() { return failed; }
            @Override public long bounced() { return bounced; }
        };
    }

    /** The sample value of the line that starts with {@code series + " "}, or null when there is none. */
    private static Double sample(String scrape, String series) {
        return scrape.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1))).orElse(null);
    }

    @Test
    void openConnectionsFollowOpensAndClosesWhileTheTotalOnlyGrows() {
        Metrics m = new Metrics();
        m.connectionOpened();
        m.connectionOpened();
        m.connectionOpened();
        m.connectionClosed();
        String text = m.scrape();
        assertThat(sample(text, "gatehouse_smtp_connections_open")).isEqualTo(2.0);
        assertThat(sample(text, "gatehouse_smtp_connections_total")).isEqualTo(3.0);
        m.connectionClosed();
        m.connectionClosed();
        assertThat(sample(m.scrape(), "gatehouse_smtp_connections_open")).isZero();
        assertThat(sample(m.scrape(), "gatehouse_smtp_connections_total")).isEqualTo(3.0);
    }

    @Test
    void rejectionsRefusalsAndRefusedConnectionsAreOneSeriesPerLabel() {
        Metrics m = new Metrics();
        m.smtpRejection(550, "5.7.64");
        m.smtpRejection(550, "5.7.64");
        m.smtpRejection(550, "5.4.1");
        m.smtpRejection(421, null);
        m.refused("relay_denied");
        m.refused("relay_denied");
        m.refused("queue_failed");
        m.connectionRefused("too_many_from_ip");
        String text = m.scrape();
        assertThat(sample(text, "gatehouse_smtp_rejections_total{code=\"550\",enhanced=\"5.7.64\"}")).isEqualTo(2.0);
        assertThat(sample(text, "gatehouse_smtp_rejections_total{code=\"550\",enhanced=\"5.4.1\"}")).isEqualTo(1.0);
        assertThat(sample(text, "gatehouse_smtp_rejections_total{code=\"421\",enhanced=\"\"}")).as("no enhanced code").isEqualTo(1.0);
        assertThat(sample(text, "gatehouse_messages_refused_total{reason=\"relay_denied\"}")).isEqualTo(2.0);
        assertThat(sample(text, "gatehouse_messages_refused_total{reason=\"queue_failed\"}")).isEqualTo(1.0);
        assertThat(sample(text, "gatehouse_smtp_connections_refused_total{reason=\"too_many_from_ip\"}")).isEqualTo(1.0);
    }

    private enum Repair { BARE_LF, OVERLONG_LINE }

    @Test
    void aRepairedHeaderCountsOncePerKindPerMessageInLowerCase() {
        Metrics m = new Metrics();
        m.headerRepaired(List.of(Repair.BARE_LF, Repair.BARE_LF, Repair.OVERLONG_LINE));
        m.headerRepaired(List.of(Repair.BARE_LF));
        m.headerRepaired(List.of());
        String text = m.scrape();
        assertThat(sample(text, "gatehouse_header_repairs_total{kind=\"bare_lf\"}")).isEqualTo(2.0);
        assertThat(sample(text, "gatehouse_header_repairs_total{kind=\"overlong_line\"}")).isEqualTo(1.0);
    }

    @Test
    void nothingQuarantinedOrBouncedAddsNothing() {
        Metrics m = new Metrics();
        m.quarantined(0);
        m.bounced(0);
        m.bounced(-1);
        String text = m.scrape();
        assertThat(sample(text, "gatehouse_recipients_quarantined_total")).isZero();
        assertThat(text).doesNotContain("cause=\"rules\"");
        m.quarantined(3);
        m.bounced(2);
        text = m.scrape();
        assertThat(sample(text, "gatehouse_recipients_quarantined_total")).isEqualTo(3.0);
        assertThat(sample(text, "gatehouse_bounces_total{cause=\"rules\"}")).isEqualTo(2.0);
    }

    @Test
    void bothDeliveryAgentsAndTheRulesReportSideBySideEachUnderItsOwnLabel() {
        Metrics m = new Metrics();
        long[] relayed = {4};
        m.deliveryAgent("local", outcomes(10, 2, 1, 1));
        m.deliveryAgent("relay", new Metrics.Outcomes() {
            @Override public long delivered() { return relayed[0]; }
            @Override public long deferred() { return 5; }
            @Override public long failed() { return 3; }
            @Override public long bounced() { return 3; }
        });
        m.bounced(1);
        String text = m.scrape();
        assertThat(sample(text, "gatehouse_recipients_delivered_total")).isEqualTo(10.0);
        assertThat(sample(text, "gatehouse_recipients_relayed_total")).isEqualTo(4.0);
        assertThat(sample(text, "gatehouse_recipients_deferred_total{agent=\"local\"}")).isEqualTo(2.0);
        assertThat(sample(text, "gatehouse_recipients_deferred_total{agent=\"relay\"}")).isEqualTo(5.0);
        assertThat(sample(text, "gatehouse_recipients_failed_total{agent=\"relay\"}")).isEqualTo(3.0);
        assertThat(sample(text, "gatehouse_bounces_total{cause=\"local\"}")).isEqualTo(1.0);
        assertThat(sample(text, "gatehouse_bounces_total{cause=\"relay\"}")).isEqualTo(3.0);
        assertThat(sample(text, "gatehouse_bounces_total{cause=\"rules\"}")).isEqualTo(1.0);
        assertThat(text).contains("# HELP gatehouse_recipients_relayed_total recipients handed to the next hop (2xx)",
                "# HELP gatehouse_recipients_delivered_total recipients delivered into a Maildir");
        relayed[0] = 6;
        assertThat(sample(m.scrape(), "gatehouse_recipients_relayed_total")).as("read at every scrape").isEqualTo(6.0);
    }

    @Test
    void latenciesAreInSecondsWithCumulativeBucketsThatEndInTheCount() {
        Metrics m = new Metrics();
        m.endOfDataToReply(TimeUnit.MILLISECONDS.toNanos(2));
        m.endOfDataToReply(TimeUnit.MILLISECONDS.toNanos(40));
        m.endOfDataToReply(TimeUnit.SECONDS.toNanos(60)); // beyond the largest bucket: still counted
        String text = m.scrape();
        assertThat(sample(text, "gatehouse_end_of_data_to_reply_seconds_count")).isEqualTo(3.0);
        assertThat(sample(text, "gatehouse_end_of_data_to_reply_seconds_sum")).isCloseTo(60.042, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(sample(text, "gatehouse_end_of_data_to_reply_seconds_bucket{le=\"+Inf\"}")).isEqualTo(3.0);
        List<Double> buckets = text.lines().filter(l -> l.startsWith("gatehouse_end_of_data_to_reply_seconds_bucket"))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).toList();
        assertThat(buckets).hasSizeGreaterThan(10).isSorted();
        assertThat(buckets.getFirst()).as("nothing at or under a millisecond").isZero();
        assertThat(sample(text, "gatehouse_end_of_data_to_reply_seconds_bucket{le=\"30.0\"}")).isEqualTo(2.0);
    }

    @Test
    void commitBatchSizesFallIntoPowerOfTwoBuckets() {
        Metrics m = new Metrics();
        m.groupCommit(1, 1_000_000);
        m.groupCommit(3, 1_000_000);
        m.groupCommit(256, 4_000_000);
        String text = m.scrape();
        assertThat(sample(text, "gatehouse_commit_batch_size_bucket{le=\"1.0\"}")).isEqualTo(1.0);
        assertThat(sample(text, "gatehouse_commit_batch_size_bucket{le=\"2.0\"}")).isEqualTo(1.0);
        assertThat(sample(text, "gatehouse_commit_batch_size_bucket{le=\"4.0\"}")).isEqualTo(2.0);
        assertThat(sample(text, "gatehouse_commit_batch_size_bucket{le=\"128.0\"}")).isEqualTo(2.0);
        assertThat(sample(text, "gatehouse_commit_batch_size_bucket{le=\"256.0\"}")).isEqualTo(3.0);
        assertThat(sample(text, "gatehouse_commit_batch_size_sum")).isEqualTo(260.0);
        assertThat(sample(text, "gatehouse_commit_latency_seconds_count")).isEqualTo(3.0);
        assertThat(sample(text, "gatehouse_commit_latency_seconds_sum")).isCloseTo(0.006, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void everySeriesBelongsToAFamilyWithTypeAndHelpAndEveryNameIsOurs() {
        Metrics m = new Metrics();
        m.connectionOpened();
        m.connectionRefused("too_many_total");
        m.smtpRejection(550, "5.7.1");
        m.refused("transport_rule");
        m.headerRepaired(List.of(Repair.BARE_LF));
        m.deliveryAgent("local", outcomes(1, 0, 0, 0));
        m.deliveryAgent("relay", outcomes(1, 0, 0, 0));
        m.bounced(1);
        m.queueDepth(() -> 5);
        m.gauge("gatehouse_refusal_log_dropped", "refusal log rows dropped because the store fell behind", () -> 0);
        String text = m.scrape();
        Set<String> typed = new HashSet<>();
        Set<String> helped = new HashSet<>();
        for (String line : text.lines().toList()) {
            if (line.startsWith("# TYPE ")) typed.add(line.split(" ")[2]);
            else if (line.startsWith("# HELP ")) helped.add(line.split(" ")[2]);
        }
        assertThat(typed).isEqualTo(helped);
        for (String line : text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList()) {
            String name = line.split("[{ ]")[0];
            assertThat(name).as(line).startsWith("gatehouse_");
            String family = name.replaceAll("_(bucket|count|sum)$", "");
            assertThat(typed).as("a # TYPE line for %s", line).containsAnyOf(name, family);
        }
        assertThat(text).contains("# HELP gatehouse_queue_depth recipients waiting for delivery", "gatehouse_queue_depth 5.0",
                "# HELP gatehouse_refusal_log_dropped refusal log rows dropped because the store fell behind",
                "# TYPE gatehouse_queue_depth gauge");
    }
}
