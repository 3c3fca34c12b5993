package io.redislock.benchmarks.peers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.redisson.Redisson;
import org.redisson.RedissonRedLock;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Redisson's {@code RLock} ({@code tryLock(wait, lease)} or, without a lease, {@code tryLock(wait)} with
 * the watchdog renewing it), or {@code RedissonRedLock} over one {@code RedissonClient} per node. Default
 * Redisson configuration apart from the address.
 *
 * <p>Thread-safety: not thread-safe; Redisson's locks belong to the thread that took them.
 */
public final class RedissonLocker implements Locker {
    private final List<RedissonClient> clients = new ArrayList<>();
    private final RLock lock;
    private final long leaseMs;
    private final long waitMs;

    private RedissonLocker(List<String> uris, String key, Duration lease, Duration wait) {
        try {
            for (String u : uris) {
                clients.add(client(u));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        if (clients.size() == 1) {
            this.lock = clients.get(0).getLock(key);
        } else {
            RLock[] parts = new RLock[clients.size()];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = clients.get(i).getLock(key);
            }
            this.lock = redLock(parts);
        }
        this.leaseMs = lease == null ? -1 : lease.toMillis();
        this.waitMs = wait.toMillis();
    }

    @SuppressWarnings("deprecation")
    private static RLock redLock(RLock[] parts) {
        return new RedissonRedLock(parts);
    }

    /**
     * Creates a Redisson client with the default configuration for one server.
     *
     * @param uri the server
     * @return the client
     */
    public static RedissonClient client(String uri) {
        Config config = new Config();
        config.useSingleServer().setAddress(uri);
        return Redisson.create(config);
    }

    /**
     * A factory of {@code RLock} lockers (one node) or {@code RedissonRedLock} lockers (several nodes).
     *
     * @param uris one URI, or the independent nodes of a RedLock
     * @param lease the lease, or null for the watchdog
     * @param wait the bounded wait of each acquisition
     * @return the factory
     */
    public static LockerFactory factory(List<String> uris, Duration lease, Duration wait) {
        return key -> new RedissonLocker(uris, key, lease, wait);
    }

    @Override
    public void lock() throws InterruptedException, TimeoutException {
        boolean ok = leaseMs > 0
                ? lock.tryLock(waitMs, leaseMs, TimeUnit.MILLISECONDS)
                : lock.tryLock(waitMs, TimeUnit.MILLISECONDS);
        if (!ok) {
            throw new TimeoutException("Redisson: lock not acquired within " + waitMs + " ms");
        }
    }

    @Override
    public void unlock() {
        lock.unlock();
    }

    @Override
    public void close() {
        for (RedissonClient c : clients) {
            try {
                c.shutdown();
            } catch (RuntimeException e) {
                // best effort
            }
        }
    }
}
