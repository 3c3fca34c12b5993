package io.redislock.benchmarks.scenarios;

import io.redislock.LockOptions;
import io.redislock.benchmarks.BenchConfig;
import io.redislock.benchmarks.Closer;
import io.redislock.benchmarks.CommandMonitor;
import io.redislock.benchmarks.Fmt;
import io.redislock.benchmarks.RedisLoad;
import io.redislock.benchmarks.RoundData;
import io.redislock.benchmarks.Rounds;
import io.redislock.benchmarks.Samples;
import io.redislock.benchmarks.Summary;
import io.redislock.benchmarks.peers.LettuceFloorLocker;
import io.redislock.benchmarks.peers.Locker;
import io.redislock.benchmarks.peers.RawScriptsLocker;
import io.redislock.benchmarks.peers.RedislockLocker;
import io.redislock.benchmarks.peers.RedissonLocker;
import io.redislock.benchmarks.peers.SpringLocker;
import io.redislock.benchmarks.report.ChartBar;
import io.redislock.benchmarks.report.Section;
import io.redislock.benchmarks.report.Target;
import io.redislock.testing.RedisServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.integration.redis.util.RedisLockRegistry.RedisLockType;

/**
 * Scenario 1: one thread, one key, nobody else: acquire + release back to back. Every subject has its
 * own client and key; the subjects run in shuffled blocks per round.
 *
 * <p>Thread-safety: not thread-safe; run once.
 */
public final class UncontendedScenario {
    static final String TITLE = "1. Uncontended acquire + release (one thread)";
    static final String RL_TRY = "redislock tryAcquire() + release()";
    static final String RL_WAIT = "redislock acquire(wait) + release()";
    static final String FLOOR = "floor: Lettuce SET NX PX + EVALSHA compare-and-delete";
    static final String REDISSON_LEASE = "Redisson tryLock(wait, lease) + unlock()";
    static final String REDISSON_WATCHDOG = "Redisson tryLock(wait) + unlock() (watchdog)";
    static final String SPRING_SPIN = "Spring RedisLockRegistry SPIN_LOCK";
    static final String SPRING_PUBSUB = "Spring RedisLockRegistry PUB_SUB_LOCK";
    static final String DIAG_RAW = "diagnostic: redislock's acquire.lua + release.lua via Lettuce sync (no redislock client code)";

    private static final int MONITOR_OPS = 300;

    private final BenchConfig cfg;
    private final RedisServer server;

    /**
     * Creates the scenario.
     *
     * @param cfg the run configuration
     * @param server the Redis server
     */
    public UncontendedScenario(BenchConfig cfg, RedisServer server) {
        this.cfg = cfg;
        this.server = server;
    }

    /**
     * Runs it.
     *
     * @return the results
     * @throws Exception if a library fails
     */
    public Section run() throws Exception {
        String uri = server.uri();
        Map<String, Locker> lockers = new LinkedHashMap<>();
        Map<String, Samples> latency = new LinkedHashMap<>();
        RoundData data = new RoundData();
        Map<String, String> commands = new LinkedHashMap<>();
        try (Closer closer = new Closer()) {
            List<String> uris = List.of(uri);
            lockers.put(RL_TRY, closer.add(RedislockLocker.tryAcquire(uris, LockOptions.defaults()).open("bench:s1:rl-try")));
            lockers.put(RL_WAIT, closer.add(
                    RedislockLocker.acquire(uris, LockOptions.defaults(), Peers.WAIT).open("bench:s1:rl-wait")));
            lockers.put(FLOOR, closer.add(LettuceFloorLocker.once(uri, Peers.LEASE).open("bench:s1:floor")));
            lockers.put(REDISSON_LEASE, closer.add(
                    RedissonLocker.factory(uris, Peers.LEASE, Peers.WAIT).open("bench:s1:redisson-lease")));
            lockers.put(REDISSON_WATCHDOG, closer.add(
                    RedissonLocker.factory(uris, null, Peers.WAIT).open("bench:s1:redisson-wd")));
            lockers.put(SPRING_SPIN, closer.add(
                    SpringLocker.factory(uri, RedisLockType.SPIN_LOCK, Peers.WAIT).open("s1-spin")));
            lockers.put(SPRING_PUBSUB, closer.add(
                    SpringLocker.factory(uri, RedisLockType.PUB_SUB_LOCK, Peers.WAIT).open("s1-pubsub")));
            if (cfg.diagnostics()) {
                lockers.put(DIAG_RAW, closer.add(RawScriptsLocker.factory(uri, Peers.LEASE).open("bench:s1:raw")));
            }
            for (String s : lockers.keySet()) {
                latency.put(s, new Samples());
            }
            long block = cfg.serialBlock().toNanos();
            new Rounds(cfg.seed()).run(new ArrayList<>(lockers.keySet()), cfg.warmupRounds(), cfg.serialRounds(), (s, r) -> {
                RedisLoad before = RedisLoad.of(server);
                SerialLoop loop = new SerialLoop().run(lockers.get(s), block, Long.MAX_VALUE);
                RedisLoad load = RedisLoad.of(server).minus(before);
                if (r >= 0) {
                    data.put(s, "ops", r, loop.opsPerSecond());
                    data.put(s, "cpuPerOp", r, loop.ops == 0 ? Double.NaN : load.cpuSeconds() * 1e6 / loop.ops);
                    latency.get(s).addAll(loop.pairNanos);
                }
            });
            try (CommandMonitor monitor = CommandMonitor.start(server)) {
                for (Map.Entry<String, Locker> e : lockers.entrySet()) {
                    Map<String, Long> before = monitor.sync();
                    new SerialLoop().run(e.getValue(), Long.MAX_VALUE / 4, MONITOR_OPS);
                    Map<String, Long> d = CommandMonitor.delta(before, monitor.sync());
                    commands.put(e.getKey(), Fmt.plain((double) CommandMonitor.total(d) / MONITOR_OPS) + " ("
                            + CommandMonitor.perOp(d, MONITOR_OPS) + ")");
                }
            }
        }
        return report(data, latency, commands);
    }

