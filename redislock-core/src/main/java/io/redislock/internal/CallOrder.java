package io.redislock.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps one client's calls on a lock in order per node, and the fire-and-forget cleanups still under way
 * (which closing the client waits for).
 */
final class CallOrder {
    static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final int nodeCount;
    /** Per lock key, per node: this client's releases and cleanups still under way, which later rounds follow. */
    private final Map<String, List<CompletableFuture<?>>> releasing = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<?>> pendingCleanups = ConcurrentHashMap.newKeySet();

    CallOrder(int nodeCount) {
        this.nodeCount = nodeCount;
    }

    /**
     * @param key the lock key
     * @return per node, the call a new round on {@code key} must follow, or null when there is none
     */
    List<CompletableFuture<?>> after(String key) {
        return releasing.get(key);
    }

    /**
     * Orders this client's later calls on a lock, per node, after {@code calls} (one per node; null where
     * nothing was sent). A release or cleanup that waits for an earlier call's reply on a slow node must not
     * be overtaken there by a later round: the round would be refused, or, with the same token, granted and
     * then undone by the cleanup behind it.
     */
    void orderAfter(String key, List<CompletableFuture<?>> calls) {
        List<CompletableFuture<?>> merged = releasing.compute(key, (k, old) -> {
            List<CompletableFuture<?>> m = new ArrayList<>(nodeCount);
            for (int i = 0; i < nodeCount; i++) {
                CompletableFuture<?> c = calls.get(i);
                CompletableFuture<?> o = old == null || old.get(i).isDone() ? null : old.get(i);
                if (c == null) {
                    m.add(o == null ? DONE : o);
                } else if (o == null) {
                    m.add(c);
                } else {
                    m.add(CompletableFuture.allOf(o.handle((r, e) -> null), c.handle((r, e) -> null)));
                }
            }
            return m;
        });
        CompletableFuture.allOf(merged.toArray(new CompletableFuture<?>[0]))
                .handle((v, e) -> releasing.remove(key, merged));
    }

    /** Remembers a fire-and-forget cleanup until it completes, so that the client's close can wait for it. */
    <T> CompletableFuture<T> track(CompletableFuture<T> cleanup) {
        pendingCleanups.add(cleanup);
        cleanup.whenComplete((r, e) -> pendingCleanups.remove(cleanup));
        return cleanup;
    }

    /** @return the cleanups still under way */
    List<CompletableFuture<?>> pending() {
        return List.copyOf(pendingCleanups);
    }
}
