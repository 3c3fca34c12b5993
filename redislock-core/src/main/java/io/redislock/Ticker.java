package io.redislock;

/**
 * A monotonic clock in nanoseconds; validity deadlines are measured on it, never on the wall clock.
 *
 * <p>Thread-safety: implementations must be thread-safe.
 */
@FunctionalInterface
public interface Ticker {
    /**
     * The current reading; only differences between readings are meaningful.
     *
     * @return nanoseconds since an arbitrary origin
     */
    long nanos();

    /**
     * The system's monotonic clock ({@link System#nanoTime()}).
     *
     * @return the system ticker
     */
    static Ticker system() {
        return System::nanoTime;
    }
}
