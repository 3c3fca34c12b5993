package io.redislock.benchmarks.peers;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Lock;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.integration.redis.util.RedisLockRegistry;

/**
 * Spring Integration's {@code RedisLockRegistry} over its own {@code LettuceConnectionFactory}, as
 * {@code SPIN_LOCK} or {@code PUB_SUB_LOCK}, with the registry's default expiry and idle time; locked
 * with {@code tryLock(wait)}.
 *
 * <p>Thread-safety: not thread-safe; the registry's locks belong to the thread that took them.
 */
public final class SpringLocker implements Locker {
    private final LettuceConnectionFactory factory;
    private final RedisLockRegistry registry;
    private final Lock lock;
    private final long waitMs;

    private SpringLocker(String uri, String key, RedisLockRegistry.RedisLockType type, Duration wait) {
        URI u = URI.create(uri);
        this.factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(u.getHost(), u.getPort()));
        factory.afterPropertiesSet();
        factory.start();
        this.registry = new RedisLockRegistry(factory, "bench");
        registry.setRedisLockType(type);
        this.lock = registry.obtain(key);
        this.waitMs = wait.toMillis();
    }

    /**
     * A factory of registry lockers.
     *
     * @param uri the Redis URI
     * @param type spin or pub/sub
     * @param wait the bounded wait of each acquisition
     * @return the factory
     */
    public static LockerFactory factory(String uri, RedisLockRegistry.RedisLockType type, Duration wait) {
        return key -> new SpringLocker(uri, key, type, wait);
    }

    @Override
    public void lock() throws InterruptedException, TimeoutException {
        if (!lock.tryLock(waitMs, TimeUnit.MILLISECONDS)) {
            throw new TimeoutException("Spring: lock not acquired within " + waitMs + " ms");
        }
    }

    @Override
    public void unlock() {
        lock.unlock();
    }

    @Override
    public void close() {
        try {
            registry.destroy();
        } catch (RuntimeException e) {
            // best effort
        }
        try {
            factory.destroy();
        } catch (RuntimeException e) {
            // best effort
        }
    }
}
