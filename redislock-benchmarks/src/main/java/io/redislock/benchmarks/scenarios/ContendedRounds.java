package io.redislock.benchmarks.scenarios;

import io.redislock.benchmarks.Closer;
import io.redislock.benchmarks.RedisLoad;
import io.redislock.benchmarks.RoundData;
import io.redislock.benchmarks.Rounds;
import io.redislock.benchmarks.Samples;
import io.redislock.benchmarks.Stats;
import io.redislock.benchmarks.peers.Locker;
import io.redislock.benchmarks.peers.LockerFactory;
import io.redislock.testing.RedisServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The measuring loop shared by the contended scenarios: N workers per library, each with its own client,
 * in shuffled rounds of one block per library; per round, throughput, hand-off, fairness, holder changes
 * and (when a server is given) the Redis work per acquisition; hand-off and wait latencies pooled over
 * rounds.
 *
 * <p>Thread-safety: not thread-safe; one per scenario run.
 */
final class ContendedRounds {
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(20);

    final Map<String, List<Locker>> lockers = new LinkedHashMap<>();
    final Map<String, Samples> handoffs = new LinkedHashMap<>();
    final Map<String, Samples> waits = new LinkedHashMap<>();
    final Map<String, String> problems = new LinkedHashMap<>();
    final RoundData data = new RoundData();
    private final Set<String> broken = new LinkedHashSet<>();

    /**
     * Opens {@code workers} lockers per library on one key per library, closed with {@code closer}.
     *
     * @param closer closes the lockers
     * @param factories the libraries
     * @param workers lockers per library
     * @param keyPrefix prefix of the per-library key
     * @return this
     * @throws Exception if a locker cannot be opened
     */
    ContendedRounds open(Closer closer, Map<String, LockerFactory> factories, int workers, String keyPrefix)
            throws Exception {
        for (Map.Entry<String, LockerFactory> e : factories.entrySet()) {
            List<Locker> list = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                list.add(closer.add(e.getValue().open(keyPrefix + Math.abs(e.getKey().hashCode()))));
            }
            lockers.put(e.getKey(), list);
            handoffs.put(e.getKey(), new Samples());
            waits.put(e.getKey(), new Samples());
        }
        return this;
    }

    /**
     * Runs one warm-up round and {@code rounds} measured rounds.
     *
     * @param seed shuffle seed
     * @param rounds measured rounds
     * @param blockNanos one library's block
     * @param server the Redis whose calls and CPU are counted per acquisition, or null
     * @throws Exception if the harness fails
     */
    void run(long seed, int rounds, long blockNanos, RedisServer server) throws Exception {
        new Rounds(seed).run(new ArrayList<>(lockers.keySet()), 1, rounds, (s, r) -> {
            if (broken.contains(s)) {
                return;
            }
            RedisLoad before = server == null ? null : RedisLoad.of(server);
            ContendedBlock b = block(s, blockNanos);
            if (r < 0 || b == null) {
                return;
            }
            data.put(s, "ops", r, b.inWindow() / (b.windowNanos / 1e9));
            Samples h = b.handoffs();
            data.put(s, "handoffP50", r, h.percentile(50));
            handoffs.get(s).addAll(h);
            waits.get(s).addAll(b.waits());
            double[] perWorker = b.perWorkerInWindow();
            data.put(s, "cv", r, Stats.coefficientOfVariation(perWorker));
            data.put(s, "minWorker", r, Stats.min(perWorker));
            long total = b.total();
            data.put(s, "changed", r, total <= 1 ? Double.NaN : (double) b.changes() / (total - 1));
            if (server != null) {
                RedisLoad load = RedisLoad.of(server).minus(before);
                data.put(s, "callsPerAcq", r, total == 0 ? Double.NaN : (double) load.calls() / total);
                data.put(s, "cpuPerAcq", r, total == 0 ? Double.NaN : load.cpuSeconds() * 1e6 / total);
            }
        });
    }

    /**
     * Runs one block of library {@code s} and records its problems.
     *
     * @param s the library
     * @param blockNanos how long
     * @return the block, or null if the library was dropped after workers that did not finish
     * @throws Exception if the harness fails
     */
    ContendedBlock block(String s, long blockNanos) throws Exception {
        if (broken.contains(s)) {
            return null;
        }
        ContendedBlock b = new ContendedBlock().run(lockers.get(s), blockNanos, DRAIN_NANOS);
        if (b.violations() > 0) {
            problems.merge(s, b.violations() + " mutual-exclusion violations", (x, y) -> x + "; " + y);
        }
        if (b.errors() > 0) {
            problems.merge(s, b.errors() + " errors, first: " + b.firstError(), (x, y) -> x + "; " + y);
        }
        if (b.timedOut) {
            broken.add(s);
            problems.merge(s, "workers did not finish; dropped from later rounds", (x, y) -> x + "; " + y);
        }
        return b;
    }
}
