package io.redislock;

/**
 * The lock was held by another owner for the whole wait: the caller waited and gave up.
 *
 * <p>Thread-safety: immutable.
 */
public class LockTimeoutException extends LockException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which lock, and how long the caller waited
     */
    public LockTimeoutException(String message) {
        super(message);
    }
}
