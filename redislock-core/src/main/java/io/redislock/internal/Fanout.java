package io.redislock.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Sends one operation to every node in parallel and decides as soon as the outcome is known: a quorum of
 * "yes" answers, or so many other answers that a quorum is impossible, or every node settled. A node
 * that does not answer within its timeout counts as failed for this round.
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
    private final CompletableFuture<Fanout<T>> done = new CompletableFuture<>();
    private int yes;
    private int settled;
    private int failed;

    private Fanout(List<RedisNode> nodes, int quorum, Vote<T> vote) {
        this.nodes = nodes;
        this.quorum = quorum;
        this.vote = vote;
        int n = nodes.size();
        this.states = new State[n];
        this.replies = new Object[n];
        this.errors = new Throwable[n];
        java.util.Arrays.fill(states, State.PENDING);
    }

    /**
     * Starts a round.
     *
     * @param nodes the nodes
     * @param quorum how many yes votes decide success
     * @param op the per-node call
     * @param vote what counts as yes
     * @return a future completed with the round once the outcome is decided (not necessarily all settled)
     */
    static <T> CompletableFuture<Fanout<T>> run(
            List<RedisNode> nodes, int quorum, Function<RedisNode, CompletableFuture<T>> op, Vote<T> vote) {
        Fanout<T> f = new Fanout<>(nodes, quorum, vote);
        for (int i = 0; i < nodes.size(); i++) {
            final int idx = i;
            CompletableFuture<T> call;
            try {
                call = op.apply(nodes.get(i));
            } catch (RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            call.whenComplete((r, e) -> f.settle(idx, r, e));
        }
        return f.done;
    }

    private void settle(int idx, T reply, Throwable error) {
        boolean decide;
        synchronized (this) {
            if (error != null) {
                states[idx] = State.FAILED;
                errors[idx] = Futures.unwrap(error);
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
            int n = nodes.size();
            decide = yes >= quorum || (n - settled) + yes < quorum || settled == n;
        }
        if (decide) {
            done.complete(this);
        }
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
