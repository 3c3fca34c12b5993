package io.redislock.internal;

import java.time.Duration;
import java.util.Objects;

/** Argument checks shared by the option builders; each message names the argument. */
public final class Checks {
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
        return d;
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
