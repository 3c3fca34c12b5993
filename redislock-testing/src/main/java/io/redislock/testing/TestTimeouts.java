package io.redislock.testing;

import java.time.Duration;

/**
 * Scales test timeouts by the factor in the system property {@value #PROPERTY}
 * (default 1), so that slow machines can run the same tests with longer waits.
 */
public final class TestTimeouts {

    /** The system property holding the timeout factor. */
    public static final String PROPERTY = "redislock.test.timeoutFactor";

    private TestTimeouts() {
    }

    /**
     * Returns the current timeout factor.
     *
     * @return the factor from {@value #PROPERTY}, or 1 when it is unset or blank
     * @throws IllegalStateException if the property is not a finite number greater than 0
     */
    public static double factor() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return 1.0;
        }
        double factor;
        try {
            factor = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(PROPERTY + " must be a number > 0, got '" + value + "'", e);
        }
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalStateException(PROPERTY + " must be a finite number > 0, got '" + value + "'");
        }
        return factor;
    }

    /**
     * Multiplies a duration by {@link #factor()}.
     *
     * @param duration the nominal duration, not negative
     * @return the scaled duration (saturating at about 292 years)
     */
    public static Duration scaled(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("negative duration: " + duration);
        }
        double nanos = (duration.getSeconds() * 1e9 + duration.getNano()) * factor();
        if (nanos >= Long.MAX_VALUE) {
            return Duration.ofNanos(Long.MAX_VALUE);
        }
        return Duration.ofNanos(Math.round(nanos));
    }
}
