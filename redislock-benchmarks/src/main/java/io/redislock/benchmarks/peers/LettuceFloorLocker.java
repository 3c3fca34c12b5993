package io.redislock.benchmarks.peers;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The raw floor on one Redis with Lettuce's sync API: {@code SET key token NX PX lease} to take the lock
 * and an EVALSHA compare-and-delete to release it — the two round trips any correct lock needs. With a
 * positive backoff it is the polling floor: a failed SET is retried after a uniformly random pause in
 * {@code [0, backoff]} until the bounded wait ends.
 *
 * <p>Thread-safety: not thread-safe (see {@link Locker}).
 */
public final class LettuceFloorLocker implements Locker {
    /** KEYS[1] lock key, ARGV[1] token; returns 1 if it deleted the key. */
    public static final String COMPARE_AND_DELETE =
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    private static final AtomicLong SEQ = new AtomicLong();

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> conn;
    private final RedisCommands<String, String> redis;
    private final String key;
    private final String sha;
    private final String tokenPrefix;
    private final SetArgs setArgs;
    private final long backoffNanos;
    private final long waitNanos;
    private String token;

    private LettuceFloorLocker(String uri, String key, Duration lease, Duration backoff, Duration wait) {
        this.client = RedisClient.create(uri);
        try {
            this.conn = client.connect();
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
        this.redis = conn.sync();
        this.key = key;
        this.sha = redis.scriptLoad(COMPARE_AND_DELETE);
        this.tokenPrefix = Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".";
        this.setArgs = SetArgs.Builder.nx().px(lease.toMillis());
        this.backoffNanos = backoff.toNanos();
        this.waitNanos = wait.toNanos();
    }

    /**
     * A factory of single-attempt floor lockers ({@link #lock()} fails if the key is taken).
     *
     * @param uri the Redis URI
     * @param lease the PX expiry
     * @return the factory
     */
    public static LockerFactory once(String uri, Duration lease) {
        return key -> new LettuceFloorLocker(uri, key, lease, Duration.ZERO, Duration.ZERO);
    }

    /**
     * A factory of polling floor lockers.
     *
     * @param uri the Redis URI
     * @param lease the PX expiry
     * @param backoff the largest pause between attempts
     * @param wait the bounded wait of each acquisition
     * @return the factory
     */
    public static LockerFactory polling(String uri, Duration lease, Duration backoff, Duration wait) {
        return key -> new LettuceFloorLocker(uri, key, lease, backoff, wait);
    }

    @Override
    public void lock() throws TimeoutException {
        String t = tokenPrefix + SEQ.incrementAndGet();
        long deadline = System.nanoTime() + waitNanos;
        while (true) {
            if ("OK".equals(redis.set(key, t, setArgs))) {
                token = t;
                return;
            }
            if (backoffNanos <= 0 || System.nanoTime() - deadline > 0) {
                throw new TimeoutException("floor: '" + key + "' is taken");
            }
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(backoffNanos + 1));
        }
    }

    @Override
    public void unlock() {
        Long deleted = redis.evalsha(sha, ScriptOutputType.INTEGER, new String[] {key}, token);
        token = null;
        if (deleted == null || deleted != 1L) {
            throw new IllegalStateException("floor: '" + key + "' was not held at release");
        }
    }

    @Override
    public void close() {
        try {
            conn.close();
        } catch (RuntimeException e) {
            // best effort
        }
        client.shutdown();
    }
}
