package io.redislock.benchmarks.scenarios;

import io.redislock.LockOptions;
import io.redislock.RetryPolicy;
import io.redislock.benchmarks.BenchConfig;
import io.redislock.benchmarks.Closer;
import io.redislock.benchmarks.CommandMonitor;
import io.redislock.benchmarks.Fmt;
import io.redislock.benchmarks.RoundData;
import io.redislock.benchmarks.Samples;
import io.redislock.benchmarks.peers.GrantOnReleaseLocker;
import io.redislock.benchmarks.peers.LettuceFloorLocker;
import io.redislock.benchmarks.peers.LockerFactory;
import io.redislock.benchmarks.peers.RedislockLocker;
import io.redislock.benchmarks.peers.RedissonLocker;
import io.redislock.benchmarks.peers.SpringLocker;
import io.redislock.benchmarks.report.ChartBar;
import io.redislock.benchmarks.report.Section;
import io.redislock.benchmarks.report.Target;
import io.redislock.testing.RedisServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.integration.redis.util.RedisLockRegistry.RedisLockType;

/**
 * Scenario 2: N workers, each with its own client (as separate processes would have), contend for one
 * key with an empty critical section. Per library and round: throughput, hand-off latency, fairness,
 * holder changes and the Redis work per acquisition; client-sent commands per acquisition in a separate
 * MONITOR window.
 *
 * <p>Thread-safety: not thread-safe; run once.
 */
public final class ContendedScenario {
    static final String TITLE = "2. Contended: 8 separate clients, one key";
    static final Duration FLOOR_BACKOFF = Duration.ofMillis(1);
    static final String RL = "redislock acquire(wait)";
    static final String FLOOR = "polling floor: SET NX PX, random backoff ≤ 1 ms";
    static final String REDISSON = "Redisson tryLock(wait) (watchdog)";
    static final String SPRING_PUBSUB = "Spring RedisLockRegistry PUB_SUB_LOCK";
    static final String SPRING_SPIN = "Spring RedisLockRegistry SPIN_LOCK";
    static final String DIAG_RETRY = "diagnostic: redislock, retry initialDelay 1 s";
    static final String DIAG_ONE_IO = "diagnostic: redislock on a 1-I/O-thread Lettuce client";
    static final String DIAG_NO_FAIR = "diagnostic: redislock, fairHandoff(false) (release only wakes a waiter)";
    static final String DIAG_GRANT_CORE = "diagnostic: redislock's acquire.lua + release.lua via Lettuce sync, wait for the grant (no redislock client code)";
    static final String DIAG_GRANT = "diagnostic: minimal grant-on-release scripts via Lettuce sync (FIFO list, no fencing)";

    private final BenchConfig cfg;
    private final RedisServer server;

    /**
     * Creates the scenario.
     *
     * @param cfg the run configuration
     * @param server the Redis server
     */
    public ContendedScenario(BenchConfig cfg, RedisServer server) {
        this.cfg = cfg;
        this.server = server;
    }

    private Map<String, LockerFactory> factories() {
        String uri = server.uri();
        List<String> uris = List.of(uri);
        Map<String, LockerFactory> f = new LinkedHashMap<>();
        f.put(RL, RedislockLocker.acquire(uris, LockOptions.defaults(), Peers.WAIT));
        f.put(FLOOR, LettuceFloorLocker.polling(uri, Peers.LEASE, FLOOR_BACKOFF, Peers.WAIT));
        f.put(REDISSON, RedissonLocker.factory(uris, null, Peers.WAIT));
        f.put(SPRING_PUBSUB, SpringLocker.factory(uri, RedisLockType.PUB_SUB_LOCK, Peers.WAIT));
        f.put(SPRING_SPIN, SpringLocker.factory(uri, RedisLockType.SPIN_LOCK, Peers.WAIT));
        if (cfg.diagnostics()) {
            LockOptions slowRetry = LockOptions.builder()
                    .retry(RetryPolicy.builder().initialDelay(Duration.ofSeconds(1)).maxDelay(Duration.ofSeconds(1)).build())
                    .build();
            f.put(DIAG_RETRY, RedislockLocker.acquire(uris, slowRetry, Peers.WAIT));
            f.put(DIAG_ONE_IO, RedislockLocker.acquireOnOneIoThread(uri, LockOptions.defaults(), Peers.WAIT));
            f.put(DIAG_NO_FAIR, RedislockLocker.acquire(uris,
                    LockOptions.builder().fairHandoff(false).build(), Peers.WAIT));
            f.put(DIAG_GRANT_CORE, GrantOnReleaseLocker.withCoreScripts(uri, Peers.LEASE, Peers.WAIT));
            f.put(DIAG_GRANT, GrantOnReleaseLocker.factory(uri, Peers.LEASE, Peers.WAIT));
        }
        return f;
    }

