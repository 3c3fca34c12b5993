/**
 * Test support for redislock: real {@code redis-server} processes, never mocks.
 *
 * <p>{@link io.redislock.testing.RedisServer} starts one real server process on a free
 * loopback port with its own temporary directory and no persistence, talks to it through a
 * tiny built-in RESP2 client (no client library needed), and offers fault tools that act on
 * the process itself: {@code kill()} (SIGKILL), {@code restart()} on the same port with empty
 * data, and {@code pause()}/{@code resume()} (SIGSTOP/SIGCONT) to simulate a frozen node.
 * {@link io.redislock.testing.RedisServers} groups several independent servers, e.g. for
 * Redlock tests, and {@link io.redislock.testing.WithRedis} wires them into JUnit 5 tests.
 * The binary comes from {@code REDISLOCK_REDIS_SERVER}, the {@code PATH}, or the copy bundled
 * in the embedded-redis jar (see {@link io.redislock.testing.RedisServerBinary}), so tests also
 * run on machines without Redis installed. {@link io.redislock.testing.JvmProcess} runs a main
 * class in a child JVM so that tests can kill a real lock holder, and
 * {@link io.redislock.testing.TestTimeouts} scales every wait for slow machines. Every process
 * started here is stopped by its PID, at the latest by a JVM shutdown hook, and every wait is
 * bounded. Where util-linux {@code setpriv} is installed, redis-servers are also started with a
 * parent-death signal (SIGKILL), so that they die with a JVM that is killed or crashes before
 * its hooks run.
 */
package io.redislock.testing;
