package io.redislock.internal;

import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The outcome of one acquisition round over all nodes.
 *
 * @param granted whether a quorum granted it within validity
 * @param fence the fencing token, when granted
 * @param startNanos ticker reading from before the first request was sent
 * @param held whether at least one node answered that another owner holds the lock
 * @param ttlHintMs smallest remaining TTL of what blocks the caller, -1 if unknown or no expiry
 * @param answered how many nodes answered
 * @param yes how many nodes voted yes (trusted grants)
 * @param errors the failures of the nodes that did not answer
 * @param raws the round's unbounded per-node calls, to order later calls to a node after them
 * @param late whether a majority granted but only after the lease's validity had ended (Redis too slow
 *     for this lease); the grant was given back
 * @param yesNodes the indexes of the nodes that voted yes in a round that failed (empty otherwise); not
 *     to be modified
 */
record Attempt(
        boolean granted,
        long fence,
        long startNanos,
        boolean held,
        long ttlHintMs,
        int answered,
        int yes,
        List<Throwable> errors,
        List<CompletableFuture<?>> raws,
        boolean late,
        BitSet yesNodes) {

    /** A round that could not be run or decided at all: {@code why}. */
    static Attempt failed(Throwable why) {
        return new Attempt(false, 0, 0, false, -1, 0, 0, List.of(why), null, false, new BitSet());
    }

    /** A round a majority granted only after the lease's validity had ended (given back). */
    static Attempt late(long startNanos, int answered, List<CompletableFuture<?>> raws) {
        return new Attempt(false, 0, startNanos, false, 0, answered, 0, List.of(), raws, true, new BitSet());
    }

    static Attempt granted(long fence, long startNanos, int answered, List<CompletableFuture<?>> raws) {
        return new Attempt(true, fence, startNanos, false, -1, answered, answered, List.of(), raws, false,
                new BitSet());
    }
}
