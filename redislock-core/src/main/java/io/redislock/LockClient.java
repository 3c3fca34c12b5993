package io.redislock;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.redislock.internal.Futures;
import io.redislock.internal.LockEngine;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The entry point: connects to one Redis (single-instance leases) or to several independent Redis
 * masters (Redlock: every operation goes to all of them in parallel and needs a majority), and hands out
 * {@link DistributedLock} handles. Switching from one Redis to Redlock means giving more URIs; nothing
 * else in the calling code changes.
 *
 * <pre>{@code
 * try (LockClient client = LockClient.create("redis://127.0.0.1:6379")) {
 *     DistributedLock lock = client.lock("orders");
 *     try (Lease lease = lock.acquire(Duration.ofSeconds(10))) {
 *         storage.write(data, lease.fencingToken());
 *     }
 * }
 * }</pre>
 *
 * <p>Creating a client never blocks on Redis: connections are made in the background, and calls fail with
 * {@link LockUnavailableException} within the configured timeouts while Redis is unreachable.
 *
 * <p>Thread-safety: thread-safe. Create one per application and share it: all locks share one command
 * connection and one pub/sub connection per Redis node.
 */
public final class LockClient implements AutoCloseable {
    private final LockEngine engine;
    private final LockClientOptions options;

    private LockClient(LockEngine engine, LockClientOptions options) {
        this.engine = engine;
        this.options = options;
    }

    /**
     * Creates a client with default options.
     *
     * @param redisUris one URI for a single Redis, or several independent masters for Redlock
     * @return the client
     * @throws IllegalArgumentException if a URI is malformed or repeated
     */
    public static LockClient create(String... redisUris) {
        Objects.requireNonNull(redisUris, "redisUris must not be null");
        return create(Arrays.asList(redisUris));
    }

    /**
     * Creates a client with default options.
     *
     * @param redisUris one URI for a single Redis, or several independent masters for Redlock
     * @return the client
     * @throws IllegalArgumentException if a URI is malformed or repeated
     */
    public static LockClient create(List<String> redisUris) {
        return create(LockClientOptions.builder().uris(redisUris).build());
    }

    /**
     * Creates a client.
     *
     * @param options the options
     * @return the client
     */
    public static LockClient create(LockClientOptions options) {
        Objects.requireNonNull(options, "options must not be null");
        return new LockClient(LockEngine.create(options), options);
    }

    /**
     * Creates a client on an existing Lettuce {@link RedisClient} (single Redis); closing the lock client
     * does not shut the Lettuce client down. The command timeout is the URI's own when one was set on it,
     * else the default of {@link LockClientOptions} (2 s), not Lettuce's 60 s.
     *
     * @param client the Lettuce client
     * @param uri the Redis server to use
     * @return the client
     */
    public static LockClient create(RedisClient client, RedisURI uri) {
        Objects.requireNonNull(uri, "uri must not be null");
        LockClientOptions.Builder b = LockClientOptions.builder().uris(serverOf(uri));
        if (!RedisURI.DEFAULT_TIMEOUT_DURATION.equals(uri.getTimeout())) {
            b.commandTimeout(uri.getTimeout());
        }
        return create(client, uri, b.build());
    }

    /**
     * Creates a client on an existing Lettuce {@link RedisClient} (single Redis) with the given options
     * (timeouts, drift factor, callback executor...); their URIs are replaced by {@code uri}'s server.
     * Closing the lock client does not shut the Lettuce client down.
     *
     * @param client the Lettuce client
     * @param uri the Redis server to use
     * @param options the options
     * @return the client
     */
    public static LockClient create(RedisClient client, RedisURI uri, LockClientOptions options) {
        Objects.requireNonNull(client, "client must not be null");
        Objects.requireNonNull(uri, "uri must not be null");
        Objects.requireNonNull(options, "options must not be null");
        LockClientOptions own = options.toBuilder().uris(serverOf(uri)).build();
        return new LockClient(LockEngine.wrap(client, uri, own), own);
    }

