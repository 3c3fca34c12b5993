/**
 * Redlock: one lock over N independent Redis masters. A {@link io.redislock.LockClient} created with several
 * URIs sends every acquisition to all nodes in parallel with a short per-node timeout, and grants the lock
 * only when a majority ({@code N/2+1}) said yes and {@code lease - elapsed - drift} is still positive,
 * elapsed measured on the monotonic clock from before the first request. Fencing tokens stay monotonic
 * because the largest token of the granting majority is written back to a majority before the lease is
 * handed out (any later majority intersects it). This package holds the types specific to that mode.
 */
package io.redislock.redlock;
