package io.redislock.internal;

import io.redislock.Ticker;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread per client that fires time-based work: lease renewals, validity deadlines and retry
 * delays. Items are kept in a set and scanned; adding an item wakes the thread only when the item is due
 * before the thread's planned wake-up, so the hot path (take a 30 s lease, release it) never signals a
 * thread. Fired work must not block: it only starts async calls.
 */
final class Clockwork implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Clockwork.class);
    private static final long MAX_PARK = TimeUnit.SECONDS.toNanos(1);

    /** Something due at a time on the ticker. */
    interface Item {
        /** @return when it is next due; {@link Long#MAX_VALUE} for never */
        long dueNanos();

        /** Runs the due work; must not block. */
        void fire(long now);
    }

    private final Ticker ticker;
    private final Set<Item> items = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile long plannedWake = Long.MAX_VALUE;
    private volatile boolean dirty;
    private volatile boolean stopped;

    Clockwork(Ticker ticker, String name) {
        this.ticker = ticker;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Adds an item, or re-evaluates one whose due time moved earlier. */
    void schedule(Item item) {
        items.add(item);
        dirty = true;
        if (item.dueNanos() < plannedWake) {
            LockSupport.unpark(thread);
        }
    }

    /** Removes an item; it will not fire again. */
    void cancel(Item item) {
        items.remove(item);
    }

    private void loop() {
        while (!stopped) {
            dirty = false;
            long now = ticker.nanos();
            long next = now + MAX_PARK;
            for (Item it : items) {
                long due = it.dueNanos();
                if (due <= now) {
                    try {
                        it.fire(now);
                    } catch (RuntimeException e) {
                        LOG.warn("redislock: timed task failed", e);
                    }
                    due = it.dueNanos();
                    if (due <= now) {
                        // fired but still due: it must remove itself or move its time; avoid a hot loop
                        due = now + TimeUnit.MILLISECONDS.toNanos(1);
                    }
                }
                if (due < next) {
                    next = due;
                }
            }
            plannedWake = next;
            if (dirty) {
                continue;
            }
            long wait = next - ticker.nanos();
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        LockSupport.unpark(thread);
        items.clear();
    }
}
