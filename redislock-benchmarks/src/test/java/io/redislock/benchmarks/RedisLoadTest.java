package io.redislock.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RedisLoadTest {
    @Test
    void redisCallsLeaveOutTheCommandsTheMonitorLeavesOut() {
        Map<String, Long> stats = Map.of("evalsha", 10L, "set", 5L, "ping", 100L, "info", 7L, "echo", 3L,
                "config|resetstat", 1L, "monitor", 1L, "publish", 2L);
        assertThat(RedisLoad.calls(stats)).isEqualTo(17);
        for (String housekeeping : stats.keySet()) {
            assertThat(CommandMonitor.isHousekeeping(housekeeping.toUpperCase(java.util.Locale.ROOT)))
                    .isEqualTo(CommandMonitor.isHousekeeping(housekeeping));
        }
        assertThat(CommandMonitor.isHousekeeping("PING")).isTrue();
        assertThat(CommandMonitor.isHousekeeping("EVALSHA")).isFalse();
    }
}
