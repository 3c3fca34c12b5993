package io.redislock.internal;

import io.redislock.LockTimeoutException;
import io.redislock.LockUnavailableException;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One acquisition: attempts until granted or the wait runs out. Between attempts it sleeps until a
 * release notification for its token arrives (pub/sub; subscribed before the first attempt) or a backoff
 * delay with full jitter passes, bounded by the blocker's TTL and the remaining wait. One owner token is
 * used for all attempts, so a retry after a lost reply finds the lock already granted to it.
 */
final class AcquireOp implements Clockwork.Item {
    private static final long MAX_WAITER_KEEP_MS = TimeUnit.HOURS.toMillis(1);

    private final LockImpl lock;
    private final LockEngine engine;
    private final String token;
    private final String member;
    /**
     * The queue score (wall clock, µs) sent with every registration under Redlock: fixed per wait, so all
     * nodes order waiters alike; "" on one node, where the script scores by arrival.
     */
    private final String score;
    private final long waitNanos;
    private final long deadline;
    /** The last round whose grant the delayed-restart rule refused, if any. */
    private volatile Attempt lastRefusedYoung;
    /** The last round not cut short by the end of the wait: it classifies a wait whose last round was. */
    private volatile Attempt lastFull;
    /** Whether the current round was bounded by the end of the wait (shorter than the per-node timeout). */
    private volatile boolean cutShort;
    /** The round under way, if any (closing the client waits for it). */
    private volatile CompletableFuture<Void> inFlightRound;
    private final CompletableFuture<LeaseImpl> result = new CompletableFuture<>();
    private volatile CompletableFuture<Void> signal = new CompletableFuture<>();
    private volatile long retryAt = Long.MAX_VALUE;
    /** The nodes whose release message for this waiter arrived since the current round began (guarded by this). */
    private final BitSet woken = new BitSet();
    /**
     * The nodes whose share the current round counted: its yes votes, and shares its cleanup kept on nodes that
     * answered after it was decided (guarded by this). A message from one of them tells of that share (the
     * hand-off that made the vote yes, arriving after the reply, or delivered twice), not of another one.
     */
    private final BitSet counted = new BitSet();
    /** How many release notifications mean "a majority released": 1 for one node. */
    private volatile int wakeThreshold = 1;
    private int attempts;
    private boolean inFlight; // guarded by this
    /** The number of the current round (guarded by this). */
    private int roundNo;
    /** Shares the current round's cleanup kept that its yes count left out (guarded by this; see keptLate). */
    private int lateKept;
    /** Whether onAttempt set the wake threshold for the current round (guarded by this). */
    private boolean thresholdSet;
    private long lastStart; // guarded by this
    private final long unreachableLimitNanos;
    /** The start of the first of the rounds in a row that reached no majority, or -1. */
    private long unreachableSince = -1;
    /** The last round's raw per-node calls; later cleanup is ordered after them. */
    private volatile java.util.List<CompletableFuture<?>> lastRaws;

    AcquireOp(LockImpl lock, long waitNanos) {
        this(lock, waitNanos, 0);
    }

    /**
     * @param unreachableLimitNanos when positive, the wait ends with {@link LockUnavailableException} once
     *     rounds have failed to reach a majority for this long (a wait as long as the lock is held by others,
     *     that keeps its place in the queue, but not forever on an unreachable Redis); 0 for none
     */
    AcquireOp(LockImpl lock, long waitNanos, long unreachableLimitNanos) {
        this.unreachableLimitNanos = unreachableLimitNanos;
        this.lock = lock;
        this.engine = lock.engine;
        this.token = engine.tokens.next();
        this.waitNanos = waitNanos;
        this.member = waitNanos > 0 ? engine.waiterMember(token, lock.leaseArg()) : "";
        this.score = waitNanos > 0 && engine.nodes.size() > 1 ? Long.toString(epochMicros()) : "";
        this.deadline = engine.ticker.nanos() + waitNanos;
    }

