package io.redislock.internal;

import io.redislock.LockUnavailableException;
import io.redislock.Ticker;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acquisition rounds over all nodes: one grant script per node in parallel, the decision by majority and
 * validity, the Redlock fencing write-back, and the cleanup of a failed round's partial grants.
 */
final class Rounds {
    private static final Logger LOG = LoggerFactory.getLogger(Rounds.class);

    private final LockEngine engine;
    private final List<RedisNode> nodes;
    private final int quorum;
    private final String floorArg;
    private final Ticker ticker;
    private final CallOrder order;

    Rounds(LockEngine engine, CallOrder order) {
        this.engine = engine;
        this.nodes = engine.nodes;
        this.quorum = engine.quorum;
        this.floorArg = engine.floorArg;
        this.ticker = engine.ticker;
        this.order = order;
    }

    /**
     * One acquisition round on all nodes.
     *
     * @param score the waiter's queue score, the same on every node ("" = the server's time: one node)
     * @param deadline the end of the caller's wait on the ticker ({@link Long#MAX_VALUE}: none); a round
     *     ends by then, so that unreachable nodes make the acquisition fail within its wait; the first round
     *     of a wait shorter than the per-node timeout may take that timeout (it must be able to tell "held"
     *     from "unreachable")
     * @param first whether this is the wait's first round
     * @param keptLate called with the index of each node whose share a failed round's cleanup kept (see
     *     release.lua) although the round's {@link Attempt#yes()} does not count it: a fair wait's round is decided once a majority
     *     refused, and a node that answers "yes" after that still holds a share for the waiter
     */
    CompletableFuture<Attempt> attempt(LockImpl l, String token, String member, String score, long keepMs,
            long deadline, boolean first, java.util.function.IntConsumer keptLate) {
        long leaseNanos = l.leaseNanos();
        long start = ticker.nanos();
        String[] args = {token, l.leaseArg(), member, Long.toString(keepMs), floorArg, score};
        long timeout = engine.roundTimeoutNanos(leaseNanos);
        if (deadline != Long.MAX_VALUE) {
            long floor = first ? engine.nodeTimeoutNanos(leaseNanos) : TimeUnit.MILLISECONDS.toNanos(1);
            timeout = Math.min(timeout, Math.max(floor, deadline - start));
        }
        // a fair hand-off waiter confirms a hand-over only once its current round is over: such a round
        // must not wait out a hung node once a majority refused. Waits without fair hand-off keep the old
        // rule on purpose: their waiters take free shares by racing (SET NX), not in queue order, and a
        // round that waits out a hung node keeps its waiter from racing meanwhile. Deciding their rounds
        // early, with one node at a time SIGSTOPped, doubled the rounds per grant (37 against 19 scripts),
        // left the nodes split between waiters in 60% instead of 25% of samples, and cut 150-180 to 50-70
        // grants/s (6 clients, 5 nodes).
        boolean fairWait = !member.isEmpty() && "1".equals(l.grantArg());
        long bound = timeout; // a call the client refused while reconnecting is sent again within the round
        return Fanout.<List<Object>>start(nodes, quorum, bound,
                        n -> n.evalRawOnceConnected(Script.ACQUIRE, l.keys, bound, args),
                        (n, r) -> LockEngine.isOne(r.get(0)) && engine.trusted(n), order.after(l.keys[0]), fairWait)
                .done()
                .thenCompose(f -> decide(l, token, member, score, keepMs, f, start, keptLate));
    }

