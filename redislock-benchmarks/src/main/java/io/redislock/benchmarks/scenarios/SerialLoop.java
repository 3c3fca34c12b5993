package io.redislock.benchmarks.scenarios;

import io.redislock.benchmarks.Samples;
import io.redislock.benchmarks.peers.Locker;

/**
 * One thread taking and releasing a lock back to back for a fixed time, timing each acquisition and
 * each lock+release pair.
 *
 * <p>Thread-safety: not thread-safe; one per block.
 */
final class SerialLoop {
    /** Upper bound on operations per block, whatever the clock says. */
    static final long MAX_OPS = 5_000_000;

    long ops;
    long elapsedNanos;
    final Samples pairNanos = new Samples();
    final Samples acquireNanos = new Samples();

    /**
     * Runs the loop.
     *
     * @param locker the lock user
     * @param durationNanos how long
     * @param maxOps at most this many pairs
     * @return this loop, with its counts and samples
     * @throws Exception the first failure
     */
    SerialLoop run(Locker locker, long durationNanos, long maxOps) throws Exception {
        long start = System.nanoTime();
        long end = start + durationNanos;
        long now = start;
        long limit = Math.min(maxOps, MAX_OPS);
        while (ops < limit && now - end < 0) {
            long t0 = now;
            locker.lock();
            long t1 = System.nanoTime();
            locker.unlock();
            now = System.nanoTime();
            acquireNanos.add(t1 - t0);
            pairNanos.add(now - t0);
            ops++;
        }
        elapsedNanos = now - start;
        return this;
    }

    /** @return pairs per second */
    double opsPerSecond() {
        return elapsedNanos <= 0 ? Double.NaN : ops * 1e9 / elapsedNanos;
    }
}