    private Section report(RoundData data, Map<String, Samples> latency, Map<String, String> commands) {
        Section sec = new Section(TITLE,
                "One thread acquires and releases one key back to back; each library has its own client and key. "
                        + cfg.serialRounds() + " measured rounds (after " + cfg.warmupRounds() + " warm-up) of "
                        + cfg.serialBlock().toMillis() + " ms blocks per library, shuffled per round. ops/s: median"
                        + " over rounds (interquartile range); latency: one acquire+release pair, pooled over the measured"
                        + " rounds; ratios are paired within a round. Redis CPU per operation (used_cpu_sys+user over"
                        + " the block, median over rounds) includes Redis's own network work. Client commands per"
                        + " operation were counted with MONITOR in a separate, untimed window (script-internal calls"
                        + " excluded).",
                List.of("library", "ops/s", "p50", "p99", "ops/s vs floor", "Redis CPU / op", "client commands / op"))
                .rounds(cfg.serialRounds());
        for (String s : latency.keySet()) {
            Samples l = latency.get(s);
            sec.row(List.of(s, Fmt.count(data.summary(s, "ops"), cfg.serialRounds()), Fmt.micros(l.percentile(50)),
                    Fmt.micros(l.percentile(99)),
                    s.equals(FLOOR) ? "1.00×" : Fmt.ratio(data.ratio(s, FLOOR, "ops"), cfg.serialRounds()),
                    Fmt.cpuMicros(data.summary(s, "cpuPerOp").median()), commands.getOrDefault(s, "–")));
        }
        List<String> redisson = List.of(REDISSON_LEASE, REDISSON_WATCHDOG);
        sec.target(Target.ratio(TITLE, "redislock tryAcquire+release ops/s ≥ 0.9× the floor",
                data.ratio(RL_TRY, FLOOR, "ops"), 0.9, true));
        sec.target(Target.ratio(TITLE, "redislock acquire(wait)+release ops/s ≥ 0.9× the floor",
                data.ratio(RL_WAIT, FLOOR, "ops"), 0.9, true));
        // Redisson's faster variant, chosen once by its median over the run (the faster of the two in each
        // round would be biased towards Redisson: the larger of two noisy rates is larger than either's median)
        String fastest = data.bestByMedian(redisson, "ops", true);
        sec.target(Target.ratio(TITLE, "redislock tryAcquire+release ops/s ≥ 1.5× Redisson (its faster variant by median"
                        + " ops/s over the run: " + fastest.substring("Redisson ".length()) + ")",
                data.ratio(RL_TRY, fastest, "ops"), 1.5, true));
        String g = "1. uncontended ops/s";
        bar(sec, g, Peers.REDISLOCK, data.ratio(RL_TRY, FLOOR, "ops"));
        sec.bar(new ChartBar(g, Peers.FLOOR, 1.0));
        bar(sec, g, Peers.REDISSON, data.ratio(fastest, FLOOR, "ops"));
        bar(sec, g, Peers.SPRING_PUBSUB, data.ratio(SPRING_PUBSUB, FLOOR, "ops"));
        bar(sec, g, Peers.SPRING_SPIN, data.ratio(SPRING_SPIN, FLOOR, "ops"));
        return sec;
    }

    static void bar(Section sec, String group, String series, Summary s) {
        if (s.present()) {
            sec.bar(new ChartBar(group, series, s.median()));
        }
    }
}
