package io.redislock.internal;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/** Small helpers between the internal futures and the public blocking and async API. */
public final class Futures {
    private Futures() {}

    /**
     * Strips {@link CompletionException} and {@link ExecutionException} wrappers.
     *
     * @param t a failure
     * @return the underlying failure
     */
    public static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /**
     * Waits for a future; on interrupt cancels it and rethrows. Failures are rethrown unwrapped (unchecked
     * ones as they are, checked ones wrapped in a {@link CompletionException}).
     *
     * @param <T> the value type
     * @param f the future
     * @return its value
     * @throws InterruptedException if interrupted while waiting
     */
    public static <T> T await(CompletableFuture<T> f) throws InterruptedException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(false);
            throw e;
        } catch (ExecutionException e) {
            throw rethrow(e);
        } catch (CancellationException e) {
            throw e;
        }
    }

    /**
     * Waits for a future without an interrupt point (for short, bounded calls such as release); the
     * interrupt status is kept.
     *
     * @param <T> the value type
     * @param f the future
     * @return its value
     */
    public static <T> T join(CompletableFuture<T> f) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw rethrow(e);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static RuntimeException rethrow(Throwable e) {
        Throwable c = unwrap(e);
        if (c instanceof RuntimeException r) {
            return r;
        }
        if (c instanceof Error err) {
            throw err;
        }
        return new CompletionException(c);
    }

    /**
     * An executor that runs a task in the calling thread when {@code executor} refuses it (shut down after
     * the client closed, or saturated), so that no result or lost-lease listener is silently dropped.
     *
     * @param executor the executor to use while it accepts tasks
     * @return the wrapper
     */
    public static Executor inlineIfRejected(Executor executor) {
        return task -> {
            try {
                executor.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException refused) {
                task.run();
            }
        };
    }

    /**
     * A copy of {@code f} completed on {@code executor}, so that user callbacks never run on I/O threads.
     * Cancelling the copy cancels {@code f}.
     *
     * @param <T> the value type
     * @param f the source
     * @param executor where to complete
     * @return the copy
     */
    public static <T> CompletableFuture<T> on(CompletableFuture<T> f, Executor executor) {
        CompletableFuture<T> out = copyOn(f, executor);
        out.whenComplete((v, e) -> {
            if (out.isCancelled()) {
                f.cancel(false);
            }
        });
        return out;
    }

    /**
     * A copy of {@code f} completed on {@code executor}; cancelling the copy only ends the caller's wait, the
     * work behind {@code f} goes on (a release or extend already sent cannot be taken back, and what it
     * changes must still be recorded).
     *
     * @param <T> the value type
     * @param f the source
     * @param executor where to complete
     * @return the copy
     */
    public static <T> CompletableFuture<T> copyOn(CompletableFuture<T> f, Executor executor) {
        CompletableFuture<T> out = new CompletableFuture<>();
        f.whenCompleteAsync(
                (v, e) -> {
                    if (e != null) {
                        out.completeExceptionally(unwrap(e));
                    } else {
                        out.complete(v);
                    }
                },
                executor);
        return out;
    }
}
