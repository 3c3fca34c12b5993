package io.redislock.benchmarks;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Closes everything registered with it, in reverse order, even when some closes fail.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class Closer implements AutoCloseable {
    private final Deque<AutoCloseable> items = new ArrayDeque<>();

    /**
     * Registers a resource.
     *
     * @param c the resource
     * @param <T> its type
     * @return the resource
     */
    public synchronized <T extends AutoCloseable> T add(T c) {
        items.push(c);
        return c;
    }

    /** Closes all registered resources (last registered first); failures are printed, not thrown. */
    @Override
    public void close() {
        while (true) {
            AutoCloseable c;
            synchronized (this) {
                c = items.poll();
            }
            if (c == null) {
                return;
            }
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("benchmark: closing " + c + " failed: " + e);
            }
        }
    }
}
