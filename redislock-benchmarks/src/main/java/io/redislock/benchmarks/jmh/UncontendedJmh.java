package io.redislock.benchmarks.jmh;

import io.redislock.LockOptions;
import io.redislock.benchmarks.peers.LettuceFloorLocker;
import io.redislock.benchmarks.peers.Locker;
import io.redislock.benchmarks.peers.RedislockLocker;
import io.redislock.benchmarks.peers.RedissonLocker;
import io.redislock.benchmarks.peers.SpringLocker;
import io.redislock.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: the latency of one uncontended acquire + release (scenario 1) per library, each trial on its own
 * fresh redis-server. Run with {@code ./benchmark --jmh} (any further arguments go to JMH, e.g.
 * {@code -p library=floor,redislock-try}).
 *
 * <p>Thread-safety: JMH state, one benchmark thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UncontendedJmh {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Which library: see {@link #open(String, String)}. */
    @Param({"redislock-try", "redislock-wait", "floor", "redisson-lease", "redisson-watchdog", "spring-spin",
        "spring-pubsub"})
    public String library;

    private RedisServer server;
    private Locker locker;

    /** Starts a redis-server and the library's client. */
    @Setup(Level.Trial)
    public void setUp() {
        server = RedisServer.start();
        try {
            locker = open(library, server.uri());
        } catch (RuntimeException e) {
            server.stop();
            throw e;
        }
    }

    /** Stops the client and the server. */
    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            if (locker != null) {
                locker.close();
            }
        } finally {
            server.stop();
        }
    }

    /**
     * One acquire + release.
     *
     * @throws Exception if the library fails
     */
    @Benchmark
    public void acquireRelease() throws Exception {
        locker.lock();
        locker.unlock();
    }

    static Locker open(String library, String uri) {
        List<String> uris = List.of(uri);
        return switch (library) {
            case "redislock-try" -> RedislockLocker.tryAcquire(uris, LockOptions.defaults()).open("jmh:rl");
            case "redislock-wait" -> RedislockLocker.acquire(uris, LockOptions.defaults(), WAIT).open("jmh:rl");
            case "floor" -> LettuceFloorLocker.once(uri, LEASE).open("jmh:floor");
            case "redisson-lease" -> RedissonLocker.factory(uris, LEASE, WAIT).open("jmh:redisson");
            case "redisson-watchdog" -> RedissonLocker.factory(uris, null, WAIT).open("jmh:redisson");
            case "spring-spin" -> SpringLocker.factory(uri,
                    org.springframework.integration.redis.util.RedisLockRegistry.RedisLockType.SPIN_LOCK, WAIT)
                    .open("jmh");
            case "spring-pubsub" -> SpringLocker.factory(uri,
                    org.springframework.integration.redis.util.RedisLockRegistry.RedisLockType.PUB_SUB_LOCK, WAIT)
                    .open("jmh");
            default -> throw new IllegalArgumentException("unknown library " + library);
        };
    }
}
