package io.redislock;

/**
 * Root of every failure redislock reports; unchecked, one subclass per decision a caller makes.
 *
 * <p>Programming errors (bad names, non-positive durations) are reported with JDK types such as
 * {@link IllegalArgumentException} instead. Messages never contain Redis passwords.
 *
 * <p>Thread-safety: immutable.
 */
public class LockException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what happened, to which lock, and what to do
     */
    public LockException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what happened, to which lock, and what to do
     * @param cause the underlying failure, may be {@code null}
     */
    public LockException(String message, Throwable cause) {
        super(message, cause);
    }
}
