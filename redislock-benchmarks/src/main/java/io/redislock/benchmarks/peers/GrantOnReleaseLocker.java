package io.redislock.benchmarks.peers;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A diagnostic, not a peer: a lock in which the release hands the key directly to the next waiter
 * ({@code SET key waiterToken PX lease} inside the release script, then PUBLISH to that waiter), so a
 * woken waiter already holds the lock — the design redislock's fair hand-off uses, with no client code
 * around it: one attempt, then a wait for the grant message (no retry timer, no validity bookkeeping, no
 * recovery of a waiter that gave up). Two script sets: a minimal one (FIFO list, no fencing), which shows
 * what the design reaches on this machine, and redislock's own acquire.lua and release.lua, which
 * separates the cost of redislock's scripts from that of its client code.
 *
 * <p>Thread-safety: not thread-safe (see {@link Locker}).
 */
public final class GrantOnReleaseLocker implements Locker {
    /** KEYS: lock, queue. ARGV: token, lease ms, "channel token". 1 = granted, 0 = queued. */
    static final String ACQUIRE = "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end\n"
            + "redis.call('RPUSH', KEYS[2], ARGV[3])\n"
            + "return 0\n";
    /** KEYS: lock, queue. ARGV: token, lease ms. Hands the key to the first queued waiter, or deletes it. */
    static final String RELEASE = "if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end\n"
            + "local w = redis.call('LPOP', KEYS[2])\n"
            + "if not w then redis.call('DEL', KEYS[1]) return 1 end\n"
            + "local sp = string.find(w, ' ', 1, true)\n"
            + "local tok = string.sub(w, sp + 1)\n"
            + "redis.call('SET', KEYS[1], tok, 'PX', ARGV[2])\n"
            + "redis.call('PUBLISH', string.sub(w, 1, sp - 1), tok)\n"
            + "return 1\n";

    private static final AtomicLong SEQ = new AtomicLong();

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> conn;
    private final StatefulRedisPubSubConnection<String, String> pubsub;
    private final RedisCommands<String, String> redis;
    private final ConcurrentHashMap<String, CompletableFuture<Void>> grants = new ConcurrentHashMap<>();
    private final String[] keys;
    private final String channel;
    private final boolean core;
    private final String acquireSha;
    private final String releaseSha;
    private final String lease;
    private final long waitNanos;
    private String token;

    private GrantOnReleaseLocker(String uri, String key, Duration lease, Duration wait, boolean core) {
        this.core = core;
        String acquire = core ? CoreScripts.source("acquire") : ACQUIRE;
        String release = core ? CoreScripts.source("release") : RELEASE;
        if (acquire == null || release == null) {
            throw new IllegalStateException("redislock-core's scripts are not on the classpath");
        }
        this.client = RedisClient.create(uri);
        this.conn = client.connect();
        this.pubsub = client.connectPubSub();
        this.redis = conn.sync();
        this.keys = core ? CoreScripts.keys(key) : new String[] {key, key + ":queue"};
        this.channel = "proto:wake:" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String ch, String message) {
                // minimal scripts publish "<token>", redislock's "<token> <fencing token>"
                int sp = message.indexOf(' ');
                CompletableFuture<Void> f = grants.remove(sp < 0 ? message : message.substring(0, sp));
                if (f != null) {
                    f.complete(null);
                }
            }
        });
        pubsub.sync().subscribe(channel);
        this.acquireSha = redis.scriptLoad(acquire);
        this.releaseSha = redis.scriptLoad(release);
        this.lease = Long.toString(lease.toMillis());
        this.waitNanos = wait.toNanos();
    }

    /**
     * A factory of lockers with the minimal scripts.
     *
     * @param uri the Redis URI
     * @param lease the PX expiry
     * @param wait the bounded wait of each acquisition
     * @return the factory
     */
    public static LockerFactory factory(String uri, Duration lease, Duration wait) {
        return key -> new GrantOnReleaseLocker(uri, key, lease, wait, false);
    }

    /**
     * A factory of lockers that send redislock's acquire.lua and release.lua with the arguments redislock
     * uses on one node with the default options (fair hand-off).
     *
     * @param uri the Redis URI
     * @param lease the lease
     * @param wait the bounded wait of each acquisition
     * @return the factory
     */
    public static LockerFactory withCoreScripts(String uri, Duration lease, Duration wait) {
        return key -> new GrantOnReleaseLocker(uri, key, lease, wait, true);
    }

    @Override
    public void lock() throws Exception {
        String t = channel + "." + SEQ.incrementAndGet();
        CompletableFuture<Void> granted = new CompletableFuture<>();
        grants.put(t, granted);
        if (!tryOnce(t)) {
            try {
                granted.get(waitNanos, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                grants.remove(t);
                throw e;
            }
        } else {
            grants.remove(t);
        }
        token = t;
    }

    /** One attempt; when the lock is taken the script queues {@code t} for a grant by a later release. */
    private boolean tryOnce(String t) {
        if (core) {
            String member = channel + " " + t + " " + lease;
            long keepMs = TimeUnit.NANOSECONDS.toMillis(waitNanos) + 1000;
            List<Object> r = redis.evalsha(acquireSha, ScriptOutputType.MULTI, keys, t, lease, member,
                    Long.toString(keepMs), "1");
            return r != null && Long.valueOf(1L).equals(r.get(0));
        }
        Long r = redis.evalsha(acquireSha, ScriptOutputType.INTEGER, keys, t, lease, channel + " " + t);
        return r != null && r == 1L;
    }

    @Override
    public void unlock() {
        Long r = core
                ? redis.evalsha(releaseSha, ScriptOutputType.INTEGER, keys, CoreScripts.releaseArgs(token, false))
                : redis.evalsha(releaseSha, ScriptOutputType.INTEGER, keys, token, lease);
        token = null;
        if (r == null || r != 1L) {
            throw new IllegalStateException("prototype: lock was not held at release");
        }
    }

    @Override
    public void close() {
        try {
            pubsub.close();
            conn.close();
        } catch (RuntimeException e) {
            // best effort
        }
        client.shutdown();
    }
}