    /** Starts; the future completes with the lease, or null when not acquired by a no-wait attempt. */
    CompletableFuture<LeaseImpl> start() {
        result.whenComplete((l, e) -> {
            if (result.isCancelled()) {
                abandonQuietly();
            }
        });
        if (waitNanos > 0) {
            engine.waiters.put(token, this);
            if (engine.isClosed()) {
                // the client closed after this wait passed its open check, but maybe before close() looked
                abandon(new IllegalStateException("the LockClient was closed while waiting"));
                return result;
            }
            // subscribe first so that no wake-up is lost, but never spend more than half the wait on it
            long bound = Math.min(engine.roundTimeoutNanos(lock.leaseNanos()), waitNanos / 2);
            engine.subscriptionsSettled(bound).whenComplete((v, e) -> attempt());
        } else {
            // a no-wait attempt that closing the client meets is waited for, and a grant it gets is given back
            CompletableFuture<Void> handled = new CompletableFuture<>();
            inFlightRound = handled; // before close() can see it in `tries`
            engine.tries.add(this);
            result.whenComplete((l, e) -> engine.tries.remove(this));
            if (engine.isClosed()) {
                result.completeExceptionally(new IllegalStateException("the LockClient was closed"));
                handled.complete(null);
                return result;
            }
            attempt(handled);
        }
        return result;
    }

    private void attempt() {
        attempt(new CompletableFuture<>());
    }

    /** Runs a round; {@code handled} completes once its outcome was handled (see {@link #roundInFlight()}). */
    private void attempt(CompletableFuture<Void> handled) {
        int r;
        synchronized (this) {
            if (result.isDone() || inFlight) {
                handled.complete(null);
                return;
            }
            // published before the round starts: a round that its outcome starts at once is published after it
            inFlightRound = handled;
            inFlight = true;
            lastStart = engine.ticker.nanos();
            // reset under the lock: a message that arrives from here on counts for this round
            woken.clear();
            counted.clear();
            signal = new CompletableFuture<>();
            lateKept = 0;
            thresholdSet = false;
            r = ++roundNo;
        }
        long now = engine.ticker.nanos();
        long keep = Math.min(MAX_WAITER_KEEP_MS, TimeUnit.NANOSECONDS.toMillis(Math.max(0, deadline - now)) + 1000);
        boolean first = lastRaws == null;
        // a later round of a wait ends with the wait (see Rounds.attempt): this one may be cut short
        cutShort = waitNanos > 0 && !first && deadline - now < engine.nodeTimeoutNanos(lock.leaseNanos());
        CompletableFuture<Attempt> round;
        try {
            round = engine.rounds.attempt(lock, token, member, score, keep, waitNanos > 0 ? deadline : Long.MAX_VALUE,
                    first, node -> keptLate(r, node));
        } catch (RuntimeException e) {
            round = CompletableFuture.failedFuture(e);
        }
        // the round in flight ends once its outcome is handled (closing the client waits for a give-back it sends)
        round.whenComplete((a, e) -> {
            try {
                onAttempt(e == null ? a : Attempt.failed(Futures.unwrap(e)));
            } catch (RuntimeException | Error t) {
                // never leave the caller waiting: a bug here must surface as a failure
                result.completeExceptionally(t);
                abandonQuietly();
            } finally {
                handled.complete(null);
            }
        });
    }

