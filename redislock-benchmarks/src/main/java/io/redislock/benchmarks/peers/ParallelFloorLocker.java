package io.redislock.benchmarks.peers;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The raw Redlock floor over N independent Redis nodes with Lettuce's async API: {@code SET key token NX
 * PX} sent to all nodes at once, decided as soon as a majority said yes (or cannot), then an EVALSHA
 * compare-and-delete sent to all nodes at once, decided at a majority. No retries, no validity
 * arithmetic, no fencing: the least any Redlock must do. Diagnostic variants send redislock's own scripts
 * instead, or run on a Lettuce client with a given number of I/O threads.
 *
 * <p>Thread-safety: not thread-safe (see {@link Locker}).
 */
public final class ParallelFloorLocker implements Locker {
    private static final AtomicLong SEQ = new AtomicLong();
    private static final long TIMEOUT_MS = 2_000;

    private final ClientResources resources;
    private final RedisClient client;
    private final List<StatefulRedisConnection<String, String>> conns = new ArrayList<>();
    private final List<RedisAsyncCommands<String, String>> nodes = new ArrayList<>();
    private final List<String> releaseShas = new ArrayList<>();
    private final List<String> acquireShas = new ArrayList<>();
    private final String key;
    private final String[] coreKeys;
    private final String tokenPrefix;
    private final SetArgs setArgs;
    private final String leaseMs;
    private final int quorum;
    private final boolean coreScripts;
    private String token;

    private ParallelFloorLocker(List<String> uris, String key, Duration lease, boolean coreScripts, int ioThreads) {
        this.resources = ioThreads > 0
                ? DefaultClientResources.builder().ioThreadPoolSize(ioThreads).computationThreadPoolSize(2).build()
                : null;
        this.client = resources == null ? RedisClient.create() : RedisClient.create(resources);
        this.coreScripts = coreScripts;
        String acquire = coreScripts ? CoreScripts.source("acquire") : null;
        String release = coreScripts ? CoreScripts.source("release") : LettuceFloorLocker.COMPARE_AND_DELETE;
        try {
            if (coreScripts && (acquire == null || release == null)) {
                throw new IllegalStateException("redislock-core's scripts are not on the classpath");
            }
            for (String u : uris) {
                StatefulRedisConnection<String, String> c = client.connect(StringCodec.UTF8, RedisURI.create(u));
                conns.add(c);
                nodes.add(c.async());
                releaseShas.add(c.sync().scriptLoad(release));
                if (coreScripts) {
                    acquireShas.add(c.sync().scriptLoad(acquire));
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.key = key;
        this.coreKeys = CoreScripts.keys(key);
        this.tokenPrefix = Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".";
        this.setArgs = SetArgs.Builder.nx().px(lease.toMillis());
        this.leaseMs = Long.toString(lease.toMillis());
        this.quorum = uris.size() / 2 + 1;
    }

    /**
     * A factory of parallel floor lockers.
     *
     * @param uris the independent nodes
     * @param lease the PX expiry
     * @return the factory
     */
    public static LockerFactory factory(List<String> uris, Duration lease) {
        return key -> new ParallelFloorLocker(uris, key, lease, false, 0);
    }

    /**
     * A diagnostic factory: the same fan-out and majority decision, but sending redislock's acquire.lua and
     * release.lua with the arguments redislock uses under Redlock — redislock's server-side work without
     * its client code.
     *
     * @param uris the independent nodes
     * @param lease the lease
     * @return the factory
     */
    public static LockerFactory withCoreScripts(List<String> uris, Duration lease) {
        return key -> new ParallelFloorLocker(uris, key, lease, true, 0);
    }

    /**
     * A diagnostic factory: the floor on a Lettuce client with {@code ioThreads} I/O threads.
     *
     * @param uris the independent nodes
     * @param lease the PX expiry
     * @param ioThreads the I/O (event loop) threads
     * @return the factory
     */
    public static LockerFactory onIoThreads(List<String> uris, Duration lease, int ioThreads) {
        return key -> new ParallelFloorLocker(uris, key, lease, false, ioThreads);
    }

    @Override
    public void lock() throws Exception {
        String t = tokenPrefix + SEQ.incrementAndGet();
        boolean ok;
        if (coreScripts) {
            String[] args = CoreScripts.acquireArgs(t, leaseMs, true);
            ok = majority(i -> nodes.get(i).<List<Object>>evalsha(acquireShas.get(i), ScriptOutputType.MULTI,
                    coreKeys, args).toCompletableFuture(), r -> Long.valueOf(1L).equals(r.get(0)));
        } else {
            ok = majority(i -> nodes.get(i).set(key, t, setArgs).toCompletableFuture(), "OK"::equals);
        }
        if (!ok) {
            majority(i -> release(i, t), r -> true);
            throw new IllegalStateException("parallel floor: no majority for '" + key + "'");
        }
        token = t;
    }

    @Override
    public void unlock() throws Exception {
        String t = token;
        token = null;
        if (!majority(i -> release(i, t), r -> Long.valueOf(1L).equals(r))) {
            throw new IllegalStateException("parallel floor: release of '" + key + "' had no majority");
        }
    }

    private CompletableFuture<Object> release(int i, String t) {
        if (coreScripts) {
            return nodes.get(i)
                    .<Object>evalsha(releaseShas.get(i), ScriptOutputType.INTEGER, coreKeys,
                            CoreScripts.releaseArgs(t, true))
                    .toCompletableFuture();
        }
        return nodes.get(i)
                .<Object>evalsha(releaseShas.get(i), ScriptOutputType.INTEGER, new String[] {key}, t)
                .toCompletableFuture();
    }

    /** Sends to all nodes; true as soon as a majority passed {@code yes}, false once that is impossible. */
    private <T> boolean majority(Function<Integer, CompletableFuture<T>> call, java.util.function.Predicate<T> yes)
            throws Exception {
        int n = nodes.size();
        AtomicInteger ayes = new AtomicInteger();
        AtomicInteger others = new AtomicInteger();
        CompletableFuture<Boolean> decided = new CompletableFuture<>();
        for (int i = 0; i < n; i++) {
            call.apply(i).whenComplete((r, e) -> {
                if (e == null && yes.test(r)) {
                    if (ayes.incrementAndGet() >= quorum) {
                        decided.complete(true);
                    }
                } else if (others.incrementAndGet() > n - quorum) {
                    decided.complete(false);
                }
            });
        }
        return decided.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        for (StatefulRedisConnection<String, String> c : conns) {
            try {
                c.close();
            } catch (RuntimeException e) {
                // best effort
            }
        }
        client.shutdown();
        if (resources != null) {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
