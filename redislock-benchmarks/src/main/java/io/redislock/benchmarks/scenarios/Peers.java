package io.redislock.benchmarks.scenarios;

import java.time.Duration;

/**
 * Names and shared settings of the compared libraries.
 *
 * <p>Thread-safety: constants only.
 */
final class Peers {
    /** The lease used wherever a library takes an explicit one (redislock's default). */
    static final Duration LEASE = Duration.ofSeconds(30);
    /** The bounded wait of every blocking acquisition. */
    static final Duration WAIT = Duration.ofSeconds(10);

    static final String REDISLOCK = "redislock";
    static final String FLOOR = "floor";
    static final String REDISSON = "Redisson";
    static final String SPRING_PUBSUB = "Spring PUB_SUB_LOCK";
    static final String SPRING_SPIN = "Spring SPIN_LOCK";
    /** Scenario 3's baseline in the chart: the scripts run pipelined by redis-benchmark. */
    static final String REDIS_BENCHMARK = "redis-benchmark";

    private Peers() {}
}
