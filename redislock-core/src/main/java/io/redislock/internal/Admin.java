package io.redislock.internal;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.redislock.LockInfo;
import io.redislock.LockUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Operator commands over an engine's nodes: read a lock's state, list locks (SCAN, never KEYS), and
 * release a lock whoever holds it. Each is decided by a majority of nodes answering.
 */
public final class Admin {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Admin.class);

    private final LockEngine engine;

    Admin(LockEngine engine) {
        this.engine = engine;
    }

    /**
     * Reads a lock's state from every node.
     *
     * @param prefix key prefix
     * @param name lock name
     * @return the snapshot
     */
    public CompletableFuture<LockInfo> status(String prefix, String name) {
        engine.ensureOpen();
        Keys.checkName(name);
        Keys.checkPrefix(prefix);
        return read(prefix, name);
    }

    /** As {@link #status}, for a name found in Redis (which another program may have written: not checked). */
    private CompletableFuture<LockInfo> read(String prefix, String name) {
        String[] keys = Keys.of(prefix, name);
        List<CompletableFuture<List<Object>>> per = new ArrayList<>();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        for (RedisNode n : engine.nodes) {
            CompletableFuture<String> owner = n.call(c -> c.get(keys[0]));
            CompletableFuture<Long> ttl = n.call(c -> c.pttl(keys[0]));
            CompletableFuture<String> fence = n.call(c -> c.get(keys[1]));
            per.add(CompletableFuture.allOf(owner, ttl, fence)
                    .thenApply(v -> java.util.Arrays.asList((Object) owner.join(), ttl.join(), fence.join()))
                    .exceptionally(e -> {
                        firstError.compareAndSet(null, n.explain(e));
                        return null;
                    }));
        }
        return CompletableFuture.allOf(per.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
            int answered = 0;
            long fenceMax = 0;
            Map<String, Integer> owners = new HashMap<>();
            Map<String, Long> minTtl = new HashMap<>();
            for (int i = 0; i < per.size(); i++) {
                List<Object> r = per.get(i).join();
                if (r == null) {
                    continue;
                }
                answered++;
                String o = (String) r.get(0);
                if (r.get(2) != null) {
                    fenceMax = Math.max(fenceMax, fence((String) r.get(2), keys[1], engine.nodes.get(i), name));
                }
                if (o != null) {
                    owners.merge(o, 1, Integer::sum);
                    long t = (Long) r.get(1);
                    minTtl.merge(o, t, Math::min);
                }
            }
            if (answered < engine.quorum) {
                throw new LockUnavailableException("could not read lock '" + name + "': " + unanswered(answered, firstError.get()),
                        firstError.get());
            }
            String best = null;
            int bestCount = 0;
            for (Map.Entry<String, Integer> e : owners.entrySet()) {
                if (e.getValue() > bestCount) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            boolean held = bestCount >= engine.quorum;
            Optional<Duration> ttl = Optional.empty();
            if (best != null && minTtl.get(best) >= 0) {
                ttl = Optional.of(Duration.ofMillis(minTtl.get(best)));
            }
            return new LockInfo(name, keys[0], held, Optional.ofNullable(best), ttl, fenceMax, bestCount, answered);
        });
    }

    /**
     * Lists lock names known on any node (SCAN, never KEYS) matching a glob, with their state.
     *
     * @param prefix key prefix
     * @param namePattern glob over names
     * @return snapshots of the locks, held or not
     */
    public CompletableFuture<List<LockInfo>> list(String prefix, String namePattern) {
        engine.ensureOpen();
        Keys.checkPrefix(prefix);
        if (namePattern == null || namePattern.isEmpty()) {
            throw new IllegalArgumentException("pattern must not be empty");
        }
        String match = Keys.fencePattern(prefix, namePattern);
        List<CompletableFuture<Set<String>>> scans = new ArrayList<>();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        for (RedisNode n : engine.nodes) {
            scans.add(scan(n, match, ScanCursor.INITIAL, new LinkedHashSet<>(), 0).exceptionally(e -> {
                firstError.compareAndSet(null, n.explain(e));
                return null;
            }));
        }
        return CompletableFuture.allOf(scans.toArray(new CompletableFuture<?>[0])).thenCompose(v -> {
            TreeMap<String, Boolean> names = new TreeMap<>();
            int answered = 0;
            for (CompletableFuture<Set<String>> s : scans) {
                Set<String> keys = s.join();
                if (keys == null) {
                    continue;
                }
                answered++;
                for (String k : keys) {
                    String lockKey = Keys.lockKeyOfFence(k);
                    if (lockKey != null && lockKey.startsWith(prefix)) {
                        names.put(lockKey.substring(prefix.length()), Boolean.TRUE);
                    }
                }
            }
            if (answered < engine.quorum) {
                throw new LockUnavailableException("could not list locks: " + unanswered(answered, firstError.get()),
                        firstError.get());
            }
            List<CompletableFuture<LockInfo>> infos = new ArrayList<>();
            for (String name : names.keySet()) {
                if (!isLockName(name)) {
                    continue; // another program's key under a lock-like name that lock() would refuse
                }
                // a key that is not a lock of ours (another type of value, a counter that is not a number)
                // is left out, not a reason to list nothing
                infos.add(read(prefix, name).exceptionally(e -> {
                    if (notALock(e)) {
                        LOG.debug("redislock: list skips '{}': {}", name, Failures.describe(e));
                        return null;
                    }
                    throw e instanceof java.util.concurrent.CompletionException c ? c
                            : new java.util.concurrent.CompletionException(e);
                }));
            }
            return CompletableFuture.allOf(infos.toArray(new CompletableFuture<?>[0])).thenApply(x -> {
                List<LockInfo> out = new ArrayList<>();
                for (CompletableFuture<LockInfo> i : infos) {
                    if (i.join() != null) {
                        out.add(i.join());
                    }
                }
                return out;
            });
        });
    }

    private CompletableFuture<Set<String>> scan(RedisNode n, String match, ScanCursor cursor, Set<String> acc,
            int round) {
        if (round > 100_000) {
            return CompletableFuture.completedFuture(acc);
        }
        return n.<KeyScanCursor<String>>call(c -> c.scan(cursor, ScanArgs.Builder.matches(match).limit(1000)))
                .thenCompose(k -> {
                    acc.addAll(k.getKeys());
                    if (k.isFinished()) {
                        return CompletableFuture.completedFuture(acc);
                    }
                    return scan(n, match, k, acc, round + 1);
                });
    }

    /**
     * Deletes a lock whoever holds it (operator action) and hands it to the oldest waiter, if any.
     *
     * @param prefix key prefix
     * @param name lock name
     * @return how many nodes held it
     */
    public CompletableFuture<Integer> forceRelease(String prefix, String name) {
        engine.ensureOpen();
        Keys.checkName(name);
        Keys.checkPrefix(prefix);
        String[] keys = Keys.of(prefix, name);
        String[] args = {"", "", "1", "1", engine.floorArg};
        return Fanout.<Long>run(engine.nodes, engine.nodes.size(), engine.options.commandTimeout().toNanos(),
                        n -> n.evalRaw(Script.RELEASE, keys, args), (n, r) -> true)
                .thenApply(f -> {
                    if (f.answered() < engine.quorum) {
                        throw new LockUnavailableException("could not release lock '" + name + "': "
                                + unanswered(f.answered(), f.firstError()),
                                f.firstError());
                    }
                    int count = 0;
                    for (int i = 0; i < engine.nodes.size(); i++) {
                        Long r = f.reply(i);
                        if (r != null && r == 1L) {
                            count++;
                        }
                    }
                    return count;
                });
    }

    /** The fencing counter read from a node; a value that is not a number is reported, not parsed as one. */
    private static long fence(String value, String key, RedisNode node, String name) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new NotALock("could not read lock '" + name + "': its fencing counter '" + key
                    + "' on Redis at " + node.display + " does not hold an integer (was it written by something"
                    + " other than redislock?)");
        }
    }

    /** Keys that hold what no redislock lock holds (written by another program). */
    private static final class NotALock extends LockUnavailableException {
        private static final long serialVersionUID = 1L;

        NotALock(String message) {
            super(message, null);
        }
    }

    /**
     * Whether a read failed because the key is not a lock of ours: another type of value (WRONGTYPE) or a
     * counter that is not a number. Other error replies (NOPERM: the ACL hides the key, BUSY, ...) say
     * nothing about the key, so list fails with them instead of leaving a held lock out.
     */
    private static boolean notALock(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof NotALock || Failures.errorReply(c) && String.valueOf(c.getMessage()).contains("WRONGTYPE")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLockName(String name) {
        try {
            Keys.checkName(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Why too few nodes answered: for one node what it did ("Redis at host:port did not answer (...)", "...
     * refused the credentials", "... replied with an error: ..."), for several "only k of N Redis nodes
     * answered (the first failure)".
     */
    private String unanswered(int answered, Throwable first) {
        int n = engine.nodes.size();
        if (n > 1) {
            return "only " + answered + " of " + n + " Redis nodes answered" + why(first);
        }
        RedisNode node = engine.nodes.get(0);
        Throwable e = node.explain(first);
        String at = "Redis at " + node.display;
        if (e != null && Failures.authenticationFailed(e)) {
            return at + " refused the credentials; check the password";
        }
        if (Failures.errorReply(e)) {
            return at + " replied with an error: " + Failures.replyText(e);
        }
        return at + " did not answer" + (e != null && Failures.timeout(e) ? " in time" : why(e));
    }

    /** @return " (why a node failed)" for a message, or "" */
    private static String why(Throwable t) {
        if (t == null) {
            return "";
        }
        if (Failures.authenticationFailed(t)) {
            return " (Redis refused the credentials; check the password)";
        }
        return " (" + Failures.describe(t) + ")";
    }
}
