package io.redislock.benchmarks.scenarios;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.redislock.DistributedLock;
import io.redislock.Lease;
import io.redislock.LockClient;
import io.redislock.LockClientOptions;
import io.redislock.benchmarks.Closer;
import io.redislock.benchmarks.BenchConfig;
import io.redislock.benchmarks.Fmt;
import io.redislock.benchmarks.RoundData;
import io.redislock.benchmarks.peers.CoreScripts;
import io.redislock.benchmarks.Rounds;
import io.redislock.benchmarks.report.ChartBar;
import io.redislock.benchmarks.report.Section;
import io.redislock.benchmarks.report.Target;
import io.redislock.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * Scenario 3: many acquisitions in flight on distinct keys through redislock's async API, against the
 * same scripts sent raw through Lettuce's async API and against what {@code redis-benchmark} reaches
 * running them pipelined.
 *
 * <p>Thread-safety: not thread-safe; run once.
 */
public final class AsyncScenario {
    static final String TITLE = "3. Many keys, async API";
    static final String RL_TRY = "redislock tryAcquireAsync + releaseAsync";
    static final String RL_WAIT = "redislock acquireAsync(wait) + releaseAsync";
    static final String RAW = "raw Lettuce async: EVALSHA acquire.lua + EVALSHA release.lua";
    static final String BENCH = "redis-benchmark -P 16 -c 50: acquire.lua, then release.lua, pipelined";
    static final String DIAG_DIRECT = "diagnostic: redislock tryAcquireAsync + releaseAsync, callbackExecutor = direct (Lettuce's threads)";
    static final long MAX_ERRORS = 1000;

    /**
     * One driven block.
     *
     * @param ops completed acquire + release chains per second
     * @param errors chains that failed or did not acquire
     */
    record Driven(double ops, long errors) {}

    private final BenchConfig cfg;
    private final RedisServer server;

    /**
     * Creates the scenario.
     *
     * @param cfg the run configuration
     * @param server the Redis server
     */
    public AsyncScenario(BenchConfig cfg, RedisServer server) {
        this.cfg = cfg;
        this.server = server;
    }

