// When a woken feed reads: at once after a quiet spell (a hunter sees a lone message without waiting), at most once per
// COALESCE while commits keep coming (one read takes many commits' events).
package dev.gatehouse.hunting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class HuntingFeedWakeTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aWakeAfterAQuietSpellReadsAtOnceAndABusyFeedReadsAtMostOncePerCoalesceInterval() {
        long last = 1_000_000 * MS;
        long coalesce = HuntingFeed.COALESCE.toMillis();
        assertThat(coalesce).isBetween(50L, 500L); // the lag a hunter may see, well under a second
        assertThat(HuntingFeed.readDelayMillis(last, last)).isEqualTo(coalesce);
        assertThat(HuntingFeed.readDelayMillis(last, last + 100 * MS)).isEqualTo(coalesce - 100);
        assertThat(HuntingFeed.readDelayMillis(last, last + coalesce * MS)).isZero();
        assertThat(HuntingFeed.readDelayMillis(last, last + 60_000 * MS)).isZero();
    }
}
