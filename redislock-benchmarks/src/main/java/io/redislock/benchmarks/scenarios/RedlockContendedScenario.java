package io.redislock.benchmarks.scenarios;

import io.redislock.LockOptions;
import io.redislock.benchmarks.BenchConfig;
import io.redislock.benchmarks.Closer;
import io.redislock.benchmarks.Fmt;
import io.redislock.benchmarks.RoundData;
import io.redislock.benchmarks.Samples;
import io.redislock.benchmarks.peers.LockerFactory;
import io.redislock.benchmarks.peers.RedislockLocker;
import io.redislock.benchmarks.peers.RedissonLocker;
import io.redislock.benchmarks.report.Section;
import io.redislock.testing.RedisServers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 5 (no target in the issues): scenario 2's contention over Redlock. N workers, each with its own
 * client over the same 5 nodes, contend for one key with an empty critical section: throughput, hand-off
 * latency, fairness and holder changes, for redislock with its fair hand-off, redislock with
 * {@code fairHandoff(false)} (a release only wakes one waiter per node, as before the hand-off existed
 * under Redlock) and Redisson's {@code RedissonRedLock}.
 *
 * <p>Thread-safety: not thread-safe; run once.
 */
public final class RedlockContendedScenario {
    static final String TITLE = "5. Contended Redlock: 8 separate clients, one key, 5 nodes";
    static final String RL = "redislock acquire(wait), fair hand-off (default)";
    static final String RL_WAKE = "redislock acquire(wait), fairHandoff(false): a release only wakes";
    static final String REDISSON = "Redisson RedissonRedLock over 5 clients: tryLock(wait, lease)";
    static final String REDISSON_WATCHDOG = "Redisson RedissonRedLock over 5 clients: tryLock(wait) (watchdog)";

    private final BenchConfig cfg;
    private final RedisServers servers;

    /**
     * Creates the scenario.
     *
     * @param cfg the run configuration
     * @param servers at least 5 servers
     */
    public RedlockContendedScenario(BenchConfig cfg, RedisServers servers) {
        this.cfg = cfg;
        this.servers = servers;
    }

    /**
     * Runs it.
     *
     * @return the results
     * @throws Exception if the harness fails
     */
    public Section run() throws Exception {
        List<String> uris = servers.uris().subList(0, 5);
        Map<String, LockerFactory> factories = new LinkedHashMap<>();
        factories.put(RL, RedislockLocker.acquire(uris, LockOptions.defaults(), Peers.WAIT));
        factories.put(RL_WAKE, RedislockLocker.acquire(uris, LockOptions.builder().fairHandoff(false).build(), Peers.WAIT));
        factories.put(REDISSON, RedissonLocker.factory(uris, Peers.LEASE, Peers.WAIT));
        factories.put(REDISSON_WATCHDOG, RedissonLocker.factory(uris, null, Peers.WAIT));
        ContendedRounds c = new ContendedRounds();
        try (Closer closer = new Closer()) {
            c.open(closer, factories, cfg.workers(), "bench-s5-");
            c.run(cfg.seed() + 5, cfg.contendedRounds(), cfg.contendedBlock().toNanos(), null);
        }
        RoundData data = c.data;
        Section sec = new Section(TITLE,
                cfg.workers() + " workers, each with its own client over the same five redis-server processes, loop"
                        + " lock → empty critical section → unlock on one key. " + cfg.contendedRounds()
                        + " measured rounds (after 1 warm-up) of " + cfg.contendedBlock().toMillis() + " ms per"
                        + " variant, shuffled per round. Wait, hand-off and fairness as in scenario 2. No target: this"
                        + " shows what the Redlock hand-off changes.",
                List.of("variant", "acquisitions/s", "vs redislock", "wait p50", "wait p99", "hand-off p50",
                        "hand-off p99", "hand-offs (n)", "fairness CV", "holder changed"))
                .rounds(cfg.contendedRounds());
        for (String s : c.handoffs.keySet()) {
            Samples h = c.handoffs.get(s);
            Samples w = c.waits.get(s);
            sec.row(List.of(s, Fmt.count(data.summary(s, "ops"), cfg.contendedRounds()),
                    s.equals(RL) ? "1.00×" : Fmt.ratio(data.ratio(s, RL, "ops"), cfg.contendedRounds()),
                    Fmt.micros(w.percentile(50)), Fmt.micros(w.percentile(99)),
                    Fmt.micros(h.percentile(50)), Fmt.micros(h.percentile(99)), Fmt.count(h.count()),
                    Fmt.plain(data.summary(s, "cv").median()), Fmt.percent(data.summary(s, "changed").median())));
        }
        for (Map.Entry<String, String> p : c.problems.entrySet()) {
            sec.note("**" + p.getKey() + "**: " + p.getValue());
        }
        return sec;
    }
}
