package io.redislock.benchmarks.peers;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.redislock.DistributedLock;
import io.redislock.Lease;
import io.redislock.LockClient;
import io.redislock.LockOptions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * redislock through its blocking API: {@code tryAcquire()} (one attempt, fails if taken) or
 * {@code acquire(wait)}, then {@code release()}.
 *
 * <p>Thread-safety: not thread-safe (see {@link Locker}).
 */
public final class RedislockLocker implements Locker {
    private final LockClient client;
    private final Runnable cleanup;
    private final DistributedLock lock;
    private final Duration wait;
    private Lease lease;

    private RedislockLocker(LockClient client, Runnable cleanup, String key, LockOptions options, Duration wait) {
        this.client = client;
        this.cleanup = cleanup;
        this.lock = client.lock(key, options);
        this.wait = wait;
    }

    private RedislockLocker(List<String> uris, String key, LockOptions options, Duration wait) {
        this(LockClient.create(uris), () -> {}, key, options, wait);
    }

    /**
     * A factory of lockers that use {@code tryAcquire()} (one attempt; {@link #lock()} fails if taken).
     *
     * @param uris one URI, or several for Redlock
     * @param options the lock options
     * @return the factory
     */
    public static LockerFactory tryAcquire(List<String> uris, LockOptions options) {
        return key -> new RedislockLocker(uris, key, options, null);
    }

    /**
     * A factory of lockers that use {@code acquire(wait)}.
     *
     * @param uris one URI, or several for Redlock
     * @param options the lock options
     * @param wait the bounded wait of each acquisition
     * @return the factory
     */
    public static LockerFactory acquire(List<String> uris, LockOptions options, Duration wait) {
        return key -> new RedislockLocker(uris, key, options, wait);
    }

    /**
     * A diagnostic factory: {@code acquire(wait)} lockers whose client runs on a Lettuce client with a
     * single I/O thread (so its command and pub/sub connections share one event loop), through
     * {@link LockClient#create(RedisClient, RedisURI)}.
     *
     * @param uri the Redis URI
     * @param options the lock options
     * @param wait the bounded wait of each acquisition
     * @return the factory
     */
    public static LockerFactory acquireOnOneIoThread(String uri, LockOptions options, Duration wait) {
        return key -> {
            ClientResources res = DefaultClientResources.builder()
                    .ioThreadPoolSize(1)
                    .computationThreadPoolSize(1)
                    .build();
            RedisClient redis = RedisClient.create(res, uri);
            LockClient client = LockClient.create(redis, RedisURI.create(uri));
            return new RedislockLocker(client, () -> {
                redis.shutdown(0, 2, TimeUnit.SECONDS);
                res.shutdown(0, 2, TimeUnit.SECONDS);
            }, key, options, wait);
        };
    }

    @Override
    public void lock() throws InterruptedException {
        if (wait == null) {
            Optional<Lease> l = lock.tryAcquire();
            if (l.isEmpty()) {
                throw new IllegalStateException("tryAcquire found lock '" + lock.name() + "' taken");
            }
            lease = l.get();
        } else {
            lease = lock.acquire(wait);
        }
    }

    @Override
    public void unlock() {
        Lease l = lease;
        lease = null;
        if (l != null && !l.release()) {
            throw new IllegalStateException("lease of '" + lock.name() + "' was lost before release");
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (RuntimeException e) {
            // best effort
        }
        try {
            cleanup.run();
        } catch (RuntimeException e) {
            // best effort
        }
    }
}
