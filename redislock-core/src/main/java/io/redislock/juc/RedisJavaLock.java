package io.redislock.juc;

import io.redislock.DistributedLock;
import io.redislock.Lease;
import io.redislock.LockTimeoutException;
import io.redislock.internal.Checks;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Lock} over a {@link DistributedLock}, with per-thread reentrancy: the first {@code lock()} of
 * a thread takes a lease, nested ones count, the matching last {@code unlock()} releases it. Threads of
 * one JVM first queue on a local lock, so only one of them talks to Redis at a time.
 *
 * <p>{@link #lock()} and {@link #lockInterruptibly()} wait as long as the lock is held by others, but fail
 * with {@link io.redislock.LockUnavailableException} when Redis stays unreachable for
 * {@value #UNAVAILABLE_LIMIT_SECONDS} s. {@link #unlock()} throws {@link io.redislock.LockLostException} if the
 * lease was lost while held (the critical section was not protected). {@link #newCondition()} is not
 * supported.
 *
 * <p>Thread-safety: thread-safe; this is the only thread-bound part of the API.
 */
public final class RedisJavaLock implements Lock {
    /** How long lock() retries an unreachable Redis before failing. */
    public static final int UNAVAILABLE_LIMIT_SECONDS = 30;

    private static final Duration CHUNK = Duration.ofSeconds(UNAVAILABLE_LIMIT_SECONDS);

    private final DistributedLock lock;
    private final ReentrantLock local = new ReentrantLock();
    private Lease lease; // guarded by local

    /**
     * Creates the adapter; prefer {@link DistributedLock#asJavaLock()}.
     *
     * @param lock the distributed lock
     */
    public RedisJavaLock(DistributedLock lock) {
        this.lock = Objects.requireNonNull(lock, "lock must not be null");
    }

    @Override
    public void lock() {
        local.lock();
        if (local.getHoldCount() > 1) {
            return;
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    lease = lock.acquire(CHUNK);
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (LockTimeoutException e) {
                    // still held by another owner: keep waiting
                }
            }
        } catch (RuntimeException e) {
            local.unlock();
            throw e;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        local.lockInterruptibly();
        if (local.getHoldCount() > 1) {
            return;
        }
        try {
            while (true) {
                try {
                    lease = lock.acquire(CHUNK);
                    return;
                } catch (LockTimeoutException e) {
                    // still held by another owner: keep waiting
                }
            }
        } catch (InterruptedException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    @Override
    public boolean tryLock() {
        if (!local.tryLock()) {
            return false;
        }
        if (local.getHoldCount() > 1) {
            return true;
        }
        try {
            var l = lock.tryAcquire();
            if (l.isPresent()) {
                lease = l.get();
                return true;
            }
            local.unlock();
            return false;
        } catch (RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        // a huge time (Long.MAX_VALUE nanos, or days) is as good as forever: cut it so the deadline cannot overflow
        long deadline = System.nanoTime() + Math.min(unit.toNanos(time), Checks.MAX.toNanos());
        if (!local.tryLock(time, unit)) {
            return false;
        }
        if (local.getHoldCount() > 1) {
            return true;
        }
        try {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                var l = lock.tryAcquire();
                if (l.isPresent()) {
                    lease = l.get();
                    return true;
                }
                local.unlock();
                return false;
            }
            lease = lock.acquire(Duration.ofNanos(left));
            return true;
        } catch (LockTimeoutException e) {
            local.unlock();
            return false;
        } catch (InterruptedException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    @Override
    public void unlock() {
        if (!local.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException(
                    "the current thread does not hold lock '" + lock.name() + "'");
        }
        if (local.getHoldCount() > 1) {
            local.unlock();
            return;
        }
        Lease l = lease;
        lease = null;
        try {
            l.close();
        } finally {
            local.unlock();
        }
    }

    /**
     * Not supported: a condition would need the lock to be released and re-taken atomically across
     * processes.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("conditions are not supported by distributed locks");
    }

    /**
     * Whether the current thread holds this lock (locally; see {@link Lease#isHeld()} for Redis).
     *
     * @return true if held by the current thread
     */
    public boolean isHeldByCurrentThread() {
        return local.isHeldByCurrentThread();
    }

    /**
     * The current thread's lease, for its fencing token; null if it does not hold the lock.
     *
     * @return the lease or null
     */
    public Lease currentLease() {
        return local.isHeldByCurrentThread() ? lease : null;
    }
}
