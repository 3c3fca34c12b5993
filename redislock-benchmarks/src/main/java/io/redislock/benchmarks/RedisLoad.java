package io.redislock.benchmarks;

import io.redislock.testing.RedisServer;
import java.util.Map;
import java.util.Set;

/**
 * A snapshot of a Redis server's work counters: command calls from {@code INFO commandstats} (script
 * internals included, the harness's own INFO/ECHO/CONFIG calls left out) and CPU seconds from
 * {@code INFO cpu} (sys + user).
 *
 * @param calls total command calls
 * @param cpuSeconds used_cpu_sys + used_cpu_user
 *
 * <p>Thread-safety: immutable.
 */
public record RedisLoad(long calls, double cpuSeconds) {
    private static final Set<String> HARNESS = Set.of("info", "echo", "config|resetstat", "config", "monitor");

    /**
     * Reads the counters.
     *
     * @param server the server
     * @return the snapshot
     */
    public static RedisLoad of(RedisServer server) {
        long calls = 0;
        for (Map.Entry<String, Long> e : server.commandCalls().entrySet()) {
            if (!HARNESS.contains(e.getKey())) {
                calls += e.getValue();
            }
        }
        Map<String, String> cpu = server.info("cpu");
        double s = Double.parseDouble(cpu.getOrDefault("used_cpu_sys", "0"))
                + Double.parseDouble(cpu.getOrDefault("used_cpu_user", "0"));
        return new RedisLoad(calls, s);
    }

    /**
     * The work done since an earlier snapshot.
     *
     * @param before the earlier snapshot
     * @return the difference
     */
    public RedisLoad minus(RedisLoad before) {
        return new RedisLoad(calls - before.calls, cpuSeconds - before.cpuSeconds);
    }
}
