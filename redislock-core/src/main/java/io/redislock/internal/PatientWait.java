package io.redislock.internal;

import io.redislock.Lease;
import java.time.Duration;

/**
 * Internal, for the {@link java.util.concurrent.locks.Lock} adapter: one wait, as long as the lock is held by
 * others, that keeps its place in the waiters' queue throughout (a series of shorter waits would queue
 * again at the tail each time), but ends once Redis has been unreachable for a while.
 *
 * <p>Thread-safety: implementations are thread-safe.
 */
public interface PatientWait {
    /**
     * Waits until the lock is granted.
     *
     * @param unreachableLimit how long rounds may fail to reach a majority in a row before the wait ends
     * @param interruptible whether an interrupt ends the wait ({@link InterruptedException}); if not, the
     *     wait goes on and the interrupt status is kept
     * @return the lease
     * @throws InterruptedException if interruptible and interrupted
     * @throws io.redislock.LockUnavailableException if Redis was unreachable for {@code unreachableLimit}
     */
    Lease acquireWhileReachable(Duration unreachableLimit, boolean interruptible) throws InterruptedException;
}
