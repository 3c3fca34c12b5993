package io.redislock;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Lock;

/**
 * A named lock on Redis (one node, or a Redlock majority of several). A handle: cheap, holds no
 * resources; each successful acquisition returns a {@link Lease}.
 *
 * <p>Thread-safety: thread-safe; any number of threads may acquire through one handle (they exclude
 * each other like separate processes do).
 */
public interface DistributedLock {
    /** @return the lock name */
    String name();

    /** @return the options this handle acquires with */
    LockOptions options();

    /**
     * One attempt, no waiting.
     *
     * @return the lease, or empty if another owner holds the lock
     * @throws LockUnavailableException if Redis (or a majority of nodes) did not answer
     */
    Optional<Lease> tryAcquire();

    /**
     * Acquires, waiting up to {@code wait}: wakes on the holder's release (pub/sub), falls back to
     * retries with exponential backoff and jitter.
     *
     * @param wait the longest time to wait, positive; a wait over 100 years is cut to 100 years (forever)
     * @return the lease
     * @throws LockTimeoutException if another owner held the lock for the whole wait
     * @throws LockUnavailableException if Redis (or a majority of nodes) kept failing until the wait ended,
     *     or refused for good (wrong password, ACL, another type of value at the key)
     * @throws InterruptedException if the thread was interrupted while waiting (nothing is left held)
     * @throws IllegalArgumentException if {@code wait} is not positive
     * @throws IllegalStateException if the client is closed, also while the wait is under way
     */
    Lease acquire(Duration wait) throws InterruptedException;

    /**
     * Async mirror of {@link #tryAcquire()}.
     *
     * @return a future of the lease or empty
     */
    CompletableFuture<Optional<Lease>> tryAcquireAsync();

    /**
     * Async mirror of {@link #acquire(Duration)}, failing with the same exception types; ending the future
     * first in any way (cancel, {@code orTimeout}, {@code complete}) abandons the wait and releases
     * anything granted.
     *
     * @param wait the longest time to wait, positive; a wait over 100 years is cut to 100 years (forever)
     * @return a future of the lease
     * @throws IllegalArgumentException if {@code wait} is not positive
     */
    CompletableFuture<Lease> acquireAsync(Duration wait);

    /**
     * A {@link Lock} view with per-thread reentrancy (the only thread-bound API): {@code unlock()} by a
     * thread that does not hold it throws {@link IllegalMonitorStateException}; {@code newCondition()}
     * throws {@link UnsupportedOperationException}.
     *
     * @return the adapter (one per handle; the handles of one name on one client share which thread holds
     *     it, so reentrancy holds across them)
     */
    Lock asJavaLock();
}
