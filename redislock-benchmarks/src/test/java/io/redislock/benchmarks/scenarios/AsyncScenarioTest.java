package io.redislock.benchmarks.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.redislock.benchmarks.BenchConfig;
import io.redislock.benchmarks.RoundData;
import io.redislock.benchmarks.report.Section;
import io.redislock.benchmarks.report.Target;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AsyncScenarioTest {
    private final AsyncScenario scenario = new AsyncScenario(BenchConfig.quick(1, false), null);

    private static RoundData data(String... subjects) {
        RoundData d = new RoundData();
        for (int r = 0; r < 3; r++) {
            for (String s : subjects) {
                d.put(s, "ops", r, 1000 + r);
            }
        }
        return d;
    }

    @Test
    void withoutRedisBenchmarkTheTargetsAreReportedAsNotMeasured() {
        Section sec = scenario.report(data(AsyncScenario.RL_TRY, AsyncScenario.RL_WAIT, AsyncScenario.RAW),
                List.of(AsyncScenario.RL_TRY, AsyncScenario.RL_WAIT, AsyncScenario.RAW), List.of(), null,
                "redis-benchmark not found", Map.of());
        assertThat(sec.targets()).hasSize(2).extracting(Target::verdict)
                .containsOnly("not measured (redis-benchmark not found)");
        assertThat(sec.bars()).isEmpty();
    }

    @Test
    void errorsAreInTheSectionAndMarkTheTargetsUnreliable() {
        Section sec = scenario.report(
                data(AsyncScenario.RL_TRY, AsyncScenario.RL_WAIT, AsyncScenario.RAW, AsyncScenario.BENCH),
                List.of(AsyncScenario.RL_TRY, AsyncScenario.RL_WAIT, AsyncScenario.RAW, AsyncScenario.BENCH),
                List.of(), "pipelined", null, Map.of(AsyncScenario.RL_WAIT, 1234L));
        assertThat(sec.markdown()).contains(AsyncScenario.RL_WAIT + " (**1234 errors**)")
                .contains("**Unreliable numbers**: 1234 async chains failed");
        assertThat(sec.targets()).extracting(Target::verdict).containsOnly("met (unreliable: 1234 async errors)");
    }

    @Test
    void drivenChainsCountTheirErrorsAndStopEarlyAfterTheLimit() throws InterruptedException {
        long start = System.nanoTime();
        AsyncScenario.Driven d = AsyncScenario.drive(i -> CompletableFuture.completedFuture(false), 4,
                TimeUnit.SECONDS.toNanos(10));
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(d.errors()).isGreaterThan(AsyncScenario.MAX_ERRORS);
        assertThat(d.ops()).isZero();
    }
}