    private static String serverOf(RedisURI uri) {
        String host = uri.getHost();
        return "redis://" + (host != null && host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
                + ":" + uri.getPort();
    }

    /**
     * A handle for the lock {@code name} with {@link LockOptions#defaults()}.
     *
     * @param name the lock name (the Redis key, after the key prefix)
     * @return the handle
     * @throws IllegalArgumentException if the name is null, blank, longer than 512 characters, or contains
     *     whitespace, control characters or braces
     */
    public DistributedLock lock(String name) {
        return lock(name, LockOptions.defaults());
    }

    /**
     * A handle for the lock {@code name}.
     *
     * @param name the lock name
     * @param options lease, renewal, prefix, retry and mode
     * @return the handle
     * @throws IllegalArgumentException if the name is invalid
     * @throws IllegalStateException if the client is closed
     */
    public DistributedLock lock(String name, LockOptions options) {
        return engine.lock(name, options);
    }

    /**
     * Reads a lock's state (holder, TTL, fencing counter) without taking it.
     *
     * @param name the lock name
     * @param keyPrefix the key prefix it was taken with ("" by default)
     * @return the snapshot
     * @throws IllegalStateException if the client is closed
     * @throws LockUnavailableException if Redis (a majority) did not answer
     */
    public LockInfo status(String name, String keyPrefix) {
        return Futures.join(statusAsync(name, keyPrefix));
    }

    /**
     * Async mirror of {@link #status(String, String)}.
     *
     * @param name the lock name
     * @param keyPrefix the key prefix
     * @return a future of the snapshot
     */
    public CompletableFuture<LockInfo> statusAsync(String name, String keyPrefix) {
        return engine.onCallbacks(engine.admin().status(keyPrefix, name));
    }

    /**
     * Lists the locks whose names match a glob (SCAN over fencing counters, never KEYS): every held lock, and
     * free ones granted within the last day (a fencing counter expires a day after the last grant).
     *
     * @param namePattern a glob such as {@code *} or {@code job-*}
     * @param keyPrefix the key prefix
     * @return snapshots, sorted by name
     * @throws IllegalStateException if the client is closed
     * @throws LockUnavailableException if Redis (a majority) did not answer, or refused to let a lock be read
     *     (e.g. NOPERM: an ACL user without access to the keys)
     */
    public List<LockInfo> list(String namePattern, String keyPrefix) {
        return Futures.join(listAsync(namePattern, keyPrefix));
    }

    /**
     * Async mirror of {@link #list(String, String)}.
     *
     * @param namePattern a glob
     * @param keyPrefix the key prefix
     * @return a future of the snapshots
     */
    public CompletableFuture<List<LockInfo>> listAsync(String namePattern, String keyPrefix) {
        return engine.onCallbacks(engine.admin().list(keyPrefix, namePattern));
    }

    /**
     * Deletes a lock whoever holds it (operator action; the holder learns at its next renewal) and hands
     * it to the oldest waiter, if any.
     *
     * @param name the lock name
     * @param keyPrefix the key prefix
     * @return how many nodes held it
     * @throws IllegalStateException if the client is closed
     * @throws LockUnavailableException if Redis (a majority) did not answer
     */
    public int forceRelease(String name, String keyPrefix) {
        return Futures.join(forceReleaseAsync(name, keyPrefix));
    }

    /**
     * Async mirror of {@link #forceRelease(String, String)}.
     *
     * @param name the lock name
     * @param keyPrefix the key prefix
     * @return a future of the node count
     */
    public CompletableFuture<Integer> forceReleaseAsync(String name, String keyPrefix) {
        return engine.onCallbacks(engine.admin().forceRelease(keyPrefix, name));
    }

    /** @return how many Redis nodes this client uses (1: single instance; more: Redlock) */
    public int nodeCount() {
        return engine.nodeCount();
    }

    /** @return how many nodes must agree: {@code nodeCount / 2 + 1} */
    public int quorum() {
        return engine.quorum();
    }

    /** @return the options (passwords masked in {@code toString}) */
    public LockClientOptions options() {
        return options;
    }

    /**
     * Releases every lease still held (their holders are told, reason {@code CLIENT_CLOSED}), ends waits,
     * waits for the releases and cleanups under way (also those of leases released just before, on nodes
     * that have not answered yet or whose connection is coming back) and for no-wait attempts under way (a
     * grant they get now is given back), at most the command timeout, and closes the connections (waiting up to
     * 250 ms more for connects still under way, so that none is left open). Idempotent.
     */
    @Override
    public void close() {
        engine.close();
    }

    /**
     * Async mirror of {@link #close()}.
     *
     * @return a future completed when closed
     */
    public CompletableFuture<Void> closeAsync() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                engine.close();
                f.complete(null);
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        }, "redislock-close");
        t.setDaemon(true);
        t.start();
        return f;
    }

    @Override
    public String toString() {
        return "LockClient{" + options + '}';
    }
}
