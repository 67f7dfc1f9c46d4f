// Delivery tunables: what is refused, the node's claim owner kept through every change, and the backoff schedule's edges.
package dev.gatehouse.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class DeliverySettingsTest {

    private static DeliverySettings with(int concurrency, int batchSize, String owner) {
        DeliverySettings d = DeliverySettings.defaults();
        return new DeliverySettings(concurrency, batchSize, d.pollInterval(), d.lease(), d.initialBackoff(), d.maxBackoff(), d.maxAge(), owner);
    }

    @Test
    void noConcurrencyOrAnEmptyBatchIsRefusedNamingBoth() {
        assertThatThrownBy(() -> with(0, 256, "n1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("concurrency and batchSize must be >= 1");
        assertThatThrownBy(() -> with(16, 0, "n1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> with(-1, -1, "n1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeliverySettings.defaults().withConcurrency(0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The claim loop's poll ticker sleeps one interval at a time: none would make it spin. */
    @Test
    void aPollIntervalThatIsNotPositiveIsRefusedNamingIt() {
        assertThatThrownBy(() -> DeliverySettings.defaults().withPollInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pollInterval must be positive: PT0S");
        assertThatThrownBy(() -> DeliverySettings.defaults().withPollInterval(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(DeliverySettings.defaults().withPollInterval(Duration.ofMillis(1)).pollInterval()).isEqualTo(Duration.ofMillis(1));
    }

    /** Without a node id each worker gets its own owner, so two unconfigured nodes never take each other's claims as theirs. */
    @Test
    void aMissingOrBlankOwnerBecomesAFreshRandomOne() {
        DeliverySettings a = with(1, 1, null);
        DeliverySettings b = with(1, 1, "  ");
        assertThat(a.ownerId()).isNotBlank().isNotEqualTo(b.ownerId());
        assertThat(b.ownerId()).isNotBlank();
        assertThat(DeliverySettings.defaults().ownerId()).isNotEqualTo(DeliverySettings.defaults().ownerId());
    }

    /**
     * The gateway sets the node id, then the worker derives its own settings from them (one batch in flight):
     * the owner must survive, or a restarted node could not reclaim its own leases at once.
     */
    @Test
    void everyDerivedSettingKeepsTheNodesOwner() {
        DeliverySettings node = DeliverySettings.defaults().withOwner("mx1-4f2a");
        List<DeliverySettings> derived = List.of(node.withConcurrency(1), node.withPollInterval(Duration.ofMillis(5)),
                node.withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(2)), node.withMaxAge(Duration.ofHours(1)),
                node.withLease(Duration.ofSeconds(30)));
        assertThat(derived).extracting(DeliverySettings::ownerId).containsOnly("mx1-4f2a");
        assertThat(node.withConcurrency(1).batchSize()).isEqualTo(node.batchSize());
        assertThat(node.withLease(Duration.ofSeconds(30)).maxAge()).isEqualTo(node.maxAge());
    }

    @Test
    void theFirstRetryWaitsTheInitialBackoffEvenForNonsensicalAttemptNumbers() {
        DeliverySettings s = DeliverySettings.defaults().withBackoff(Duration.ofSeconds(30), Duration.ofHours(1));
        assertThat(s.backoff(0)).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.backoff(-7)).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.backoff(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.backoff(2)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aHugeAttemptCountStaysAtTheCapWithoutOverflowing() {
        DeliverySettings s = DeliverySettings.defaults().withBackoff(Duration.ofDays(1), Duration.ofDays(3));
        assertThat(s.backoff(Integer.MAX_VALUE)).isEqualTo(Duration.ofDays(3));
        assertThat(s.backoff(31)).isEqualTo(Duration.ofDays(3));
        assertThat(s.backoff(2)).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void anInitialBackoffAboveTheCapIsCappedFromTheFirstRetry() {
        DeliverySettings s = DeliverySettings.defaults().withBackoff(Duration.ofHours(2), Duration.ofHours(1));
        assertThat(s.backoff(1)).isEqualTo(Duration.ofHours(1));
    }
}
