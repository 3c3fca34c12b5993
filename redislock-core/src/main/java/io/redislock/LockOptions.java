package io.redislock;

import io.redislock.internal.Checks;
import io.redislock.internal.Keys;
import java.time.Duration;
import java.util.Objects;

/**
 * How one lock is taken and held: lease length, auto-renewal, key prefix, retry policy, acquisition mode
 * and fair hand-off.
 *
 * <p>Thread-safety: immutable.
 */
public final class LockOptions {
    /** The shortest lease accepted at all. */
    public static final Duration MIN_LEASE = Duration.ofMillis(10);
    /** The shortest lease accepted with auto-renewal (renewal runs every lease/3). */
    public static final Duration MIN_RENEWABLE_LEASE = Duration.ofMillis(100);

    private static final LockOptions DEFAULTS = builder().build();

    private final Duration lease;
    private final boolean autoRenew;
    private final String keyPrefix;
    private final RetryPolicy retry;
    private final AcquireMode mode;
    private final boolean fairHandoff;

    private LockOptions(Builder b) {
        this.lease = b.lease;
        this.autoRenew = b.autoRenew;
        this.keyPrefix = b.keyPrefix;
        this.retry = b.retry;
        this.mode = b.mode;
        this.fairHandoff = b.fairHandoff;
    }

    /**
     * The defaults: 30 s lease, auto-renewal on, no key prefix, {@link RetryPolicy#defaults()},
     * {@link AcquireMode#LEASE}, fair hand-off on.
     *
     * @return the default options
     */
    public static LockOptions defaults() {
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
     * A builder starting from these options.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.lease = lease;
        b.autoRenew = autoRenew;
        b.keyPrefix = keyPrefix;
        b.retry = retry;
        b.mode = mode;
        b.fairHandoff = fairHandoff;
        return b;
    }

    /** @return the lease: how long the key lives without renewal */
    public Duration lease() {
        return lease;
    }

    /** @return whether a watchdog renews the lease every lease/3 while it is held */
    public boolean autoRenew() {
        return autoRenew && mode == AcquireMode.LEASE;
    }

    /** @return the prefix put before the lock name to form the Redis key ("" by default) */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** @return the retry policy used while waiting */
    public RetryPolicy retry() {
        return retry;
    }

    /** @return the acquisition mode */
    public AcquireMode mode() {
        return mode;
    }

    /**
     * Whether a release hands the lock directly to the oldest waiter: the release sets the waiter's token
     * with its lease and tells it, so the releaser cannot barge back in front of the queue. On one Redis the
     * hand-off costs no extra round trip; under Redlock every node hands over to the same waiter (waiters
     * send one queue score to all nodes), which confirms a majority with one round. Off: a release only
     * wakes the oldest waiter, which then competes with everyone else.
     *
     * @return true for direct, FIFO hand-off
     */
    public boolean fairHandoff() {
        return fairHandoff;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LockOptions x
                && x.lease.equals(lease)
                && x.autoRenew == autoRenew
                && x.keyPrefix.equals(keyPrefix)
                && x.retry.equals(retry)
                && x.mode == mode
                && x.fairHandoff == fairHandoff;
    }

    @Override
    public int hashCode() {
        return Objects.hash(lease, autoRenew, keyPrefix, retry, mode, fairHandoff);
    }

    @Override
    public String toString() {
        return "LockOptions{lease=" + lease + ", autoRenew=" + autoRenew() + ", keyPrefix='" + keyPrefix + "', mode="
                + mode + ", fairHandoff=" + fairHandoff + ", retry=" + retry + '}';
    }

    /**
     * Builds {@link LockOptions}; each setter validates its argument, {@link #build()} checks combinations.
     *
     * <p>Thread-safety: not thread-safe; use from one thread.
     */
    public static final class Builder {
        private Duration lease = Duration.ofSeconds(30);
        private boolean autoRenew = true;
        private String keyPrefix = "";
        private RetryPolicy retry = RetryPolicy.defaults();
        private AcquireMode mode = AcquireMode.LEASE;
        private boolean fairHandoff = true;

        private Builder() {}

        /**
         * The lease: how long the key lives without renewal.
         *
         * @param d at least {@link LockOptions#MIN_LEASE}
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is shorter than {@link LockOptions#MIN_LEASE} or longer
         *     than 100 years (for a lock that never expires use {@link AcquireMode#NO_EXPIRY})
         */
        public Builder lease(Duration d) {
            Objects.requireNonNull(d, "lease must not be null");
            if (d.compareTo(Checks.MAX) > 0) {
                throw new IllegalArgumentException("lease must be at most " + Checks.MAX.toDays()
                        + " days (100 years), was " + d + "; for a lock that never expires use AcquireMode.NO_EXPIRY");
            }
            Checks.positive(d, "lease");
            if (d.compareTo(MIN_LEASE) < 0) {
                throw new IllegalArgumentException("lease must be >= " + MIN_LEASE.toMillis() + " ms, was " + d);
            }
            this.lease = d;
            return this;
        }

        /**
         * Whether a watchdog renews the lease every lease/3 while it is held.
         *
         * @param on true to renew automatically
         * @return this builder
         */
        public Builder autoRenew(boolean on) {
            this.autoRenew = on;
            return this;
        }

        /**
         * A prefix put before every lock name to form its key (e.g. {@code "locks:"}).
         *
         * @param prefix up to 128 characters, no whitespace, control characters or braces
         * @return this builder
         * @throws IllegalArgumentException if the prefix is invalid
         */
        public Builder keyPrefix(String prefix) {
            this.keyPrefix = Keys.checkPrefix(prefix);
            return this;
        }

        /**
         * The retry policy used while waiting.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder retry(RetryPolicy policy) {
            this.retry = Objects.requireNonNull(policy, "retry must not be null");
            return this;
        }

        /**
         * The acquisition mode; {@link AcquireMode#NO_EXPIRY} is the unsafe-if-holder-dies SETNX lock.
         *
         * @param m the mode
         * @return this builder
         */
        public Builder mode(AcquireMode m) {
            this.mode = Objects.requireNonNull(m, "mode must not be null");
            return this;
        }

        /**
         * Whether a release hands the lock directly to the oldest waiter (see {@link LockOptions#fairHandoff()}).
         *
         * @param on true for direct, FIFO hand-off
         * @return this builder
         */
        public Builder fairHandoff(boolean on) {
            this.fairHandoff = on;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException if auto-renewal is on and the lease is shorter than
         *     {@link LockOptions#MIN_RENEWABLE_LEASE}
         */
        public LockOptions build() {
            if (autoRenew && mode == AcquireMode.LEASE && lease.compareTo(MIN_RENEWABLE_LEASE) < 0) {
                throw new IllegalArgumentException("lease " + lease.toMillis()
                        + " ms is too short for auto-renewal: use >= " + MIN_RENEWABLE_LEASE.toMillis()
                        + " ms or autoRenew(false)");
            }
            return new LockOptions(this);
        }
    }
}
