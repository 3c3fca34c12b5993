package io.redislock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    @Test
    void capGrowsExponentiallyUpToTheMaximum() {
        RetryPolicy p = RetryPolicy.builder()
                .initialDelay(Duration.ofMillis(10))
                .maxDelay(Duration.ofMillis(100))
                .multiplier(2)
                .build();
        assertThat(p.capNanos(0)).isEqualTo(Duration.ofMillis(10).toNanos());
        assertThat(p.capNanos(1)).isEqualTo(Duration.ofMillis(20).toNanos());
        assertThat(p.capNanos(3)).isEqualTo(Duration.ofMillis(80).toNanos());
        assertThat(p.capNanos(4)).isEqualTo(Duration.ofMillis(100).toNanos());
        assertThat(p.capNanos(1_000)).isEqualTo(Duration.ofMillis(100).toNanos());
    }

    @Test
    void fullJitterStaysWithinZeroAndTheCapAndSpreads() {
        RetryPolicy p = RetryPolicy.defaults();
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2_000; i++) {
            long d = p.delayNanos(2);
            assertThat(d).isBetween(0L, p.capNanos(2));
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isLessThan(p.capNanos(2) / 4);
        assertThat(max).isGreaterThan(p.capNanos(2) * 3 / 4);
    }

    @Test
    void badValuesAreRejectedNamingTheArgument() {
        assertThatThrownBy(() -> RetryPolicy.builder().initialDelay(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialDelay");
        assertThatThrownBy(() -> RetryPolicy.builder().maxDelay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDelay");
        assertThatThrownBy(() -> RetryPolicy.builder().multiplier(0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> RetryPolicy.builder().initialDelay(Duration.ofSeconds(2)).maxDelay(Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDelay");
    }
}
