package io.redislock;

/**
 * How the lock key is written when the lock is granted.
 *
 * <p>Thread-safety: immutable.
 */
public enum AcquireMode {
    /** {@code SET key token NX PX lease}: the default; the lock frees itself if its holder dies. */
    LEASE,
    /**
     * {@code SET key token NX} without expiry (the classic SETNX lock). Explicit opt-in only: if a holder
     * dies without releasing, the lock stays taken until an operator releases it
     * ({@code redislock release --force}). No renewal, no validity deadline.
     */
    NO_EXPIRY
}
