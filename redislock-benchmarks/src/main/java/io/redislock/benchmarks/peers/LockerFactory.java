package io.redislock.benchmarks.peers;

/**
 * Makes {@link Locker}s of one library configuration; each call creates new clients (a new "process").
 *
 * <p>Thread-safety: implementations are stateless and thread-safe.
 */
@FunctionalInterface
public interface LockerFactory {
    /**
     * Opens a locker on {@code key} with its own clients.
     *
     * @param key the lock name / key
     * @return the locker; the caller closes it
     */
    Locker open(String key);
}
