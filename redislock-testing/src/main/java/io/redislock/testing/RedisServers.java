package io.redislock.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * N independent {@link RedisServer}s (e.g. the nodes of a Redlock test), started in
 * parallel and stopped together.
 */
public final class RedisServers implements AutoCloseable {

    private static final Duration START_ALL_TIMEOUT = Duration.ofSeconds(60);

    private final List<RedisServer> servers;

    private RedisServers(List<RedisServer> servers) {
        this.servers = List.copyOf(servers);
    }

    /**
     * Starts {@code n} servers with the default configuration.
     *
     * @param n number of servers, at least 1
     * @return the running servers
     * @throws IllegalStateException if any fails to start (the others are stopped)
     */
    public static RedisServers start(int n) {
        return start(n, new String[0]);
    }

    /**
     * Starts {@code n} servers, each with the same extra redis-server arguments.
     *
     * @param n number of servers, at least 1
     * @param extraArgs arguments as for {@link RedisServer#start(String...)}
     * @return the running servers
     * @throws IllegalStateException if any fails to start (the others are stopped)
     */
    public static RedisServers start(int n, String... extraArgs) {
        if (n < 1) {
            throw new IllegalArgumentException("need at least one server, got " + n);
        }
        Path binary = RedisServerBinary.resolve();
        String[] args = extraArgs.clone();
        if (n == 1) {
            return new RedisServers(List.of(RedisServer.start(binary, args)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(n, 8), task -> {
            Thread thread = new Thread(task, "redislock-redis-start");
            thread.setDaemon(true);
            return thread;
        });
        List<Future<RedisServer>> futures = new ArrayList<>();
        List<RedisServer> started = new ArrayList<>();
        RuntimeException failure = null;
        try {
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> RedisServer.start(binary, args)));
            }
            long deadline = System.nanoTime() + TestTimeouts.scaled(START_ALL_TIMEOUT).toNanos();
            for (Future<RedisServer> future : futures) {
                try {
                    started.add(future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (ExecutionException e) {
                    failure = accumulate(failure, e.getCause());
                } catch (TimeoutException e) {
                    failure = accumulate(failure, e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = accumulate(failure, e);
                    break;
                }
            }
        } finally {
            pool.shutdown();
        }
        if (failure != null) {
            for (RedisServer server : started) {
                try {
                    server.stop();
                } catch (RuntimeException e) {
                    failure.addSuppressed(e);
                }
            }
            throw failure;
        }
        return new RedisServers(started);
    }

    private static RuntimeException accumulate(RuntimeException first, Throwable next) {
        if (first == null) {
            return next instanceof IllegalStateException ise
                    ? ise : new IllegalStateException("Could not start redis-server: " + next, next);
        }
        first.addSuppressed(next);
        return first;
    }

    /**
     * Returns one server.
     *
     * @param i index from 0
     * @return the server
     */
    public RedisServer get(int i) {
        return servers.get(i);
    }

    /** @return all servers, unmodifiable, in start order */
    public List<RedisServer> all() {
        return servers;
    }

    /** @return the {@link RedisServer#uri()} of every server */
    public List<String> uris() {
        return servers.stream().map(RedisServer::uri).toList();
    }

    /** @return the number of servers */
    public int size() {
        return servers.size();
    }

    /** Stops every server, even if stopping some of them fails (the first failure is thrown). */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (RedisServer server : servers) {
            try {
                server.stop();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "RedisServers" + servers;
    }
}
