/**
 * A {@link java.util.concurrent.locks.Lock} view of a distributed lock, for code written against the JDK
 * lock interface. It adds per-thread reentrancy on top of the token-owned {@link io.redislock.Lease}: the
 * thread that locked must unlock, nested locks by the same thread count, and a lost lease surfaces as a
 * {@link io.redislock.LockLostException} from {@code unlock()}.
 */
package io.redislock.juc;
