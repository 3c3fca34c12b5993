package io.redislock.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Sends one operation to every node in parallel and decides as soon as a quorum said "yes", or else once
 * every node settled (or, if asked, once a majority refused). A node that does not answer within the
 * round's timeout counts as failed for this round; its raw call stays available so that a cleanup can be
 * ordered after it.
 *
 * @param <T> the per-node reply type
 */
final class Fanout<T> {
    /** Per-node state of a round. */
    enum State {
        PENDING,
        YES,
        NO,
        FAILED
    }

    /** Decides whether a node's reply is a "yes" vote. */
    @FunctionalInterface
    interface Vote<T> {
        boolean yes(RedisNode node, T reply);
    }

    final List<RedisNode> nodes;
    final State[] states;
    final Object[] replies;
    final Throwable[] errors;
    private final int quorum;
    private final Vote<T> vote;
    /** Whether a failed round is decided once a majority refused (see {@link #run}). */
    private final boolean refusedEarly;
    private final CompletableFuture<Fanout<T>> done = new CompletableFuture<>();
    private final List<CompletableFuture<?>> raw = new java.util.ArrayList<>();
    /** Per node: completes once the call was handed to the connection (later, for a call chained after another). */
    private final List<CompletableFuture<?>> sent = new java.util.ArrayList<>();
    private int yes;
    private int settled;
    private int failed;
    /** Nodes whose error reply a decided-yes round hid and that were told to warn about it. */
    private final boolean[] warned;

    private Fanout(List<RedisNode> nodes, int quorum, Vote<T> vote, boolean refusedEarly) {
        this.refusedEarly = refusedEarly;
        this.nodes = nodes;
        this.quorum = quorum;
        this.vote = vote;
        int n = nodes.size();
        this.states = new State[n];
        this.replies = new Object[n];
        this.errors = new Throwable[n];
        this.warned = new boolean[n];
        java.util.Arrays.fill(states, State.PENDING);
    }

