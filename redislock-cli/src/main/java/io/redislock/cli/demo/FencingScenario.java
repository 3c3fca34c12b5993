package io.redislock.cli.demo;

import io.redislock.Lease;
import io.redislock.LockClient;
import io.redislock.LockOptions;
import io.redislock.testing.RedisServer;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The fencing-token scenario: holder A takes a short lease without renewal and "pauses" (as in a long GC
 * pause) past it; meanwhile B acquires the lock with a higher fencing token and writes; when A wakes up,
 * its late write is rejected by the resource, which only accepts tokens at least as high as the highest
 * it has seen.
 *
 * <p>Thread-safety: {@link #run} is called from one thread.
 */
public final class FencingScenario {
    /** A's lease: short, and not renewed. */
    public static final Duration SHORT_LEASE = Duration.ofMillis(300);
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);

    /** Writes ARGV[2] to KEYS[1] only if token ARGV[1] is not older than the highest seen (KEYS[2]). */
    private static final String FENCED_WRITE = String.join("\n",
            "-- KEYS[1] the value, KEYS[2] the highest fencing token seen; ARGV[1] token, ARGV[2] value",
            "-- returns 1 if written, 0 if rejected (token older than the highest seen)",
            "local function older(a, b) if #a ~= #b then return #a < #b end return a < b end",
            "local highest = redis.call('GET', KEYS[2])",
            "if highest and older(ARGV[1], highest) then return 0 end",
            "redis.call('SET', KEYS[2], ARGV[1])",
            "redis.call('SET', KEYS[1], ARGV[2])",
            "return 1");

    private FencingScenario() {}

    /**
     * What happened.
     *
     * @param lateToken A's fencing token
     * @param newToken B's fencing token
     * @param pause how long after asking for its lease A made its late write
     * @param newWriteAccepted whether B's write was accepted
     * @param lateWriteRejected whether A's late write was rejected
     * @param lateLeaseLapsed whether A's release reported that its lease had lapsed
     * @param finalValue the resource's value at the end
     */
    public record Result(long lateToken, long newToken, Duration pause, boolean newWriteAccepted,
            boolean lateWriteRejected, boolean lateLeaseLapsed, String finalValue) {
        /** @return whether the scenario showed what it should */
        public boolean ok() {
            return newWriteAccepted && lateWriteRejected && lateLeaseLapsed && newToken > lateToken;
        }
    }

    /**
     * Runs the scenario.
     *
     * @param lockUri the Redis of the lock
     * @param resource the Redis holding the fenced value
     * @param lockName the lock name
     * @return what happened
     * @throws Exception if a step fails
     */
    public static Result run(String lockUri, RedisServer resource, String lockName) throws Exception {
        String valueKey = "demo:fenced:value";
        String tokenKey = "demo:fenced:highest-token";
        try (LockClient a = LockClient.create(lockUri);
                LockClient b = LockClient.create(lockUri);
                Resp ra = Resp.connect(resource.host(), resource.port());
                Resp rb = Resp.connect(resource.host(), resource.port())) {
            long pauseStart = System.nanoTime();
            Lease leaseA = a.lock(lockName, LockOptions.builder().lease(SHORT_LEASE).autoRenew(false).build())
                    .tryAcquire()
                    .orElseThrow(() -> new IllegalStateException("the fencing lock was unexpectedly held"));
            CompletableFuture<long[]> bWrote = CompletableFuture.supplyAsync(() -> {
                try (Lease leaseB = b.lock(lockName).acquire(STEP_TIMEOUT)) {
                    long written = fencedWrite(rb, valueKey, tokenKey, leaseB.fencingToken(),
                            "written by B (token " + leaseB.fencingToken() + ")");
                    return new long[] {leaseB.fencingToken(), written};
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            // A is "paused" (think: a long GC pause) until B has taken the lock and written.
            long[] b1 = bWrote.get(STEP_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
            Duration pause = Duration.ofNanos(System.nanoTime() - pauseStart);
            long lateWritten = fencedWrite(ra, valueKey, tokenKey, leaseA.fencingToken(),
                    "written by A (token " + leaseA.fencingToken() + ", late)");
            boolean lapsed = !leaseA.release();
            Object finalValue = ra.call("GET", valueKey);
            return new Result(leaseA.fencingToken(), b1[0], pause, b1[1] == 1, lateWritten == 0, lapsed,
                    String.valueOf(finalValue));
        }
    }

    private static long fencedWrite(Resp r, String valueKey, String tokenKey, long token, String value)
            throws IOException {
        return (Long) r.call("EVAL", FENCED_WRITE, "2", valueKey, tokenKey, Long.toString(token), value);
    }
}
