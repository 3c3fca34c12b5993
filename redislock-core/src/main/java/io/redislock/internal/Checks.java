package io.redislock.internal;

import java.time.Duration;
import java.util.Objects;

/** Argument checks shared by the option builders; each message names the argument. */
public final class Checks {
    /**
     * The longest lease, timeout or delay accepted: 100 years, far below where nanosecond arithmetic on
     * the monotonic clock would overflow. Longer waits mean "as long as it takes" and are cut to this.
     */
    public static final Duration MAX = Duration.ofDays(36_500);

    private Checks() {}

    /**
     * Requires a strictly positive duration.
     *
     * @param d the value
     * @param name the argument's name for the message
     * @return {@code d}
     */
    public static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name + " must not be null");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0, was " + d);
        }
        if (d.compareTo(MAX) > 0) {
            throw new IllegalArgumentException(name + " must be at most " + MAX.toDays() + " days (100 years), was " + d);
        }
        return d;
    }

    /**
     * A wait in nanoseconds: a positive duration, cut to {@link #MAX} (a longer wait is as good as forever).
     *
     * @param d the wait
     * @param name the argument's name for the message
     * @return nanoseconds, at most {@code MAX}
     */
    public static long waitNanos(Duration d, String name) {
        Objects.requireNonNull(d, name + " must not be null");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0, was " + d);
        }
        return d.compareTo(MAX) > 0 ? MAX.toNanos() : d.toNanos();
    }

    /**
     * Requires a duration that is zero or positive.
     *
     * @param d the value
     * @param name the argument's name for the message
     * @return {@code d}
     */
    public static Duration notNegative(Duration d, String name) {
        Objects.requireNonNull(d, name + " must not be null");
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + d);
        }
        return d;
    }
}
