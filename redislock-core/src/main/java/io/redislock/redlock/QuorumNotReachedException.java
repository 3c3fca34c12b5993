package io.redislock.redlock;

import io.redislock.LockUnavailableException;

/**
 * Fewer than a majority of the Redis nodes answered in time, so the lock could be neither granted nor
 * refused. Each unreachable node's failure is attached with {@link #addSuppressed(Throwable)}.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public class QuorumNotReachedException extends LockUnavailableException {
    private static final long serialVersionUID = 1L;

    /** How many nodes answered the attempt. */
    private final int answered;
    /** How many nodes the client uses. */
    private final int nodes;

    /**
     * Creates the exception.
     *
     * @param message which lock and what was attempted
     * @param answered how many nodes answered
     * @param nodes how many nodes the client has
     */
    public QuorumNotReachedException(String message, int answered, int nodes) {
        super(message, null);
        this.answered = answered;
        this.nodes = nodes;
    }

    /**
     * How many nodes answered the last attempt.
     *
     * @return the count of nodes that answered
     */
    public int answered() {
        return answered;
    }

    /**
     * How many nodes the client is configured with.
     *
     * @return the node count
     */
    public int nodes() {
        return nodes;
    }
}
