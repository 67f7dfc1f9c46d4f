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
}