    /**
     * Runs it.
     *
     * @return the results
     * @throws Exception if the harness fails
     */
    public Section run() throws Exception {
        RoundData data = new RoundData();
        List<String> notes = new ArrayList<>();
        String acquireLua = CoreScripts.source("acquire");
        String releaseLua = CoreScripts.source("release");
        RedisBenchmark bench = RedisBenchmark.find();
        Map<String, IntFunction<CompletableFuture<Boolean>>> subjects = new LinkedHashMap<>();
        AtomicLong seq = new AtomicLong();
        int inFlight = cfg.inFlight();
        long[] benchN = {50_000};
        Map<String, Long> errors = new LinkedHashMap<>();
        String missing = null;
        try (Closer closer = new Closer(); LockClient client = LockClient.create(server.uri())) {
            DistributedLock[] locks = new DistributedLock[inFlight];
            for (int i = 0; i < inFlight; i++) {
                locks[i] = client.lock("bench:s3:" + i);
            }
            subjects.put(RL_TRY, i -> locks[i].tryAcquireAsync().thenCompose(l -> l.isPresent()
                    ? l.get().releaseAsync() : CompletableFuture.completedFuture(false)));
            Duration wait = Peers.WAIT;
            subjects.put(RL_WAIT, i -> locks[i].acquireAsync(wait).thenCompose(Lease::releaseAsync));
            if (cfg.diagnostics()) {
                // no hand-off to the callback pool: completions run on the thread that completed them
                LockClient direct = closer.add(LockClient.create(
                        LockClientOptions.builder().uris(server.uri()).callbackExecutor(Runnable::run).build()));
                DistributedLock[] ownLocks = new DistributedLock[inFlight];
                for (int i = 0; i < inFlight; i++) {
                    ownLocks[i] = direct.lock("bench:s3direct:" + i);
                }
                subjects.put(DIAG_DIRECT, i -> ownLocks[i].tryAcquireAsync().thenCompose(l -> l.isPresent()
                        ? l.get().releaseAsync() : CompletableFuture.completedFuture(false)));
            }
            RedisClient raw = null;
            StatefulRedisConnection<String, String> conn = null;
            try {
                String[] benchShas = null;
                if (acquireLua != null && releaseLua != null) {
                    raw = RedisClient.create(server.uri());
                    conn = raw.connect();
                    RedisAsyncCommands<String, String> a = conn.async();
                    String acqSha = conn.sync().scriptLoad(acquireLua);
                    String relSha = conn.sync().scriptLoad(releaseLua);
                    String[][] keys = new String[inFlight][];
                    for (int i = 0; i < inFlight; i++) {
                        keys[i] = CoreScripts.keys("bench:s3raw:" + i);
                    }
                    String lease = Long.toString(Peers.LEASE.toMillis());
                    String tokenPrefix = "raw" + System.nanoTime() + ".";
                    subjects.put(RAW, i -> {
                        String token = tokenPrefix + seq.incrementAndGet() + "@bench:1";
                        return a.<List<Object>>evalsha(acqSha, ScriptOutputType.MULTI, keys[i], CoreScripts.acquireArgs(token, lease, false))
                                .toCompletableFuture()
                                .thenCompose(r -> Long.valueOf(1L).equals(r.get(0))
                                        ? a.<Long>evalsha(relSha, ScriptOutputType.INTEGER, keys[i], CoreScripts.releaseArgs(token, false))
                                                .toCompletableFuture()
                                                .thenApply(x -> x == 1L)
                                        : CompletableFuture.completedFuture(false));
                    });
                    benchShas = new String[] {acqSha, relSha};
                } else {
                    notes.add("redislock-core's scripts were not found on the classpath: raw baselines skipped.");
                    missing = "redislock-core's scripts not found";
                }
                if (bench == null) {
                    missing = "redis-benchmark not found";
                    notes.add("`redis-benchmark` is not on the PATH (Debian: `apt-get install redis-tools`): its"
                            + " baseline and target were skipped.");
                } else if (benchShas == null) {
                    bench = null;
                }
                List<String> names = new ArrayList<>(subjects.keySet());
                if (bench != null) {
                    names.add(BENCH);
                }
                RedisBenchmark b = bench;
                String[] shas = benchShas;
                long block = cfg.asyncBlock().toNanos();
                new Rounds(cfg.seed() + 3).run(names, 1, cfg.asyncRounds(), (s, r) -> {
                    double ops;
                    if (s.equals(BENCH)) {
                        double a = b.acquire(server, shas[0], benchN[0]);
                        double rel = b.release(server, shas[1], benchN[0]);
                        server.flushAll();
                        ops = 1 / (1 / a + 1 / rel);
                        benchN[0] = Math.max(20_000, Math.min(2_000_000, (long) (ops * block / 1e9)));
                    } else {
                        Driven d = drive(subjects.get(s), inFlight, block);
                        ops = d.ops();
                        if (d.errors() > 0) {
                            errors.merge(s, d.errors(), Long::sum);
                        }
                    }
                    if (r >= 0) {
                        data.put(s, "ops", r, ops);
                    }
                });
            } finally {
                if (conn != null) {
                    conn.close();
                }
                if (raw != null) {
                    raw.shutdown();
                }
            }
        }
        server.flushAll();
        List<String> order = new ArrayList<>(subjects.keySet());
        if (bench != null) {
            order.add(BENCH);
        }
        if (order.remove(DIAG_DIRECT)) {
            order.add(DIAG_DIRECT);
        }
        return report(data, order, notes, bench == null ? null : bench.describe(), missing, errors);
    }

