package io.redislock;

import java.time.Duration;
import java.util.Optional;

/**
 * A snapshot of one lock's state as read from Redis, for operators ({@code redislock status}).
 *
 * @param name the lock name
 * @param key the Redis key of the lock
 * @param held whether an owner holds it (on a majority, with several nodes)
 * @param owner the owner token, when held
 * @param ttl remaining time to live, when held with an expiry
 * @param fencingCounter one node: the last fencing token handed out; several nodes: the highest counter over
 *     the nodes that answered, which no token handed out so far exceeds as long as no node lost its counter
 *     (the delayed-restart rule); each node counts on its own, so the next token may be lower than this value,
 *     though higher than every earlier token; 0 if never granted, or not for a day (the counter expired)
 * @param nodesHolding how many nodes hold the owner's token
 * @param nodesAnswered how many nodes answered
 */
public record LockInfo(
        String name,
        String key,
        boolean held,
        Optional<String> owner,
        Optional<Duration> ttl,
        long fencingCounter,
        int nodesHolding,
        int nodesAnswered) {}
