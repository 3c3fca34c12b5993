package io.redislock;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One grant of a lock: proof of ownership by token, valid until a deadline on the client's monotonic
 * clock. Close it (try-with-resources) to release. Ownership is by token, not by thread: any thread may
 * extend or release it.
 *
 * <p>If the lease is lost (its key deleted or taken over, renewals failing until its validity ends, or
 * it simply expired), {@link #isHeld()} turns false no later than the validity deadline, listeners
 * registered with {@link #onLost(Consumer)} run, and {@link #lost()} completes.
 *
 * <p>Thread-safety: thread-safe.
 */
public interface Lease extends AutoCloseable {
    /** @return the lock name */
    String name();

    /**
     * The random owner token stored as the lock key's value; unique per grant, and of the form
     * {@code <random id>.<sequence>@<host>:<pid>} so that an operator can see who holds the lock.
     *
     * @return the owner token
     */
    String token();

    /**
     * A number that strictly increases with every grant of this lock name, also across Redis restarts and
     * after a day without grants, when the counter expires (it is floored at the server clock in
     * microseconds). Pass it to the protected resource
     * and have it reject writes carrying a smaller token than it has seen.
     *
     * @return the fencing token
     */
    long fencingToken();

    /**
     * Whether the lease is still held: not released, not lost, and its validity deadline not passed.
     *
     * @return true while held
     */
    boolean isHeld();

    /**
     * Time left until the validity deadline ({@code lease - elapsed - drift} from the last grant or
     * renewal); {@link Duration#ZERO} when not held; a very long duration for {@link AcquireMode#NO_EXPIRY}.
     *
     * @return the remaining validity
     */
    Duration remainingValidity();

    /**
     * Sets the key's expiry to {@code lease} from now (compare-and-expire on the token); later automatic
     * renewals use this lease length. From the moment it is sent, the validity is at most the new lease's
     * (Redis may apply it even if no answer comes), and it grows only once a majority confirmed it.
     *
     * @param lease the new lease, at least {@link LockOptions#MIN_LEASE}, and at least
     *     {@link LockOptions#MIN_RENEWABLE_LEASE} when the lease is renewed automatically
     * @throws LockLostException if the lease is no longer held
     * @throws LockUnavailableException if Redis did not answer
     * @throws IllegalArgumentException if {@code lease} is too short or longer than 100 years
     * @throws IllegalStateException if the lock was taken without expiry ({@link AcquireMode#NO_EXPIRY})
     */
    void extend(Duration lease);

    /**
     * Async mirror of {@link #extend(Duration)}, failing with the same exception types. Cancelling the
     * future only ends the caller's wait: the call is sent and its effect is recorded all the same.
     *
     * @param lease the new lease
     * @return a future completed when extended
     */
    CompletableFuture<Void> extendAsync(Duration lease);

    /**
     * Releases the lock if this token still holds it (compare-and-delete); never deletes another owner's
     * lock. Idempotent: later calls return the first call's result.
     *
     * @return true if the lock was held until this release; false if it had already been lost or expired
     *     (the work since then was not protected). A loss already known here (reported to
     *     {@link #onLost}, or past the validity deadline) gives false at once, whether or not Redis answers;
     *     the compare-and-delete is still sent, to free what is left of the lock. A call after one that got no
     *     answer sends it again; if the key is then gone within the validity, that earlier release removed it
     *     (true)
     * @throws LockUnavailableException if Redis did not answer (the key will expire by itself)
     */
    boolean release();

    /**
     * Async mirror of {@link #release()}. Cancelling the future only ends the caller's wait: the release goes
     * on, and other callers get its result.
     *
     * @return a future of the same result
     */
    CompletableFuture<Boolean> releaseAsync();

    /**
     * Releases the lock, for try-with-resources.
     *
     * @throws LockLostException if the lease had been lost before it was closed
     * @throws LockUnavailableException if Redis did not answer
     */
    @Override
    void close();

    /**
     * Registers a listener run (on the client's callback executor) when the lease is lost; runs at once
     * if it is already lost. Not run after a normal release. The executor is shared with the completion of
     * the client's async results (two threads by default, or {@link LockClientOptions.Builder#callbackExecutor}):
     * a listener must not block; hand slow work to an executor of your own.
     *
     * @param listener the listener
     */
    void onLost(Consumer<LeaseLostEvent> listener);

    /**
     * A future completed when the lease is lost; it never completes after a normal release.
     *
     * @return the loss future
     */
    CompletableFuture<LeaseLostEvent> lost();
}
