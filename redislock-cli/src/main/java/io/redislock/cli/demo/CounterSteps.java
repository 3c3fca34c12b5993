package io.redislock.cli.demo;

import io.redislock.DistributedLock;
import io.redislock.Lease;
import io.redislock.LockClient;
import io.redislock.LockOptions;
import io.redislock.LockTimeoutException;
import io.redislock.LockUnavailableException;
import io.redislock.testing.RedisServer;
import java.time.Duration;
import java.util.List;

/**
 * The demo's unit of work: a deliberately racy increment of a "stock" counter (GET, then SET value+1:
 * two separate commands), with or without a lock around it.
 *
 * <p>Thread-safety: each step belongs to one worker thread.
 */
public final class CounterSteps {
    /** The lease of the demo's locks; far longer than one increment. */
    public static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration ACQUIRE_WAIT = Duration.ofSeconds(10);

    private CounterSteps() {}

    /**
     * Increments without any lock: concurrent workers overwrite each other's updates.
     *
     * @param resource the Redis holding the counter
     * @param key the counter key
     * @return the step factory
     */
    public static Workload.StepFactory unlocked(RedisServer resource, String key) {
        return worker -> {
            Resp r = Resp.connect(resource.host(), resource.port());
            return new Workload.Step() {
                @Override
                public void run(Workload.Tally tally) throws Exception {
                    increment(r, key);
                    tally.increment();
                }

                @Override
                public void close() {
                    r.close();
                }
            };
        };
    }

    /**
     * Increments while holding a lock; each worker has its own {@link LockClient}, as separate processes
     * would.
     *
     * @param lockUris one URI (single-instance lock) or several (Redlock)
     * @param lockName the lock name
     * @param resource the Redis holding the counter
     * @param key the counter key
     * @return the step factory
     */
    public static Workload.StepFactory locked(List<String> lockUris, String lockName, RedisServer resource,
            String key) {
        return worker -> {
            LockClient client = LockClient.create(lockUris);
            Resp r;
            DistributedLock lock;
            try {
                lock = client.lock(lockName, LockOptions.builder().lease(LEASE).build());
                client.status(lockName, ""); // connect before the clock starts
                r = Resp.connect(resource.host(), resource.port());
            } catch (Exception e) {
                client.close();
                throw e;
            }
            return new Workload.Step() {
                @Override
                public void run(Workload.Tally tally) throws Exception {
                    long t0 = System.nanoTime();
                    Lease lease;
                    try {
                        lease = lock.acquire(ACQUIRE_WAIT);
                    } catch (LockTimeoutException e) {
                        tally.timeout();
                        return;
                    }
                    tally.latency(System.nanoTime() - t0);
                    try {
                        increment(r, key);
                        tally.increment();
                    } finally {
                        finish(lease, tally);
                    }
                }

                @Override
                public void close() {
                    r.close();
                    client.close();
                }
            };
        };
    }

    /**
     * Releases after an increment, counting the increment as unprotected if the lease had lapsed. A
     * release that too few nodes confirm (e.g. right when a Redlock node dies) is not an error: the work
     * was done within the lease's validity, and the key expires by itself.
     */
    private static void finish(Lease lease, Workload.Tally tally) {
        boolean validAtEnd = lease.isHeld();
        try {
            if (!lease.release()) {
                tally.unprotected();
            }
        } catch (LockUnavailableException e) {
            tally.unconfirmedRelease();
            if (!validAtEnd) {
                tally.unprotected();
            }
        }
    }

    private static void increment(Resp r, String key) throws java.io.IOException {
        long v = r.getLong(key);
        r.call("SET", key, Long.toString(v + 1));
    }
}
