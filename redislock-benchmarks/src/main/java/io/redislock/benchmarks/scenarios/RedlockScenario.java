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
import io.redislock.benchmarks.peers.Locker;
import io.redislock.benchmarks.peers.ParallelFloorLocker;
import io.redislock.benchmarks.peers.RedislockLocker;
import io.redislock.benchmarks.peers.RedissonLocker;
import io.redislock.benchmarks.report.ChartBar;
import io.redislock.benchmarks.report.Section;
import io.redislock.benchmarks.report.Target;
import io.redislock.testing.RedisServers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scenario 4: Redlock over 5 local redis-server nodes, one thread, uncontended: redislock with 5 URIs,
 * redislock on 1 node, the raw parallel floor and Redisson's RedissonRedLock over 5 clients. The
 * acquire latency is timed on its own.
 *
 * <p>Thread-safety: not thread-safe; run once.
 */
public final class RedlockScenario {
    static final String TITLE = "4. Redlock: 5 local nodes";
    static final String RL5 = "redislock, 5 nodes: tryAcquire() + release()";
    static final String RL1 = "redislock, 1 node: tryAcquire() + release()";
    static final String FLOOR5 = "parallel floor, 5 nodes: Lettuce async SET NX PX + compare-and-delete, majority";
    static final String REDISSON5 = "Redisson RedissonRedLock over 5 clients: tryLock(wait, lease) + unlock()";
    static final String REDISSON5_WATCHDOG =
            "Redisson RedissonRedLock over 5 clients: tryLock(wait) + unlock() (watchdog)";
    static final String DIAG_SCRIPTS = "diagnostic: parallel floor sending redislock's acquire.lua + release.lua";
    static final String DIAG_IO4 =
            "diagnostic: parallel floor on 4 I/O threads (redislock's client uses min(4, cores, nodes))";
    private static final int MONITOR_OPS = 200;

    private final BenchConfig cfg;
    private final RedisServers servers;

    /**
     * Creates the scenario.
     *
     * @param cfg the run configuration
     * @param servers at least 5 servers
     */
    public RedlockScenario(BenchConfig cfg, RedisServers servers) {
        this.cfg = cfg;
        this.servers = servers;
    }