    private CompletableFuture<Attempt> decide(LockImpl l, String token, String member, String score, long keepMs,
            Fanout<List<Object>> f, long start, java.util.function.IntConsumer keptLate) {
        if (!f.reached()) {
            // the yes votes the attempt reports and the nodes it counts, as of one moment: a node that
            // settles later is reported by keptLate if the cleanup keeps its share
            Attempt failed;
            boolean[] counted = new boolean[nodes.size()];
            synchronized (f) {
                failed = failed(f, start);
                for (int i = 0; i < counted.length; i++) {
                    counted[i] = f.state(i) == Fanout.State.YES;
                }
            }
            int ignored = ignoredGrants(f);
            if (ignored > 0) {
                // a grant that did not count (too young a node) is given back without handing it over
                cleanupWhereGranted(l, token, f, new String[] {token, "", "0", l.releaseArg(), floorArg});
            } else if (nodes.size() > 1) {
                // a split vote (a majority answered): a waiter keeps an expiring share unless an older
                // waiter is queued there (see release.lua), for at most two retry intervals unless its next
                // round renews it. A waiter that cannot reach a majority keeps nothing: it must not hold up
                // the waiters that can.
                long cap = Math.max(1000, 2 * l.options().retry().maxDelay().toMillis());
                boolean keep = !member.isEmpty() && l.expiring() && f.answered() >= quorum;
                List<CompletableFuture<?>> calls = cleanupWhereGranted(l, token, f, !keep
                        ? new String[] {token, "", l.grantArg(), l.releaseArg(), floorArg}
                        : new String[] {token, "", l.grantArg(), l.releaseArg(), floorArg, member, score,
                            Long.toString(keepMs), Long.toString(cap)});
                for (int i = 0; keep && i < calls.size(); i++) {
                    if (!counted[i] && calls.get(i) != null) {
                        int node = i;
                        calls.get(i).thenAccept(r -> {
                            if (Long.valueOf(2L).equals(r)) {
                                keptLate.accept(node);
                            }
                        });
                    }
                }
            }
            return CompletableFuture.completedFuture(failed);
        }
        long fence = 0;
        int atMax = 0;
        for (int i = 0; i < nodes.size(); i++) {
            if (f.state(i) == Fanout.State.YES) {
                long v = LockEngine.toLong(f.reply(i).get(1));
                if (v > fence) {
                    fence = v;
                    atMax = 1;
                } else if (v == fence) {
                    atMax++;
                }
            }
        }
        if (!member.isEmpty()) {
            leaveWhereRefused(l, member, f);
        }
        if (!stillValid(l, start)) {
            leave(l, token, "", f.raw());
            return CompletableFuture.completedFuture(
                    Attempt.late(start, f.answered(), f.raw()));
        }
        if (atMax >= quorum) {
            return CompletableFuture.completedFuture(Attempt.granted(fence, start, f.answered(), f.raw()));
        }
        return writeBackFence(l, token, f, fence, atMax, start);
    }

