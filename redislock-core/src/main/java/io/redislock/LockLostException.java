package io.redislock;

/**
 * A lease is no longer held: it expired, its key was deleted or taken over, or it could not be renewed
 * before its validity ended. Work done after this point was not protected by the lock.
 *
 * <p>Thread-safety: immutable.
 */
public class LockLostException extends LockException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which lock was lost and why
     */
    public LockLostException(String message) {
        super(message);
    }
}
