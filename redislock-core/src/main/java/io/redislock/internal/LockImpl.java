package io.redislock.internal;

import io.redislock.AcquireMode;
import io.redislock.DistributedLock;
import io.redislock.Lease;
import io.redislock.LockOptions;
import io.redislock.juc.RedisJavaLock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** A lock handle: name, options and precomputed keys; acquisitions run as {@link AcquireOp}s. */
final class LockImpl implements DistributedLock, PatientWait {
    final LockEngine engine;
    final String[] keys;
    private final String name;
    private final LockOptions options;
    private final String leaseArg;
    private final long leaseNanos;
    private final RedisJavaLock javaLock;

    LockImpl(LockEngine engine, String name, LockOptions options) {
        this.engine = engine;
        this.name = name;
        this.options = options;
        this.keys = Keys.of(options.keyPrefix(), name);
        this.leaseNanos = options.lease().toNanos();
        this.leaseArg = expiring() ? Long.toString(options.lease().toMillis()) : "0";
        this.javaLock = new RedisJavaLock(this, engine.javaLockHolds);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public LockOptions options() {
        return options;
    }

    boolean expiring() {
        return options.mode() == AcquireMode.LEASE;
    }

    long leaseNanos() {
        return leaseNanos;
    }

    String leaseArg() {
        return leaseArg;
    }

    /**
     * release.lua's ARGV[4] for a release of this lock: "n" for a lock without expiry (its persistent fencing
     * counter gets its day of expiry back once the key is gone), else "0".
     */
    String releaseArg() {
        return expiring() ? "0" : "n";
    }

    /** "1" when a release hands the lock to the oldest waiter (fair hand-off), else "0". */
    String grantArg() {
        return options.fairHandoff() ? "1" : "0";
    }

    @Override
    public Optional<Lease> tryAcquire() {
        return Optional.ofNullable(Futures.join(start(0)));
    }

    @Override
    public Lease acquire(Duration wait) throws InterruptedException {
        CompletableFuture<LeaseImpl> src = start(Checks.waitNanos(wait, "wait"));
        try {
            return Futures.await(src);
        } catch (InterruptedException e) {
            giveBackIfGranted(src); // granted just as the interrupt cancelled the wait
            throw e;
        }
    }

    @Override
    public Lease acquireWhileReachable(Duration unreachableLimit, boolean interruptible) throws InterruptedException {
        engine.ensureOpen();
        CompletableFuture<LeaseImpl> src =
                new AcquireOp(this, Checks.MAX.toNanos(), Checks.positive(unreachableLimit, "unreachableLimit").toNanos())
                        .start();
        if (!interruptible) {
            return Futures.join(src);
        }
        try {
            return Futures.await(src);
        } catch (InterruptedException e) {
            giveBackIfGranted(src);
            throw e;
        }
    }

    @Override
    public CompletableFuture<Optional<Lease>> tryAcquireAsync() {
        return handOut(start(0), l -> Optional.<Lease>ofNullable(l));
    }

    @Override
    public CompletableFuture<Lease> acquireAsync(Duration wait) {
        return handOut(start(Checks.waitNanos(wait, "wait")), l -> (Lease) l);
    }

    private CompletableFuture<LeaseImpl> start(long waitNanos) {
        engine.ensureOpen();
        return new AcquireOp(this, waitNanos).start();
    }

    /**
     * The caller's future, completed on the callback executor. However the caller ends it first (cancel,
     * {@code orTimeout}, {@code complete}, {@code completeExceptionally}), the acquisition is abandoned, and
     * a lease granted meanwhile, which nobody can reach, is given back instead of being kept and renewed.
     */
    private <T> CompletableFuture<T> handOut(CompletableFuture<LeaseImpl> src, Function<LeaseImpl, T> fn) {
        CompletableFuture<T> out = new CompletableFuture<>();
        BiConsumer<LeaseImpl, Throwable> deliver = (l, e) -> {
            boolean delivered = e != null ? out.completeExceptionally(Futures.unwrap(e)) : out.complete(fn.apply(l));
            if (!delivered && l != null) {
                l.releaseAsync();
            }
        };
        src.whenComplete((l, e) -> {
            try {
                engine.callbacks.execute(() -> deliver.accept(l, e));
            } catch (RejectedExecutionException closing) {
                deliver.accept(l, e); // the callback executor is shut down (client closed): deliver here
            }
        });
        out.whenComplete((v, e) -> {
            if (!src.isDone()) {
                src.cancel(false);
            }
        });
        return out;
    }

    private static void giveBackIfGranted(CompletableFuture<LeaseImpl> src) {
        src.thenAccept(l -> {
            if (l != null) {
                l.releaseAsync();
            }
        });
    }

    @Override
    public Lock asJavaLock() {
        return javaLock;
    }

    @Override
    public String toString() {
        return "DistributedLock{name='" + name + "', key='" + keys[0] + "', nodes=" + engine.nodes.size()
                + ", lease=" + TimeUnit.NANOSECONDS.toMillis(leaseNanos) + "ms}";
    }
}