    /**
     * Redlock fencing: raise the counter on enough nodes that a majority holds at least {@code fence}; any
     * later majority intersects it, so the next token is larger.
     */
    private CompletableFuture<Attempt> writeBackFence(
            LockImpl l, String token, Fanout<List<Object>> f, long fence, int atMax, long start) {
        List<RedisNode> others = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            boolean isMax = f.state(i) == Fanout.State.YES && LockEngine.toLong(f.reply(i).get(1)) == fence;
            if (!isMax) {
                others.add(nodes.get(i));
            }
        }
        String[] fenceKey = {l.keys[1], l.keys[0]};
        String[] args = {Long.toString(fence), l.leaseArg()};
        long timeout = engine.roundTimeoutNanos(l.leaseNanos());
        return Fanout.<Long>run(others, quorum - atMax, timeout, n -> n.evalRaw(Script.FENCE, fenceKey, args),
                        (n, r) -> r != null && r >= fence)
                .thenApply(w -> {
                    if (w.reached() && stillValid(l, start)) {
                        return Attempt.granted(fence, start, f.answered(), f.raw());
                    }
                    leave(l, token, "", f.raw());
                    if (w.reached()) { // written back, but too late
                        return Attempt.late(start, f.answered(), f.raw());
                    }
                    // too few nodes took the write-back: as good as too few answering (not "held elsewhere")
                    return new Attempt(false, 0, start, false, 0, atMax + w.yes(), 0, w.errorList(), f.raw(), false,
                            new BitSet());
                });
    }

    private boolean stillValid(LockImpl l, long start) {
        if (!l.expiring()) {
            return true;
        }
        return ticker.nanos() < engine.validUntil(l.leaseNanos(), start);
    }

    /** @return how many nodes granted but were not counted (restarted too recently: delayed-restart rule) */
    private int ignoredGrants(Fanout<List<Object>> f) {
        int n = 0;
        for (int i = 0; i < nodes.size(); i++) {
            if (f.state(i) == Fanout.State.NO && LockEngine.isOne(f.reply(i).get(0))) {
                n++;
            }
        }
        return n;
    }

    private Attempt failed(Fanout<List<Object>> f, long start) {
        boolean held = false;
        long ttl = Long.MAX_VALUE;
        List<Throwable> errors = new ArrayList<>(f.errorList());
        int ignored = 0;
        BitSet yesNodes = new BitSet();
        for (int i = 0; i < nodes.size(); i++) {
            Fanout.State s = f.state(i);
            if (s == Fanout.State.YES) {
                yesNodes.set(i);
            }
            if (s == Fanout.State.NO) {
                List<Object> r = f.reply(i);
                if (LockEngine.isOne(r.get(0))) {
                    // a grant that does not count: the node is too young (it was released again above)
                    ignored++;
                    errors.add(new LockUnavailableException(nodes.get(i).tooYoung(engine.maxLeaseNanos()), null));
                } else {
                    held = true;
                    long t = LockEngine.toLong(r.get(1));
                    if (t == -2) {
                        t = 0;
                    }
                    if (t >= 0 && t < ttl) {
                        ttl = t;
                    }
                }
            }
        }
        return new Attempt(false, 0, start, held, ttl == Long.MAX_VALUE ? -1 : ttl, f.answered() - ignored, f.yes(), errors,
                f.raw(), false, yesNodes);
    }

    /**
     * Releases a failed round's partial grants: on every node that granted, timed out or failed (its
     * grant may have happened); nodes that answered "held by another owner" granted nothing. Like any
     * release, each hands its share to that node's oldest waiter (fair hand-off). After a split vote (a
     * majority answered), a waiter keeps its share where no older waiter is queued, and queues where it
     * gives its share away: the oldest waiter then gathers the shares of the split instead of each node
     * handing its share to a different waiter, round after round.
     *
     * @param args release.lua's arguments
     * @return the per-node release calls, null where none was sent
     */
    private List<CompletableFuture<?>> cleanupWhereGranted(
            LockImpl l, String token, Fanout<List<Object>> f, String[] args) {
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Fanout.State s = f.state(i);
            if (s == Fanout.State.NO && !LockEngine.isOne(f.reply(i).get(0))) {
                calls.add(null);
                continue;
            }
            calls.add(releaseAfter(l, nodes.get(i), f.raw().get(i), args));
        }
        order.orderAfter(l.keys[0], calls);
        return calls;
    }

    /** A release script on one node, sent once {@code prev} (an earlier call there) completed. */
    private CompletableFuture<Long> releaseAfter(LockImpl l, RedisNode n, CompletableFuture<?> prev, String[] args) {
        // unbounded here (Lettuce's command timeout ends it): later calls are ordered after its reply
        CompletableFuture<Long> call = prev.handle((r, e) -> null).thenCompose(x -> n.<Long>evalRaw(Script.RELEASE, l.keys, args));
        order.track(call).whenComplete((r, e) -> {
            if (e != null) {
                LOG.debug("redislock: cleanup of lock '{}' on {} failed: {}", l.name(), n.display, e.toString());
            }
        });
        return call;
    }

    /**
     * After a grant by a majority: leave the waiter queue on every node that did not vote yes (a refusal
     * queued us; a late or timed-out call may still do so, hence the ordering after its raw call). The
     * token is not passed, so a late grant on such a node stays ours until release.
     */
    private void leaveWhereRefused(LockImpl l, String member, Fanout<List<Object>> f) {
        String[] args = {"", member, "0", "0", floorArg};
        for (int i = 0; i < nodes.size(); i++) {
            if (f.state(i) != Fanout.State.YES) {
                RedisNode n = nodes.get(i);
                order.track(f.raw().get(i).handle((r, e) -> null).thenCompose(x -> n.<Long>eval(Script.RELEASE, l.keys, args)));
            }
        }
    }

    /** Leaves the waiter queue on every node (passing on a reservation) and deletes the key if it holds our token. */
    void leave(LockImpl l, String token, String member, List<CompletableFuture<?>> after) {
        String[] args = {token, member, l.grantArg(), l.releaseArg(), floorArg};
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            calls.add(releaseAfter(l, nodes.get(i), after == null ? CallOrder.DONE : after.get(i), args));
        }
        order.orderAfter(l.keys[0], calls);
    }
}
