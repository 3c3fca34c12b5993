/**
 * redislock: distributed locks on Redis. Start with {@link io.redislock.LockClient}: it hands out
 * {@link io.redislock.DistributedLock} handles whose acquisitions return {@link io.redislock.Lease}s,
 * try-with-resources handles carrying an owner token, a fencing token and a validity deadline on the
 * monotonic clock. Options are immutable ({@link io.redislock.LockOptions},
 * {@link io.redislock.LockClientOptions}, {@link io.redislock.RetryPolicy}); every failure is a
 * {@link io.redislock.LockException}. Every blocking call has a {@code CompletableFuture} mirror.
 */
package io.redislock;