    /**
     * Runs it.
     *
     * @return the results
     * @throws Exception if the harness fails
     */
    public Section run() throws Exception {
        Map<String, String> commands = new LinkedHashMap<>();
        Map<String, Double> commandsPerAcq = new LinkedHashMap<>();
        ContendedRounds c = new ContendedRounds();
        long block = cfg.contendedBlock().toNanos();
        try (Closer closer = new Closer()) {
            c.open(closer, factories(), cfg.workers(), "bench-s2-");
            c.run(cfg.seed() + 2, cfg.contendedRounds(), block, server);
            long monitorBlock = Math.max(TimeUnit.MILLISECONDS.toNanos(300), block / 3);
            try (CommandMonitor monitor = CommandMonitor.start(server)) {
                for (String s : c.lockers.keySet()) {
                    Map<String, Long> before = monitor.sync();
                    ContendedBlock b = c.block(s, monitorBlock);
                    if (b == null) {
                        continue;
                    }
                    Map<String, Long> d = CommandMonitor.delta(before, monitor.sync());
                    long acq = b.total();
                    if (acq > 0) {
                        double per = (double) CommandMonitor.total(d) / acq;
                        commandsPerAcq.put(s, per);
                        commands.put(s, Fmt.plain(per) + " (" + CommandMonitor.perOp(d, acq) + ")");
                    }
                }
            }
        }
        return report(c, commands, commandsPerAcq);
    }

    private Section report(ContendedRounds c, Map<String, String> commands, Map<String, Double> commandsPerAcq) {
        RoundData data = c.data;
        int rounds = cfg.contendedRounds();
        Section sec = new Section(TITLE,
                cfg.workers() + " workers, each with its own client instance, loop lock → empty critical section →"
                        + " unlock on one key. " + cfg.contendedRounds() + " measured rounds (after 1 warm-up) of "
                        + cfg.contendedBlock().toMillis() + " ms per library, shuffled per round. Wait = time from a"
                        + " worker calling lock() to its return, for every acquisition. Hand-off = time from the holder"
                        + " starting its release to the next holder returning from its acquire, counted only when the"
                        + " holder changed (n such hand-offs). Both are pooled over rounds and, like the acquisitions,"
                        + " count only acquisitions inside the measuring window (not while the workers drain). Fairness = coefficient of variation of acquisitions per worker."
                        + " Redis calls include commands run inside scripts (INFO commandstats); Redis CPU is"
                        + " used_cpu_sys+user. Client commands were counted with MONITOR in a separate window.",
                List.of("library", "acquisitions/s", "vs floor", "wait p50", "wait p99", "hand-off p50",
                        "hand-off p99", "hand-offs (n)", "fairness CV", "holder changed", "Redis calls / acq",
                        "Redis CPU / acq", "client commands / acq")).rounds(rounds);
        for (String s : c.handoffs.keySet()) {
            Samples h = c.handoffs.get(s);
            Samples w = c.waits.get(s);
            sec.row(List.of(s, Fmt.count(data.summary(s, "ops"), rounds),
                    s.equals(FLOOR) ? "1.00×" : Fmt.ratio(data.ratio(s, FLOOR, "ops"), rounds),
                    Fmt.micros(w.percentile(50)), Fmt.micros(w.percentile(99)),
                    Fmt.micros(h.percentile(50)), Fmt.micros(h.percentile(99)), Fmt.count(h.count()),
                    Fmt.plain(data.summary(s, "cv").median()), Fmt.percent(data.summary(s, "changed").median()),
                    Fmt.plain(data.summary(s, "callsPerAcq").median()),
                    Fmt.cpuMicros(data.summary(s, "cpuPerAcq").median()),
                    commands.getOrDefault(s, "–")));
        }
        for (Map.Entry<String, String> p : c.problems.entrySet()) {
            sec.note("**" + p.getKey() + "**: " + p.getValue());
        }
        sec.note("The polling floor lets the releasing worker try again at once, so it often re-takes the lock"
                + " itself (see \"holder changed\"): throughput without hand-off. Spring's SPIN_LOCK sleeps"
                + " (default 100 ms) between tries.");
        sec.target(Target.ratio(TITLE, "contended acquisitions/s ≥ 1.0× the polling floor",
                data.ratio(RL, FLOOR, "ops"), 1.0, true));
        sec.target(Target.ratio(TITLE, "contended acquisitions/s ≥ 2× Redisson",
                data.ratio(RL, REDISSON, "ops"), 2.0, true));
        sec.target(Target.ratio(TITLE, "median hand-off ≤ 0.8× the polling floor's",
                data.ratio(RL, "handoffP50", FLOOR, "handoffP50"), 0.8, false));
        sec.target(Target.single(TITLE, "≤ 3 client-sent commands per acquisition (one MONITOR window)",
                commandsPerAcq.get(RL), 3.0, false));
        sec.target(Target.everyRound(TITLE, "no starvation: fewest acquisitions of any worker in any round ≥ 1",
                data.summary(RL, "minWorker"), 1.0, true));
        String g = "2. contended acq/s";
        UncontendedScenario.bar(sec, g, Peers.REDISLOCK, data.ratio(RL, FLOOR, "ops"));
        sec.bar(new ChartBar(g, Peers.FLOOR, 1.0));
        UncontendedScenario.bar(sec, g, Peers.REDISSON, data.ratio(REDISSON, FLOOR, "ops"));
        UncontendedScenario.bar(sec, g, Peers.SPRING_PUBSUB, data.ratio(SPRING_PUBSUB, FLOOR, "ops"));
        UncontendedScenario.bar(sec, g, Peers.SPRING_SPIN, data.ratio(SPRING_SPIN, FLOOR, "ops"));
        return sec;
    }
}