    private void onAttempt(Attempt a) {
        synchronized (this) {
            // after a grant, stay "in flight" for good: no further round may start for this token
            if (!a.granted()) {
                inFlight = false;
            }
        }
        lastRaws = a.raws();
        if (!a.granted() && a.errors().stream().anyMatch(e -> e instanceof LockUnavailableException)) {
            lastRefusedYoung = a;
        }
        if (!cutShort) {
            lastFull = a;
        }
        if (a.granted()) {
            LeaseImpl lease = new LeaseImpl(lock, token, a.fence(), a.startNanos(), a.raws());
            if (engine.isClosed()) {
                // granted while the client closes (e.g. handed over by its own closing lease): give it back
                result.completeExceptionally(new IllegalStateException(
                        waitNanos > 0 ? "the LockClient was closed while waiting" : "the LockClient was closed"));
            }
            if (result.isDone()) {
                // cancelled meanwhile: give it back
                engine.waiters.remove(token);
                engine.rounds.leave(lock, token, member, a.raws());
                return;
            }
            // live before it stops waiting: a late hand-over message for this token must find one of them
            lease.start();
            engine.waiters.remove(token);
            if (!result.complete(lease)) {
                lease.releaseAsync();
            }
            return;
        }
        if (result.isDone()) {
            // Cancelled or closed while this round was in flight: the leave then sent was ordered after the
            // round before it; leave again after this one (its cleanup may have kept a share or queued us).
            // Never after a grant: a release may have handed us the lock (wake) just after this round failed,
            // and a leave would delete the lease we hold.
            if (result.isCompletedExceptionally()) {
                try {
                    engine.rounds.leave(lock, token, member, a.raws());
                } catch (RuntimeException e) {
                    // best effort, as in abandonQuietly
                }
            }
            return;
        }
        if (engine.isClosed()) {
            abandon(new IllegalStateException("the LockClient was closed while waiting"));
            return;
        }
        long now = engine.ticker.nanos();
        long hopeless = a.errors().stream().filter(Failures::permanent).count();
        if (a.answered() < engine.quorum || a.late()) {
            if (unreachableSince < 0) {
                synchronized (this) {
                    unreachableSince = lastStart;
                }
            }
        } else {
            unreachableSince = -1;
        }
        boolean unreachableTooLong = unreachableLimitNanos > 0 && unreachableSince >= 0
                && now - unreachableSince >= unreachableLimitNanos;
        if (waitNanos == 0 || now >= deadline || hopeless > engine.nodes.size() - engine.quorum || unreachableTooLong) {
            // (too many nodes refuse for good: wrong password, ACL, another type of value at the key)
            finish(a);
            return;
        }
        // with several nodes, retry once a majority reported a release, not on the first message
        // (counting the shares its cleanup kept on nodes that answered after the round was decided)
        int threshold;
        int n;
        synchronized (this) {
            wakeThreshold = threshold = Math.max(1, engine.quorum - a.yes() - lateKept);
            counted.or(a.yesNodes());
            thresholdSet = true;
            n = wokenBesidesCounted();
        }
        if (n >= threshold) {
            signal.complete(null);
        }
        long delay = queuedForGrant(a) ? safetyNetNanos() : lock.options().retry().delayNanos(attempts++);
        if (a.ttlHintMs() >= 0) {
            delay = Math.min(delay, TimeUnit.MILLISECONDS.toNanos(a.ttlHintMs() + 1));
        }
        delay = Math.max(0, Math.min(delay, deadline - now));
        CompletableFuture<Void> s = signal;
        s.thenRun(() -> {
            retryAt = Long.MAX_VALUE;
            engine.clock.cancel(this);
            attempt();
        });
        if (!s.isDone()) {
            retryAt = now + delay;
            engine.clock.schedule(this);
        }
    }

    /**
     * True when a majority of nodes queued this waiter and their releases will hand the lock over and say
     * so (fair hand-off): then a retry is only a safety net against a lost message or a holder that died.
     */
    private boolean queuedForGrant(Attempt a) {
        return !member.isEmpty() && !a.late() && a.answered() >= engine.quorum && "1".equals(lock.grantArg())
                && engine.wakeUpsReachUs();
    }

    /** The safety-net retry delay of a queued waiter: uniform in [maxDelay / 2, maxDelay]. */
    private long safetyNetNanos() {
        long max = lock.options().retry().maxDelay().toNanos();
        return max / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(max / 2 + 1);
    }

    private void finish(Attempt last) {
        Attempt a = last;
        engine.waiters.remove(token);
        Attempt full = lastFull;
        boolean outOfTime = a.errors().stream().anyMatch(e -> e instanceof java.util.concurrent.TimeoutException);
        if (cutShort && full != null && outOfTime && a.answered() < engine.quorum && !a.late()) {
            // the last round was cut short by the end of the wait and nodes ran out of time in it (a refused
            // connection or an error reply is news; a node without time to answer is not): the last full
            // round says whether the lock was held or Redis unreachable, and how many nodes answered
            a = full;
        }
        if (lastRefusedYoung != null && a.answered() >= engine.quorum && !a.late()) {
            // a round of this wait was granted but refused by the delayed-restart rule: the lock seen as
            // held since may be another strict waiter's grant on its way back. Report the rule, not a holder.
            a = lastRefusedYoung;
        }
        boolean unavailable = a.answered() < engine.quorum || a.late();
        // end the wait first: a release may hand this waiter the lock right now (wake), and then the grant
        // is the caller's, which a leave must not delete. Ended here, a hand-over that follows is given back.
        boolean ended;
        if (unavailable) {
            ended = result.completeExceptionally(Failures.unavailable(engine.nodes, engine.quorum, lock, a,
                    waitNanos == 0 ? "could not try" : "could not acquire"));
        } else if (waitNanos == 0) {
            ended = result.complete(null);
        } else {
            ended = result.completeExceptionally(new LockTimeoutException("lock '" + lock.name()
                    + "' is held by another owner: not acquired within " + Duration.ofNanos(waitNanos).toMillis() + " ms"));
        }
        if (ended && (!member.isEmpty() || unavailable || last.answered() < engine.quorum || last.late())) {
            // leave the queue, pass on a reservation, and undo a grant whose reply was lost (ordered after
            // the last round's calls, which may still be under way on a slow node)
            engine.rounds.leave(lock, token, member, last.raws());
        }
    }

