package io.redislock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code redislock demo} end to end: it starts and stops its own redis-server processes. */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class DemoIT {
    @Test
    void demoLosesUpdatesWithoutALockNoneWithOneAndFencesOffTheLateWrite() {
        try (CliProcess demo = CliProcess.start("demo", "--workers", "4", "--seconds", "4")) {
            CliProcess.Result r = demo.await(Duration.ofSeconds(120));

            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.stdout())
                    .contains("1. no lock", "2. single-instance lock", "3. Redlock, 5 nodes, 1 killed midway")
                    .contains("late write rejected by fencing token")
                    .contains("demo passed");
            assertThat(r.stdout().lines().filter(l -> l.contains("ok: none lost")).count()).isEqualTo(2);
            assertThat(r.stderr()).contains("starting 6 redis-server processes");
        }
    }
}