    /**
     * Runs it.
     *
     * @return the results
     * @throws Exception if a library fails
     */
    public Section run() throws Exception {
        List<String> uris = servers.uris().subList(0, 5);
        Map<String, Locker> lockers = new LinkedHashMap<>();
        Map<String, Samples> acquire = new LinkedHashMap<>();
        Map<String, Samples> pair = new LinkedHashMap<>();
        Map<String, String> commands = new LinkedHashMap<>();
        RoundData data = new RoundData();
        try (Closer closer = new Closer()) {
            lockers.put(RL5, closer.add(RedislockLocker.tryAcquire(uris, LockOptions.defaults()).open("bench:s4:rl5")));
            lockers.put(RL1, closer.add(
                    RedislockLocker.tryAcquire(uris.subList(0, 1), LockOptions.defaults()).open("bench:s4:rl1")));
            lockers.put(FLOOR5, closer.add(ParallelFloorLocker.factory(uris, Peers.LEASE).open("bench:s4:floor")));
            lockers.put(REDISSON5, closer.add(
                    RedissonLocker.factory(uris, Peers.LEASE, Peers.WAIT).open("bench:s4:redisson")));
            // with a lease, RedissonMultiLock takes each node's lock with a longer lease and then sets the
            // lease with one PEXPIRE per node, one after another: its watchdog variant skips those
            lockers.put(REDISSON5_WATCHDOG, closer.add(
                    RedissonLocker.factory(uris, null, Peers.WAIT).open("bench:s4:redisson-wd")));
            if (cfg.diagnostics()) {
                lockers.put(DIAG_SCRIPTS, closer.add(
                        ParallelFloorLocker.withCoreScripts(uris, Peers.LEASE).open("bench:s4:floor-scripts")));
                lockers.put(DIAG_IO4, closer.add(
                        ParallelFloorLocker.onIoThreads(uris, Peers.LEASE, 4).open("bench:s4:floor-io4")));
            }
            for (String s : lockers.keySet()) {
                acquire.put(s, new Samples());
                pair.put(s, new Samples());
            }
            long block = cfg.serialBlock().toNanos();
            new Rounds(cfg.seed() + 4).run(new ArrayList<>(lockers.keySet()), cfg.warmupRounds(), cfg.serialRounds(), (s, r) -> {
                int used = s.equals(RL1) ? 1 : uris.size(); // the 1-node variant: only the node it uses
                double cpuBefore = cpuSeconds(used);
                SerialLoop loop = new SerialLoop().run(lockers.get(s), block, Long.MAX_VALUE);
                double cpu = cpuSeconds(used) - cpuBefore;
                if (r >= 0) {
                    data.put(s, "cpuPerOp", r, loop.ops == 0 ? Double.NaN : cpu * 1e6 / loop.ops);
                    data.put(s, "acquireP50", r, loop.acquireNanos.percentile(50));
                    data.put(s, "ops", r, loop.opsPerSecond());
                    acquire.get(s).addAll(loop.acquireNanos);
                    pair.get(s).addAll(loop.pairNanos);
                }
            });
            List<CommandMonitor> monitors = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    monitors.add(CommandMonitor.start(servers.get(i)));
                }
                for (Map.Entry<String, Locker> e : lockers.entrySet()) {
                    Map<String, Long> before = sync(monitors);
                    new SerialLoop().run(e.getValue(), Long.MAX_VALUE / 4, MONITOR_OPS);
                    Map<String, Long> d = CommandMonitor.delta(before, sync(monitors));
                    commands.put(e.getKey(), Fmt.plain((double) CommandMonitor.total(d) / MONITOR_OPS) + " ("
                            + CommandMonitor.perOp(d, MONITOR_OPS) + ")");
                }
            } finally {
                for (CommandMonitor m : monitors) {
                    m.close();
                }
            }
        }
        return report(data, acquire, pair, commands);
    }

    /** Redis CPU seconds (sys + user) summed over the first {@code n} servers. */
    private double cpuSeconds(int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += RedisLoad.of(servers.get(i)).cpuSeconds();
        }
        return sum;
    }

    private static Map<String, Long> sync(List<CommandMonitor> monitors) {
        Map<String, Long> sum = new TreeMap<>();
        for (CommandMonitor m : monitors) {
            m.sync().forEach((k, v) -> sum.merge(k, v, Long::sum));
        }
        return sum;
    }

    private Section report(RoundData data, Map<String, Samples> acquire, Map<String, Samples> pair,
            Map<String, String> commands) {
        Section sec = new Section(TITLE,
                "Five independent redis-server processes on this machine; one thread acquires and releases one key"
                        + " with no contention. " + cfg.serialRounds() + " measured rounds (after " + cfg.warmupRounds()
                        + " warm-up) of " + cfg.serialBlock().toMillis() + " ms blocks, shuffled per round. Acquire"
                        + " latency is timed alone (pooled p50/p99); ratios compare per-round acquire medians. Redis CPU"
                        + " per acquire+release is summed over the five servers (over the one it uses for the 1-node"
                        + " variant; median over rounds). Commands were"
                        + " counted with MONITOR on all five nodes in a separate window.",
                List.of("library", "acquire p50", "acquire p99", "acquire vs floor", "acquire+release ops/s",
                        "Redis CPU / op, all nodes", "client commands / op, all nodes")).rounds(cfg.serialRounds());
        for (String s : acquire.keySet()) {
            sec.row(List.of(s, Fmt.micros(acquire.get(s).percentile(50)), Fmt.micros(acquire.get(s).percentile(99)),
                    s.equals(FLOOR5) ? "1.00×" : Fmt.ratio(data.ratio(s, FLOOR5, "acquireP50"), cfg.serialRounds()),
                    Fmt.count(data.summary(s, "ops"), cfg.serialRounds()),
                    Fmt.cpuMicros(data.summary(s, "cpuPerOp").median()),
                    commands.getOrDefault(s, "–")));
        }
        sec.target(Target.ratio(TITLE, "5-node acquire median ≤ 1.15× the raw parallel floor",
                data.ratio(RL5, FLOOR5, "acquireP50"), 1.15, false));
        // Redisson's faster variant, chosen once by its median over the run (not per round: see RoundData)
        String redisson = data.bestByMedian(List.of(REDISSON5, REDISSON5_WATCHDOG), "acquireP50", false);
        sec.target(Target.ratio(TITLE, "5-node acquire median ≤ 0.5× Redisson's RedLock (its faster variant by median"
                        + " over the run: " + redisson.substring(redisson.indexOf(": ") + 2) + ")",
                data.ratio(RL5, redisson, "acquireP50"), 0.5, false));
        String g = "4. Redlock 5-node acquire";
        UncontendedScenario.bar(sec, g, Peers.REDISLOCK, data.ratio(FLOOR5, "acquireP50", RL5, "acquireP50"));
        sec.bar(new ChartBar(g, Peers.FLOOR, 1.0));
        UncontendedScenario.bar(sec, g, Peers.REDISSON, data.ratio(FLOOR5, "acquireP50", redisson, "acquireP50"));
        return sec;
    }
}