    /**
     * Keeps {@code inFlight} chains going on distinct keys for a fixed time; all chains stop early once more
     * than {@value #MAX_ERRORS} failed (which lowers the rate: the caller reports the errors).
     */
    static Driven drive(IntFunction<CompletableFuture<Boolean>> pair, int inFlight, long durationNanos)
            throws InterruptedException {
        LongAdder done = new LongAdder();
        LongAdder errors = new LongAdder();
        CountDownLatch finished = new CountDownLatch(inFlight);
        long start = System.nanoTime();
        long end = start + durationNanos;
        for (int i = 0; i < inFlight; i++) {
            next(pair, i, end, done, errors, finished);
        }
        if (!finished.await(durationNanos / 1_000_000 + 20_000, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("async chains did not finish");
        }
        if (errors.sum() > 0) {
            System.err.println("benchmark: " + errors.sum() + " async errors");
        }
        return new Driven(done.sum() * 1e9 / durationNanos, errors.sum());
    }

    private static void next(IntFunction<CompletableFuture<Boolean>> pair, int slot, long end, LongAdder done,
            LongAdder errors, CountDownLatch finished) {
        if (System.nanoTime() - end >= 0 || errors.sum() > MAX_ERRORS) {
            finished.countDown();
            return;
        }
        CompletableFuture<Boolean> f;
        try {
            f = pair.apply(slot);
        } catch (RuntimeException e) {
            errors.increment();
            finished.countDown();
            return;
        }
        f.whenComplete((ok, e) -> {
            if (e != null || !Boolean.TRUE.equals(ok)) {
                errors.increment();
            } else if (System.nanoTime() - end < 0) {
                done.increment();
            }
            next(pair, slot, end, done, errors, finished);
        });
    }

    /**
     * Builds the section.
     *
     * @param benchDescription how redis-benchmark ran, or null if it did not
     * @param missing why the redis-benchmark baseline is missing, or null
     * @param errors failed chains per variant, over all rounds (warm-up included)
     */
    Section report(RoundData data, List<String> order, List<String> notes, String benchDescription,
            String missing, Map<String, Long> errors) {
        boolean bench = benchDescription != null;
        int rounds = cfg.asyncRounds();
        long errorSum = 0;
        for (long e : errors.values()) {
            errorSum += e;
        }
        Section sec = new Section(TITLE,
                cfg.inFlight() + " acquire+release chains in flight on as many distinct keys, one client, for "
                        + cfg.asyncBlock().toMillis() + " ms blocks per variant, shuffled per round. The raw Lettuce"
                        + " variant sends redislock's own two scripts with the same keys and arguments. redis-benchmark"
                        + " runs the same two scripts pipelined from 50 connections: acquire.lua on random free keys,"
                        + " then release.lua on random keys (its compare fails, a slightly cheaper path than a real"
                        + " release); its acquisitions/s are 1 / (1/acquire rate + 1/release rate), an upper bound on"
                        + " what Redis does with these scripts on this machine.",
                List.of("variant", "acquisitions/s", "vs redis-benchmark", "vs raw Lettuce async")).rounds(rounds);
        for (String s : order) {
            long e = errors.getOrDefault(s, 0L);
            sec.row(List.of(e == 0 ? s : s + " (**" + e + " errors**)", Fmt.count(data.summary(s, "ops"), rounds),
                    !bench ? "–" : s.equals(BENCH) ? "1.00×" : Fmt.ratio(data.ratio(s, BENCH, "ops"), rounds),
                    s.equals(RAW) ? "1.00×" : Fmt.ratio(data.ratio(s, RAW, "ops"), rounds)));
        }
        if (errorSum > 0) {
            sec.note("**Unreliable numbers**: " + errorSum + " async chains failed or did not acquire (per variant in"
                    + " the table, warm-up included; the first errors are on stderr). After " + MAX_ERRORS
                    + " errors in a block its chains stop early, which lowers that block's rate.");
        }
        for (String n : notes) {
            sec.note(n);
        }
        String remark = errorSum > 0 ? "unreliable: " + errorSum + " async errors" : null;
        Target tryTarget = Target.ratio(TITLE, "async distinct-key acquisitions/s ≥ 50% of redis-benchmark (tryAcquireAsync)",
                data.ratio(RL_TRY, BENCH, "ops"), 0.5, true);
        Target waitTarget = Target.ratio(TITLE, "async distinct-key acquisitions/s ≥ 50% of redis-benchmark (acquireAsync)",
                data.ratio(RL_WAIT, BENCH, "ops"), 0.5, true);
        if (!bench) {
            remark = missing == null ? "redis-benchmark did not run" : missing;
        }
        sec.target(remark == null ? tryTarget : tryTarget.withRemark(remark));
        sec.target(remark == null ? waitTarget : waitTarget.withRemark(remark));
        if (bench) {
            sec.note("redis-benchmark: " + benchDescription);
            String g = "3. async (vs redis-benchmark)";
            UncontendedScenario.bar(sec, g, Peers.REDISLOCK, data.ratio(RL_TRY, BENCH, "ops"));
            sec.bar(new ChartBar(g, Peers.REDIS_BENCHMARK, 1.0));
        }
        return sec;
    }
}
