package io.redislock;

import io.redislock.internal.Checks;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a waiting acquirer retries when no release notification arrives: exponential backoff with full
 * jitter. Attempt {@code k} (from 0) sleeps a uniformly random time in
 * {@code [0, min(maxDelay, initialDelay × multiplier^k)]}; the caller further bounds it by the lock's
 * remaining TTL and the remaining wait. Release notifications (pub/sub) cut any sleep short.
 *
 * <p>Thread-safety: immutable.
 */
public final class RetryPolicy {
    private static final RetryPolicy DEFAULTS = builder().build();

    private final Duration initialDelay;
    private final Duration maxDelay;
    private final double multiplier;

    private RetryPolicy(Builder b) {
        this.initialDelay = b.initialDelay;
        this.maxDelay = b.maxDelay;
        this.multiplier = b.multiplier;
    }

    /**
     * The defaults: 10 ms initial delay, doubling, capped at 1 s.
     *
     * @return the default policy
     */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from this policy's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder().initialDelay(initialDelay).maxDelay(maxDelay).multiplier(multiplier);
    }

    /** @return the cap of the first retry's delay */
    public Duration initialDelay() {
        return initialDelay;
    }

    /** @return the largest cap any retry's delay can have */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** @return the growth factor of the cap per attempt */
    public double multiplier() {
        return multiplier;
    }

    /**
     * The cap of attempt {@code attempt}'s delay, before jitter: {@code min(max, initial × multiplier^attempt)}.
     *
     * @param attempt the attempt number, from 0
     * @return the cap in nanoseconds
     */
    public long capNanos(int attempt) {
        double cap = initialDelay.toNanos() * Math.pow(multiplier, Math.max(0, attempt));
        return (long) Math.min(cap, (double) maxDelay.toNanos());
    }

    /**
     * A full-jitter delay for the given attempt: uniform in {@code [0, capNanos(attempt)]}.
     *
     * @param attempt the attempt number, from 0
     * @return the delay in nanoseconds
     */
    public long delayNanos(int attempt) {
        long cap = capNanos(attempt);
        return cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap + 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetryPolicy p
                && p.initialDelay.equals(initialDelay)
                && p.maxDelay.equals(maxDelay)
                && p.multiplier == multiplier;
    }

    @Override
    public int hashCode() {
        return Objects.hash(initialDelay, maxDelay, multiplier);
    }

    @Override
    public String toString() {
        return "RetryPolicy{initialDelay=" + initialDelay + ", maxDelay=" + maxDelay + ", multiplier=" + multiplier
                + ", jitter=full}";
    }

    /**
     * Builds a {@link RetryPolicy}; each setter validates its argument.
     *
     * <p>Thread-safety: not thread-safe; use from one thread.
     */
    public static final class Builder {
        private Duration initialDelay = Duration.ofMillis(10);
        private Duration maxDelay = Duration.ofSeconds(1);
        private double multiplier = 2.0;

        private Builder() {}

        /**
         * The cap of the first retry's delay.
         *
         * @param d a positive duration
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is not positive
         */
        public Builder initialDelay(Duration d) {
            this.initialDelay = Checks.positive(d, "initialDelay");
            return this;
        }

        /**
         * The largest cap of any retry's delay.
         *
         * @param d a positive duration
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is not positive
         */
        public Builder maxDelay(Duration d) {
            this.maxDelay = Checks.positive(d, "maxDelay");
            return this;
        }

        /**
         * The growth factor of the cap per attempt.
         *
         * @param m at least 1.0
         * @return this builder
         * @throws IllegalArgumentException if {@code m} is below 1 or not finite
         */
        public Builder multiplier(double m) {
            if (!(m >= 1.0) || Double.isInfinite(m)) {
                throw new IllegalArgumentException("multiplier must be a finite number >= 1, was " + m);
            }
            this.multiplier = m;
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return the policy
         * @throws IllegalArgumentException if maxDelay is shorter than initialDelay
         */
        public RetryPolicy build() {
            if (maxDelay.compareTo(initialDelay) < 0) {
                throw new IllegalArgumentException(
                        "maxDelay (" + maxDelay + ") must be >= initialDelay (" + initialDelay + ")");
            }
            return new RetryPolicy(this);
        }
    }
}
