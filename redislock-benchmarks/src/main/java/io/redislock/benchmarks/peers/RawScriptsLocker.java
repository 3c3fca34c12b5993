package io.redislock.benchmarks.peers;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A diagnostic, not a peer: redislock's own acquire.lua and release.lua sent through Lettuce's sync API
 * with the keys and arguments redislock uses, without redislock's client code. Compared with the floor
 * it isolates the server-side cost of the scripts; compared with redislock, its client-side cost.
 *
 * <p>Thread-safety: not thread-safe (see {@link Locker}).
 */
public final class RawScriptsLocker implements Locker {
    private static final AtomicLong SEQ = new AtomicLong();

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> conn;
    private final RedisCommands<String, String> redis;
    private final String[] keys;
    private final String acquireSha;
    private final String releaseSha;
    private final String lease;
    private final String tokenPrefix;
    private String token;

    private RawScriptsLocker(String uri, String key, Duration lease) {
        String acquire = CoreScripts.source("acquire");
        String release = CoreScripts.source("release");
        if (acquire == null || release == null) {
            throw new IllegalStateException("redislock-core's scripts are not on the classpath");
        }
        this.client = RedisClient.create(uri);
        this.conn = client.connect();
        this.redis = conn.sync();
        this.keys = CoreScripts.keys(key);
        this.acquireSha = redis.scriptLoad(acquire);
        this.releaseSha = redis.scriptLoad(release);
        this.lease = Long.toString(lease.toMillis());
        this.tokenPrefix = Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".";
    }

    /**
     * A factory of raw-script lockers (single attempt).
     *
     * @param uri the Redis URI
     * @param lease the lease
     * @return the factory
     */
    public static LockerFactory factory(String uri, Duration lease) {
        return key -> new RawScriptsLocker(uri, key, lease);
    }

    @Override
    public void lock() {
        String t = tokenPrefix + Long.toString(SEQ.incrementAndGet(), 36) + "@bench:1";
        List<Object> r = redis.evalsha(acquireSha, ScriptOutputType.MULTI, keys, CoreScripts.acquireArgs(t, lease, false));
        if (r == null || !Long.valueOf(1L).equals(r.get(0))) {
            throw new IllegalStateException("raw scripts: lock taken");
        }
        token = t;
    }

    @Override
    public void unlock() {
        Long r = redis.evalsha(releaseSha, ScriptOutputType.INTEGER, keys, CoreScripts.releaseArgs(token, false));
        token = null;
        if (r == null || r != 1L) {
            throw new IllegalStateException("raw scripts: lock was not held at release");
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
