package io.redislock.benchmarks.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.redislock.benchmarks.peers.Locker;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ContendedBlockTest {
    /** A fair in-process lock whose every acquisition first sleeps, so that the last ones land after the window. */
    private static final class SlowLocker implements Locker {
        private final ReentrantLock lock;
        private final long sleepMillis;

        SlowLocker(ReentrantLock lock, long sleepMillis) {
            this.lock = lock;
            this.sleepMillis = sleepMillis;
        }

        @Override
        public void lock() throws InterruptedException {
            Thread.sleep(sleepMillis);
            lock.lock();
        }

        @Override
        public void unlock() {
            lock.unlock();
        }

        @Override
        public void close() {}
    }

    @Test
    void handOffsAndWaitsCountOnlyAcquisitionsInsideTheWindow() throws InterruptedException {
        ReentrantLock shared = new ReentrantLock(true);
        // acquisitions at about 60 and 120 ms inside a 150 ms window, one more at about 180 ms while draining
        ContendedBlock b = new ContendedBlock().run(
                List.of(new SlowLocker(shared, 60), new SlowLocker(shared, 60)),
                TimeUnit.MILLISECONDS.toNanos(150), TimeUnit.SECONDS.toNanos(10));

        assertThat(b.timedOut).isFalse();
        assertThat(b.inWindow()).isPositive().isLessThan(b.total());
        assertThat(b.waits().size()).isEqualTo(b.inWindow());
        assertThat(b.waits().percentile(50)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(60));
        // the two drain acquisitions come back to back from different workers: at least one hand-off there
        assertThat(b.handoffs().count()).isLessThan(b.changes());
    }
}
