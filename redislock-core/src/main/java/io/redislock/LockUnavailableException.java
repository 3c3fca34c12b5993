package io.redislock;

/**
 * Redis could not be reached, or did not answer within the configured timeout: the outcome is unknown
 * and nothing is held. Retrying later may succeed.
 *
 * <p>Thread-safety: immutable.
 */
public class LockUnavailableException extends LockException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which lock, which Redis (password masked), what failed
     * @param cause the underlying failure, may be {@code null}
     */
    public LockUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