    /** @return the round under way, or a completed future */
    CompletableFuture<?> roundInFlight() {
        CompletableFuture<Void> r = inFlightRound;
        return r == null ? CompletableFuture.completedFuture(null) : r;
    }

    /**
     * The cleanup of round {@code r}, which failed, kept this waiter's share on a node that answered "yes"
     * only after the round was decided (see {@link Rounds#attempt}): one release message fewer makes a
     * majority. Without this, a waiter handed the rest of a majority would wait for its safety-net retry.
     */
    private void keptLate(int r, int node) {
        int n;
        int threshold;
        CompletableFuture<Void> s;
        synchronized (this) {
            if (r != roundNo || result.isDone()) {
                return;
            }
            lateKept++;
            counted.set(node);
            if (!thresholdSet) {
                return; // onAttempt counts it
            }
            wakeThreshold = threshold = Math.max(1, wakeThreshold - 1);
            n = wokenBesidesCounted();
            s = signal;
        }
        if (n >= threshold) {
            s.complete(null);
        }
    }

    /**
     * A release message for this waiter's token, one per node that released. With a fencing token
     * ({@code fence >= 0}) the release handed the lock to this waiter (fair hand-off): on one node it is ours;
     * under Redlock it is one node's vote, confirmed by a round once a majority voted.
     */
    void wake(int node, long fence) {
        boolean take;
        long start;
        CompletableFuture<Void> s;
        int n;
        boolean decided;
        synchronized (this) {
            // with an attempt in flight, its reply reports the grant (and refreshes the expiry); under
            // Redlock a grant is one node's vote: it counts as a wake-up, and a round collects the majority
            // (a node too young for the delayed-restart rule gets a round, which refuses its vote)
            take = fence >= 0 && engine.nodes.size() == 1 && !inFlight && !result.isDone()
                    && engine.trusted(engine.nodes.get(0));
            start = lastStart;
            if (take) {
                inFlight = true;
            } else {
                woken.set(node);
            }
            n = wokenBesidesCounted();
            // while a round is under way, its outcome decides (onAttempt counts this message)
            decided = thresholdSet && n >= wakeThreshold;
            s = signal;
        }
        if (take) {
            grantedByRelease(fence, start);
        } else if (decided) {
            s.complete(null);
        }
    }

    /** @return how many nodes sent a release message this round, besides those it counted (guarded by this) */
    private int wokenBesidesCounted() {
        BitSet b = (BitSet) woken.clone();
        b.andNot(counted);
        return b.cardinality();
    }

    /**
     * The release set our token with our lease after our last attempt had registered us, so that
     * attempt's start is a safe (earlier) start for the validity computation.
     */
    private void grantedByRelease(long fence, long start) {
        retryAt = Long.MAX_VALUE;
        engine.clock.cancel(this);
        if (lock.expiring() && engine.ticker.nanos() >= engine.validUntil(lock.leaseNanos(), start)) {
            // too old a start to vouch for the new expiry: confirm with a round (it finds the key ours)
            synchronized (this) {
                inFlight = false;
            }
            attempt();
            return;
        }
        onAttempt(Attempt.granted(fence, start, 1, lastRaws));
    }

    @Override
    public long dueNanos() {
        return retryAt;
    }

    @Override
    public void fire(long now) {
        retryAt = Long.MAX_VALUE;
        engine.clock.cancel(this);
        signal.complete(null);
    }

    /** Ends the wait with a failure (client closing). */
    void abandon(Throwable why) {
        if (result.completeExceptionally(why)) {
            abandonQuietly();
        }
    }

    private void abandonQuietly() {
        engine.waiters.remove(token);
        engine.clock.cancel(this);
        try {
            engine.rounds.leave(lock, token, member, lastRaws);
        } catch (RuntimeException e) {
            // best effort: the waiter entry and any grant expire by themselves
        }
    }

    /** The wall clock in µs since the epoch (the queue score's unit). */
    private static long epochMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
