package io.redislock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ValidityTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void validityIsLeaseMinusDriftFromTheStartBeforeTheRequest() {
        // lease 10 s, drift factor 0.01: drift = 100 ms + 2 ms
        assertThat(LockEngine.validUntil(1_000 * MS, 10_000 * MS, 0.01)).isEqualTo((1_000 + 10_000 - 102) * MS);
    }

    @Test
    void zeroDriftFactorStillKeepsTheFixedTwoMilliseconds() {
        assertThat(LockEngine.validUntil(0, 100 * MS, 0.0)).isEqualTo(98 * MS);
    }

    @Test
    void worksAcrossANegativeTickerOrigin() {
        assertThat(LockEngine.validUntil(-5_000 * MS, 1_000 * MS, 0.01)).isEqualTo((-5_000 + 1_000 - 12) * MS);
    }
}