    /**
     * Starts a round.
     *
     * @param nodes the nodes
     * @param quorum how many yes votes decide success
     * @param timeoutNanos how long a node may take before it counts as failed for this round
     * @param op the per-node call, unbounded (see {@link RedisNode#evalRaw})
     * @param vote what counts as yes
     * @param after per-node futures the call must wait for (the previous call's raw futures), or null
     * @param refusedEarly whether a failed round is also decided as soon as a majority answered and more
     *     nodes said "no" than a quorum can spare ("held by another owner" is then certain) instead of
     *     waiting out a hung node: for the rounds of fair hand-off waits, whose waiter confirms a hand-over
     *     only once its current round is over
     * @return the round: its {@link #raw()} calls exist on return; {@link #done()} completes once it is
     *     decided (see the class comment)
     */
    static <T> Fanout<T> start(
            List<RedisNode> nodes,
            int quorum,
            long timeoutNanos,
            Function<RedisNode, CompletableFuture<T>> op,
            Vote<T> vote,
            List<CompletableFuture<?>> after,
            boolean refusedEarly) {
        Fanout<T> f = new Fanout<>(nodes, quorum, vote, refusedEarly);
        for (int i = 0; i < nodes.size(); i++) {
            RedisNode node = nodes.get(i);
            CompletableFuture<T> call;
            if (after != null && !after.get(i).isDone()) {
                CompletableFuture<CompletableFuture<T>> handed = after.get(i).handle((r, e) -> op.apply(node));
                f.sent.add(handed);
                call = handed.thenCompose(c -> c);
            } else {
                try {
                    call = op.apply(node);
                } catch (RuntimeException e) {
                    call = CompletableFuture.failedFuture(e);
                }
                f.sent.add(CallOrder.DONE);
            }
            f.raw.add(call);
        }
        // one timeout for the whole round, on Lettuce's wheel timer: no timer-thread wake-up per command
        io.netty.util.Timeout expiry = nodes.get(0).timer().newTimeout(
                t -> f.expire(), timeoutNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        f.done.whenComplete((v, e) -> expiry.cancel());
        // attach only once every call exists: a decision may run synchronously and read raw()
        for (int i = 0; i < nodes.size(); i++) {
            final int idx = i;
            @SuppressWarnings("unchecked")
            CompletableFuture<T> call = (CompletableFuture<T>) f.raw.get(i);
            call.whenComplete((r, e) -> f.settle(idx, r, e));
        }
        return f;
    }

    /** @return the decision (see the class comment) */
    CompletableFuture<Fanout<T>> done() {
        return done;
    }

    /** As {@link #start} with nothing to wait for and the plain rule, returning the decision only. */
    static <T> CompletableFuture<Fanout<T>> run(
            List<RedisNode> nodes,
            int quorum,
            long timeoutNanos,
            Function<RedisNode, CompletableFuture<T>> op,
            Vote<T> vote) {
        return start(nodes, quorum, timeoutNanos, op, vote, null, false).done;
    }

    /**
     * The unbounded per-node calls of this round, in node order; a later call to the same node chained
     * after one of these is written after it on the connection.
     *
     * @return the raw futures
     */
    List<CompletableFuture<?>> raw() {
        return raw;
    }

    /**
     * Per node, in node order: completes once that node's call was handed to its connection (at once, or
     * after the call it was chained after). Once handed over, a call is written before a later close of the
     * connection.
     *
     * @return the futures
     */
    List<CompletableFuture<?>> sent() {
        return sent;
    }

    /** The round's time is up: every node still pending counts as failed. */
    private void expire() {
        boolean decide;
        synchronized (this) {
            for (int i = 0; i < states.length; i++) {
                if (states[i] == State.PENDING) {
                    states[i] = State.FAILED;
                    errors[i] = new java.util.concurrent.TimeoutException(
                            "Redis at " + nodes.get(i).display + " did not answer in time");
                    failed++;
                    settled++;
                }
            }
            decide = yes >= quorum || settled == nodes.size();
        }
        if (decide) {
            done.complete(this);
        }
    }

    private void settle(int idx, T reply, Throwable error) {
        boolean decide;
        List<Runnable> hidden;
        synchronized (this) {
            if (states[idx] != State.PENDING) {
                return; // already counted as timed out
            }
            if (error != null) {
                states[idx] = State.FAILED;
                errors[idx] = nodes.get(idx).explain(Futures.unwrap(error));
                failed++;
            } else {
                replies[idx] = reply;
                boolean y = vote.yes(nodes.get(idx), reply);
                states[idx] = y ? State.YES : State.NO;
                if (y) {
                    yes++;
                }
            }
            settled++;
            // decide early on success; a failed round waits for every node (each bounded by the timeout)
            // so that "held by another owner" and "unreachable" are told apart correctly, unless it may
            // decide once a majority answered and more said "no" than a quorum can spare (refusedEarly)
            int answered = settled - failed;
            decide = yes >= quorum || settled == nodes.size()
                    || (refusedEarly && answered >= quorum && answered - yes > nodes.size() - quorum);
            hidden = hiddenErrorReplies();
        }
        hidden.forEach(Runnable::run); // before the outcome goes out: a caller may exit on it
        if (decide) {
            done.complete(this);
        }
    }

    /**
     * Nodes that replied with an error (READONLY, OOM...) in a round that a majority of the other nodes
     * answered (granted, held elsewhere, not the owner): the outcome stands on their answers and the caller
     * never sees those errors, so each node logs a warning (once per node and round; rate-limited by the
     * node). A round that too few nodes answered fails with the replies in its message instead.
     */
    private List<Runnable> hiddenErrorReplies() {
        if (settled - failed < nodes.size() / 2 + 1) {
            return List.of();
        }
        List<Runnable> out = List.of();
        for (int i = 0; i < states.length; i++) {
            if (states[i] == State.FAILED && !warned[i]
                    && (Failures.errorReply(errors[i]) || Failures.authenticationFailed(errors[i]))) {
                warned[i] = true;
                RedisNode node = nodes.get(i);
                Throwable error = errors[i];
                out = out.isEmpty() ? new java.util.ArrayList<>() : out;
                out.add(() -> node.warnHiddenErrorReply(error));
            }
        }
        return out;
    }

    /** @return the yes count at decision time (may grow later; read under the round's lock) */
    synchronized int yes() {
        return yes;
    }

    /** @return how many nodes answered (not failed) so far */
    synchronized int answered() {
        return settled - failed;
    }

    /** @return whether a quorum voted yes */
    synchronized boolean reached() {
        return yes >= quorum;
    }

    /** @return the state of node {@code i} */
    synchronized State state(int i) {
        return states[i];
    }

    /** @return the reply of node {@code i}, or null */
    @SuppressWarnings("unchecked")
    synchronized T reply(int i) {
        return (T) replies[i];
    }

    /** @return the first failure, or null */
    synchronized Throwable firstError() {
        for (Throwable t : errors) {
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    /** @return all failures so far */
    synchronized List<Throwable> errorList() {
        List<Throwable> out = new java.util.ArrayList<>();
        for (Throwable t : errors) {
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }
}
