package io.redislock;

/**
 * Why and when a lease was lost.
 *
 * @param name the lock name
 * @param token the lost lease's owner token
 * @param fencingToken the lost lease's fencing token
 * @param reason why it was lost
 * @param detail a human-readable explanation
 */
public record LeaseLostEvent(String name, String token, long fencingToken, Reason reason, String detail) {
    /** Why a lease was lost. */
    public enum Reason {
        /** The key was deleted or now holds another owner's token (or, with Redlock, a majority no longer holds it). */
        NOT_OWNER,
        /** Renewals kept failing (Redis unreachable) until the validity deadline passed. */
        RENEWAL_FAILED,
        /** The lease was not renewed (auto-renewal off) and its validity deadline passed. */
        EXPIRED,
        /** The client was closed while the lease was held. */
        CLIENT_CLOSED
    }
}
