package io.redislock.internal;

import io.redislock.AcquireMode;
import io.redislock.DistributedLock;
import io.redislock.Lease;
import io.redislock.LockOptions;
import io.redislock.juc.RedisJavaLock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/** A lock handle: name, options and precomputed keys; acquisitions run as {@link AcquireOp}s. */
final class LockImpl implements DistributedLock {
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
        this.javaLock = new RedisJavaLock(this);
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

    /** "1" when a release hands the lock to the oldest waiter (fair hand-off), else "0". */
    String grantArg() {
        return options.fairHandoff() ? "1" : "0";
    }

    @Override
    public Optional<Lease> tryAcquire() {
        return Futures.join(tryAcquireInternal());
    }

    @Override
    public Lease acquire(Duration wait) throws InterruptedException {
        CompletableFuture<Lease> f = acquireInternal(wait);
        try {
            return Futures.await(f);
        } catch (InterruptedException e) {
            // granted just before the interrupt cancelled the wait: nobody will get this lease, give it back
            f.thenAccept(Lease::releaseAsync);
            throw e;
        }
    }

    @Override
    public CompletableFuture<Optional<Lease>> tryAcquireAsync() {
        CompletableFuture<Optional<Lease>> internal = tryAcquireInternal();
        CompletableFuture<Optional<Lease>> out = Futures.on(internal, engine.callbacks);
        out.whenComplete((v, e) -> {
            if (out.isCancelled()) {
                internal.thenAccept(o -> o.ifPresent(Lease::releaseAsync));
            }
        });
        return out;
    }

    @Override
    public CompletableFuture<Lease> acquireAsync(Duration wait) {
        CompletableFuture<Lease> internal = acquireInternal(wait);
        CompletableFuture<Lease> out = Futures.on(internal, engine.callbacks);
        out.whenComplete((v, e) -> {
            // cancelled after the grant but before the caller was handed the lease: give it back
            if (out.isCancelled()) {
                internal.thenAccept(Lease::releaseAsync);
            }
        });
        return out;
    }

    private CompletableFuture<Optional<Lease>> tryAcquireInternal() {
        engine.ensureOpen();
        return Futures.map(new AcquireOp(this, 0).start(), Optional::ofNullable);
    }

    CompletableFuture<Lease> acquireInternal(Duration wait) {
        long nanos = Checks.waitNanos(wait, "wait");
        engine.ensureOpen();
        return Futures.map(new AcquireOp(this, nanos).start(), l -> (Lease) l);
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
