package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/** A write taken back before the committer starts it never runs; one already started can't be taken back. */
class WithdrawnWriteTest {

    @Test
    void aWithdrawnWriteNeverRunsAndAStartedOneCannotBeWithdrawn() throws Exception {
        try (TestDatabase db = new TestDatabase(TestDatabase.Kind.SQLITE); Store store = db.open()) {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            PendingWrite<Void> blocking = store.write(ctx -> {
                running.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS); // holds the committer, as a stalled disk would
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            AtomicBoolean ran = new AtomicBoolean();
            PendingWrite<Void> waiting = store.write(ctx -> {
                ran.set(true);
                return null;
            });
            assertThat(blocking.withdraw()).as("already started").isFalse();
            assertThat(waiting.withdraw()).as("not started yet").isTrue();
            release.countDown();
            blocking.get(10, TimeUnit.SECONDS);
            store.write(ctx -> null).get(10, TimeUnit.SECONDS); // a later commit has passed the withdrawn write
            assertThat(ran).isFalse();
            assertThatThrownBy(waiting::join).isInstanceOf(CancellationException.class);
        }
    }
}
