package io.redislock.benchmarks.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RedisBenchmarkTest {
    @Test
    void readsRequestsPerSecondFromTheCsvOutput() throws IOException {
        String csv = "\"test\",\"rps\",\"avg_latency_ms\",\"min_latency_ms\"\n"
                + "\"EVALSHA abc 3 k:__rand_int__\",\"185185.19\",\"3.964\",\"0.640\"\n";
        assertThat(RedisBenchmark.parse(csv)).isEqualTo(185185.19);
    }

    @Test
    void failsWithoutAResultLine() {
        assertThatThrownBy(() -> RedisBenchmark.parse("Could not connect to Redis at 127.0.0.1:1\n"))
                .isInstanceOf(IOException.class);
    }
}
