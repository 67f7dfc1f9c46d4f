package dev.gatehouse.observability;


import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void queueDepthGaugeSurvivesGarbageCollection() throws Exception {
        Metrics m = new Metrics();
        long[] depth = {7};
        m.queueDepth(() -> depth[0]);
        m.gauge("gatehouse_test_gauge", "test", () -> 3);
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertThat(m.scrape()).contains("gatehouse_queue_depth 7.0").contains("gatehouse_test_gauge 3.0");
    }

    @Test
    void everyMetricHasHelpTextAndLatenciesAreHistogramsThatDoNotDecayToZero() {
        Metrics m = new Metrics();
        m.connectionOpened();
        m.connectionRefused("too_many_total");
        m.smtpRejection(550, "5.7.1");
        m.refused("relay_denied");
        m.accepted();
        m.quarantined(2);
        m.bounced(1);
        m.endOfDataToReply(3_000_000);
        m.groupCommit(5, 2_000_000);
        m.headerRepaired(java.util.List.of(java.util.concurrent.TimeUnit.SECONDS));
        long[] delivered = {7};
        m.deliveryAgent("local", new Metrics.Outcomes() {
            @Override public long delivered() { return delivered[0]; }
            @Override public long deferred() { return 2; }
            @Override public long failed() { return 1; }
            @Override public long bounced() { return 1; }
        });
        System.gc();
        String text = m.scrape();
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) assertThat(line.split(" ", 4)).as(line).hasSize(4);
        }
        assertThat(text.lines().filter(l -> l.startsWith("# HELP ")).count()).isEqualTo(text.lines().filter(l -> l.startsWith("# TYPE ")).count());
        assertThat(text).contains("# TYPE gatehouse_end_of_data_to_reply_seconds histogram")
                .contains("# TYPE gatehouse_commit_latency_seconds histogram")
                .contains("gatehouse_commit_batch_size_bucket{le=\"8.0\"} 1")
                .doesNotContain("quantile=");
        assertThat(text).contains("gatehouse_recipients_delivered_total 7.0", "gatehouse_recipients_deferred_total{agent=\"local\"} 2.0",
                "gatehouse_recipients_failed_total{agent=\"local\"} 1.0", "gatehouse_recipients_quarantined_total 2.0",
                "gatehouse_bounces_total{cause=\"local\"} 1.0", "gatehouse_bounces_total{cause=\"rules\"} 1.0");
        delivered[0] = 9;
        assertThat(m.scrape()).contains("gatehouse_recipients_delivered_total 9.0");
    }
}
