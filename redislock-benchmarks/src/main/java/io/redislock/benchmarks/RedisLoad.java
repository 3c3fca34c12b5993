package io.redislock.benchmarks;

import io.redislock.testing.RedisServer;
import java.util.Map;

/**
 * A snapshot of a Redis server's work counters: command calls from {@code INFO commandstats} (script
 * internals included, the {@linkplain CommandMonitor#isHousekeeping housekeeping commands} left out as in
 * {@link CommandMonitor}: PING keep-alives and the harness's own INFO/ECHO/CONFIG/MONITOR) and CPU seconds
 * from {@code INFO cpu} (sys + user).
 *
 * @param calls total command calls
 * @param cpuSeconds used_cpu_sys + used_cpu_user
 *
 * <p>Thread-safety: immutable.
 */
public record RedisLoad(long calls, double cpuSeconds) {
    /**
     * Reads the counters.
     *
     * @param server the server
     * @return the snapshot
     */
    public static RedisLoad of(RedisServer server) {
        long calls = calls(server.commandCalls());
        Map<String, String> cpu = server.info("cpu");
        double s = Double.parseDouble(cpu.getOrDefault("used_cpu_sys", "0"))
                + Double.parseDouble(cpu.getOrDefault("used_cpu_user", "0"));
        return new RedisLoad(calls, s);
    }

    /**
     * Sums command calls, housekeeping left out.
     *
     * @param commandCalls calls by command name as {@code INFO commandstats} gives them
     * @return the total
     */
    static long calls(Map<String, Long> commandCalls) {
        long calls = 0;
        for (Map.Entry<String, Long> e : commandCalls.entrySet()) {
            if (!CommandMonitor.isHousekeeping(e.getKey())) {
                calls += e.getValue();
            }
        }
        return calls;
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
