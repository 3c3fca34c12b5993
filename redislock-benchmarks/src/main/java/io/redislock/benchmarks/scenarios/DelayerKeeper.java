package io.redislock.benchmarks.scenarios;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A diagnostic device: while armed, keeps one short {@code CompletableFuture.orTimeout} pending, so that
 * the JDK's shared delay scheduler always has an earlier task at its head. A new {@code orTimeout} (such
 * as the one redislock adds to every Redis command) then no longer becomes the head and no longer wakes
 * the scheduler's thread. Comparing a library with and without it measures the cost of those wake-ups.
 *
 * <p>Thread-safety: arm and disarm from one thread.
 */
final class DelayerKeeper {
    private volatile boolean armed;
    private volatile CompletableFuture<Void> current;

    /** Starts keeping a timeout pending. */
    void arm() {
        armed = true;
        rearm();
    }

    private void rearm() {
        if (!armed) {
            return;
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        current = f;
        f.orTimeout(200, TimeUnit.MILLISECONDS).whenComplete((v, e) -> rearm());
    }

    /** Stops; the pending timeout is cancelled (and removed from the scheduler) at once. */
    void disarm() {
        armed = false;
        CompletableFuture<Void> f = current;
        if (f != null) {
            f.cancel(false);
        }
    }
}
