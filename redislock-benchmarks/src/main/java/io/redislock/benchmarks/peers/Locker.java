package io.redislock.benchmarks.peers;

/**
 * One lock user of one library on one key, as a benchmark sees it: take the lock (waiting a bounded
 * time), give it back. Each instance owns its client(s), as a separate process would.
 *
 * <p>Thread-safety: not thread-safe; one thread calls {@link #lock()} and {@link #unlock()} in turn
 * (Redisson's and Spring's locks are bound to the locking thread).
 */
public interface Locker extends AutoCloseable {
    /**
     * Takes the lock, waiting at most the locker's bounded wait.
     *
     * @throws Exception if it was not acquired in time or the library failed
     */
    void lock() throws Exception;

    /**
     * Releases the lock taken by the last {@link #lock()}.
     *
     * @throws Exception if the library failed
     */
    void unlock() throws Exception;

    /** Releases the locker's clients; never throws. */
    @Override
    void close();
}
