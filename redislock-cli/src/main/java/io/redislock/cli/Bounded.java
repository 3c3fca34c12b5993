package io.redislock.cli;

import io.redislock.LockClientOptions;
import io.redislock.LockUnavailableException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Waits for the library's async calls with an outer deadline, so that the command always ends even if
 * a call's own timeouts should fail to fire: past the deadline the call is cancelled (which gives back
 * anything it acquired) and reported as Redis being unavailable.
 *
 * <p>Thread-safety: stateless.
 */
final class Bounded {
    private static final Duration MARGIN = Duration.ofSeconds(2);

    private Bounded() {}

    /**
     * The outer deadline for one call: the client's connect and command timeouts plus a margin.
     *
     * @param options the client options
     * @return the bound
     */
    static Duration callBound(LockClientOptions options) {
        return options.connectTimeout().plus(options.commandTimeout()).plus(MARGIN);
    }

    /**
     * Waits for a result.
     *
     * @param f the call
     * @param bound the longest wait
     * @param what the call, for the message (e.g. "acquiring lock 'x'")
     * @return the result
     * @throws InterruptedException if interrupted (the call is cancelled)
     * @throws LockUnavailableException if the bound passed (the call is cancelled)
     * @throws RuntimeException the call's own failure
     */
    static <T> T get(CompletableFuture<T> f, Duration bound, String what) throws InterruptedException {
        return get(f, bound, what, null);
    }

    /**
     * Waits for a result that must be given back if nobody takes it (an acquired lease): when the wait ends
     * by interrupt or bound but the call completed before it could be cancelled, its result goes to
     * {@code giveBack}.
     *
     * @param f the call
     * @param bound the longest wait
     * @param what the call, for the message (e.g. "acquiring lock 'x'")
     * @param giveBack receives a result that arrived as the wait ended; null = none
     * @return the result
     * @throws InterruptedException if interrupted (the call is cancelled)
     * @throws LockUnavailableException if the bound passed (the call is cancelled)
     * @throws RuntimeException the call's own failure
     */
    static <T> T get(CompletableFuture<T> f, Duration bound, String what, Consumer<? super T> giveBack)
            throws InterruptedException {
        try {
            return f.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            cancel(f, giveBack);
            throw e;
        } catch (TimeoutException e) {
            cancel(f, giveBack);
            throw new LockUnavailableException(what + " did not complete within " + Durations.format(bound)
                    + "; is Redis reachable?", null);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
                c = c.getCause();
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        } catch (CancellationException e) {
            throw new LockUnavailableException(what + " was cancelled", e);
        }
    }

    /** Cancels a call; if it completed first (cancel lost the race), hands its result to giveBack. */
    private static <T> void cancel(CompletableFuture<T> f, Consumer<? super T> giveBack) {
        if (!f.cancel(false) && giveBack != null) {
            f.whenComplete((result, failure) -> {
                if (result != null) {
                    giveBack.accept(result);
                }
            });
        }
    }

    /**
     * Starts a call and waits for it uninterruptibly (admin commands).
     *
     * @param call starts the call
     * @param bound the longest wait
     * @param what the call, for the message
     * @return the result
     */
    static <T> T call(Supplier<CompletableFuture<T>> call, Duration bound, String what) {
        return getUninterruptibly(start(call, what), bound, what);
    }

    /**
     * Starts a call.
     *
     * @param call starts the call
     * @param what the call, for the message
     * @return its future
     */
    static <T> CompletableFuture<T> start(Supplier<CompletableFuture<T>> call, String what) {
        try {
            return call.get();
        } catch (NullPointerException e) {
            // Work-around: the library can fail this way, instead of with LockUnavailableException, when a
            // connection attempt fails very fast (an internal connect future that is already complete).
            if (isInternal(e)) {
                throw new LockUnavailableException(what + " failed: Redis could not be reached", e);
            }
            throw e;
        }
    }

    private static boolean isInternal(Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().startsWith("io.redislock.internal.");
    }

    /**
     * Like {@link #get} for calls that are not interrupted.
     *
     * @param f the call
     * @param bound the longest wait
     * @param what the call, for the message
     * @return the result
     */
    static <T> T getUninterruptibly(CompletableFuture<T> f, Duration bound, String what) {
        try {
            return get(f, bound, what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LockUnavailableException(what + " was interrupted", e);
        }
    }
}
