package io.redislock.juc;

import io.redislock.DistributedLock;
import io.redislock.Lease;
import io.redislock.LockLostException;
import io.redislock.LockTimeoutException;
import io.redislock.internal.Checks;
import io.redislock.internal.PatientWait;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Lock} over a {@link DistributedLock}, with per-thread reentrancy: the first {@code lock()} of
 * a thread takes a lease, nested ones count, the matching last {@code unlock()} releases it. Threads of
 * one JVM that use one adapter first queue on a local lock, so only one of them talks to Redis at a time.
 * The adapters of one client share which thread holds which lock name ({@link Holds}), so reentrancy
 * holds across the handles of a name, as with Redisson's locks.
 *
 * <p>{@link #lock()} and {@link #lockInterruptibly()} wait as long as the lock is held by others, in one
 * place in the waiters' queue, but fail with {@link io.redislock.LockUnavailableException} when Redis stays
 * unreachable for {@value #UNAVAILABLE_LIMIT_SECONDS} s. {@link #unlock()} throws {@link LockLostException} if
 * the lease was lost while held (the critical section was not protected); so does a nested {@code lock()} or
 * {@code tryLock()} of a thread whose lease is lost (its outer holds must still be unlocked).
 * {@link #newCondition()} is not supported.
 *
 * <p>Thread-safety: thread-safe; this is the only thread-bound part of the API.
 */
public final class RedisJavaLock implements Lock {
    /** How long lock() retries an unreachable Redis before failing. */
    public static final int UNAVAILABLE_LIMIT_SECONDS = 30;

    private static final Duration CHUNK = Duration.ofSeconds(UNAVAILABLE_LIMIT_SECONDS);

    /**
     * Which thread holds which lock, shared by the adapters of one client, so that reentrancy holds across
     * the handles of one lock name. Opaque; an entry exists only while a thread holds that lock.
     */
    public static final class Holds {
        private final ConcurrentMap<HoldKey, Hold> byKey = new ConcurrentHashMap<>();
    }

    /** A lock key held by one thread (after a lost lease, another thread may hold the same key too). */
    private record HoldKey(String key, Thread thread) {}

    /** One thread's hold: only that thread reads or changes it. */
    private static final class Hold {
        final ReentrantLock local;
        final Lease lease;
        int count = 1;

        Hold(ReentrantLock local, Lease lease) {
            this.local = local;
            this.lease = lease;
        }
    }

    private final DistributedLock lock;
    private final String key;
    private final Holds holds;
    private final ReentrantLock local = new ReentrantLock();

    /**
     * Creates the adapter; prefer {@link DistributedLock#asJavaLock()}.
     *
     * @param lock the distributed lock
     */
    public RedisJavaLock(DistributedLock lock) {
        this(lock, new Holds());
    }

    /**
     * Creates the adapter sharing {@code holds} with the other adapters of a client.
     *
     * @param lock the distributed lock
     * @param holds the client's registry of held locks
     */
    public RedisJavaLock(DistributedLock lock, Holds holds) {
        this.lock = Objects.requireNonNull(lock, "lock must not be null");
        this.holds = Objects.requireNonNull(holds, "holds must not be null");
        this.key = lock.options().keyPrefix() + lock.name();
    }

    /** @return the current thread's hold on this lock name, or null */
    private Hold mine() {
        return holds.byKey.get(new HoldKey(key, Thread.currentThread()));
    }

    /** Records a first acquisition by the current thread (which holds {@link #local}). */
    private void held(Lease lease) {
        holds.byKey.put(new HoldKey(key, Thread.currentThread()), new Hold(local, lease));
    }

    /**
     * A nested acquisition: counts, unless the lease this thread holds is no longer held (lost or expired),
     * which is an error, not success: the caller's critical section is no longer protected.
     */
    private boolean reenter(Hold h) {
        if (h == null) {
            return false;
        }
        if (!h.lease.isHeld()) {
            throw new LockLostException("lock '" + lock.name() + "' is held by this thread, but its lease was lost or"
                    + " expired: the nested acquisition is refused; unlock() the outer holds");
        }
        h.count++;
        return true;
    }

    /** One wait as long as others hold the lock, in one place in the queue; see {@link PatientWait}. */
    private Lease acquirePatiently(boolean interruptible) throws InterruptedException {
        if (lock instanceof PatientWait p) {
            return p.acquireWhileReachable(CHUNK, interruptible);
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return lock.acquire(CHUNK);
                } catch (InterruptedException e) {
                    if (interruptible) {
                        throw e;
                    }
                    interrupted = true;
                } catch (LockTimeoutException e) {
                    // still held by another owner: keep waiting
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void lock() {
        if (reenter(mine())) {
            return;
        }
        local.lock();
        try {
            held(acquirePatiently(false));
        } catch (InterruptedException e) {
            local.unlock(); // acquirePatiently(false) does not throw it
            throw new IllegalStateException("an uninterruptible wait was interrupted", e);
        } catch (RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (reenter(mine())) {
            return;
        }
        local.lockInterruptibly();
        try {
            held(acquirePatiently(true));
        } catch (InterruptedException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    @Override
    public boolean tryLock() {
        if (reenter(mine())) {
            return true;
        }
        if (!local.tryLock()) {
            return false;
        }
        try {
            var l = lock.tryAcquire();
            if (l.isPresent()) {
                held(l.get());
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
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (reenter(mine())) {
            return true;
        }
        // a huge time (Long.MAX_VALUE nanos, or days) is as good as forever: cut it so the deadline cannot overflow
        long deadline = System.nanoTime() + Math.min(unit.toNanos(time), Checks.MAX.toNanos());
        if (!local.tryLock(time, unit)) {
            return false;
        }
        try {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                var l = lock.tryAcquire();
                if (l.isPresent()) {
                    held(l.get());
                    return true;
                }
                local.unlock();
                return false;
            }
            held(lock.acquire(Duration.ofNanos(left)));
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
        Hold h = mine();
        if (h == null) {
            throw new IllegalMonitorStateException(
                    "the current thread does not hold lock '" + lock.name() + "'");
        }
        if (--h.count > 0) {
            return;
        }
        holds.byKey.remove(new HoldKey(key, Thread.currentThread()), h);
        try {
            h.lease.close();
        } finally {
            h.local.unlock();
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
        return mine() != null;
    }

    /**
     * The current thread's lease, for its fencing token; null if it does not hold the lock.
     *
     * @return the lease or null
     */
    public Lease currentLease() {
        Hold h = mine();
        return h == null ? null : h.lease;
    }
}
