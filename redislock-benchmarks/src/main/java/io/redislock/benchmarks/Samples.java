package io.redislock.benchmarks;

import java.util.Arrays;

/**
 * A bounded, growable list of long samples (latencies in nanoseconds); samples past the capacity are
 * counted but dropped, so memory stays bounded however long a block runs.
 *
 * <p>Thread-safety: not thread-safe; one writer, merged after the writer has finished.
 */
public final class Samples {
    /** The default bound on kept samples. */
    public static final int DEFAULT_CAPACITY = 2_000_000;

    private final int capacity;
    private long[] data = new long[1024];
    private int size;
    private long dropped;

    /** Creates an empty list with {@link #DEFAULT_CAPACITY}. */
    public Samples() {
        this(DEFAULT_CAPACITY);
    }

    /**
     * Creates an empty list.
     *
     * @param capacity the most samples kept, positive
     */
    public Samples(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be > 0");
        }
        this.capacity = capacity;
    }

    /**
     * Adds a sample (dropped when full).
     *
     * @param v the value
     */
    public void add(long v) {
        if (size == capacity) {
            dropped++;
            return;
        }
        if (size == data.length) {
            data = Arrays.copyOf(data, Math.min(capacity, data.length * 2));
        }
        data[size++] = v;
    }

    /**
     * Adds every sample of another list.
     *
     * @param other the source
     */
    public void addAll(Samples other) {
        for (int i = 0; i < other.size; i++) {
            add(other.data[i]);
        }
        dropped += other.dropped;
    }

    /** @return how many samples are kept */
    public int size() {
        return size;
    }

    /** @return how many samples were added, the dropped ones included */
    public long count() {
        return size + dropped;
    }

    /** @return a sorted copy of the kept samples */
    public long[] sorted() {
        long[] s = Arrays.copyOf(data, size);
        Arrays.sort(s);
        return s;
    }

    /**
     * A percentile of the kept samples, or NaN when empty.
     *
     * @param p in (0, 100]
     * @return the percentile
     */
    public double percentile(double p) {
        return size == 0 ? Double.NaN : Stats.percentileOfSorted(p, sorted());
    }
}
