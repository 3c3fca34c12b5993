package io.redislock.benchmarks.peers;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
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
 * arithmetic, no fencing: the least any Redlock must do.
 *
 * <p>Thread-safety: not thread-safe (see {@link Locker}).
 */
public final class ParallelFloorLocker implements Locker {
    private static final AtomicLong SEQ = new AtomicLong();
    private static final long TIMEOUT_MS = 2_000;

    private final RedisClient client;
    private final List<StatefulRedisConnection<String, String>> conns = new ArrayList<>();
    private final List<RedisAsyncCommands<String, String>> nodes = new ArrayList<>();
    private final List<String> shas = new ArrayList<>();
    private final String key;
    private final String tokenPrefix;
    private final SetArgs setArgs;
    private final int quorum;
    private final boolean secondRound;
    private final String fenceKey;
    private String token;

    private ParallelFloorLocker(List<String> uris, String key, Duration lease, boolean secondRound) {
        this.client = RedisClient.create();
        try {
            for (String u : uris) {
                StatefulRedisConnection<String, String> c = client.connect(StringCodec.UTF8, RedisURI.create(u));
                conns.add(c);
                nodes.add(c.async());
                shas.add(c.sync().scriptLoad(LettuceFloorLocker.COMPARE_AND_DELETE));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.key = key;
        this.tokenPrefix = Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".";
        this.setArgs = SetArgs.Builder.nx().px(lease.toMillis());
        this.quorum = uris.size() / 2 + 1;
        this.secondRound = secondRound;
        this.fenceKey = "{" + key + "}:fence";
    }

    /**
     * A factory of parallel floor lockers.
     *
     * @param uris the independent nodes
     * @param lease the PX expiry
     * @return the factory
     */
    public static LockerFactory factory(List<String> uris, Duration lease) {
        return key -> new ParallelFloorLocker(uris, key, lease, false);
    }

    /**
     * A diagnostic factory: the same floor followed, after the majority said yes, by a second parallel
     * round ({@code INCR} of a counter on every node, decided at a majority) — the shape of an acquisition
     * that needs a fencing write-back.
     *
     * @param uris the independent nodes
     * @param lease the PX expiry
     * @return the factory
     */
    public static LockerFactory withSecondRound(List<String> uris, Duration lease) {
        return key -> new ParallelFloorLocker(uris, key, lease, true);
    }

    @Override
    public void lock() throws Exception {
        String t = tokenPrefix + SEQ.incrementAndGet();
        boolean ok = majority(i -> nodes.get(i).set(key, t, setArgs).toCompletableFuture(), "OK"::equals);
        if (!ok) {
            majority(i -> release(i, t), r -> true);
            throw new IllegalStateException("parallel floor: no majority for '" + key + "'");
        }
        if (secondRound && !majority(i -> nodes.get(i).incr(fenceKey).toCompletableFuture(), r -> true)) {
            majority(i -> release(i, t), r -> true);
            throw new IllegalStateException("parallel floor: second round had no majority");
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
        return nodes.get(i)
                .<Object>evalsha(shas.get(i), ScriptOutputType.INTEGER, new String[] {key}, t)
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
    }
}
