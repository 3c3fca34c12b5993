package io.redislock.benchmarks.scenarios;

import io.redislock.benchmarks.peers.CoreScripts;
import io.redislock.testing.RedisServer;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code redis-benchmark} tool (from Debian's redis-tools / redis-server) against a server with
 * a script call pipelined, and reads its requests per second.
 *
 * <p>Thread-safety: immutable.
 */
final class RedisBenchmark {
    static final int PIPELINE = 16;
    static final int CLIENTS = 50;
    static final int KEYSPACE = 1_000_000_000;
    private static final long TIMEOUT_SECONDS = 60;

    private final Path binary;

    private RedisBenchmark(Path binary) {
        this.binary = binary;
    }

    /** @return the tool found on the PATH, or null */
    static RedisBenchmark find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, "redis-benchmark");
            if (Files.isExecutable(p)) {
                return new RedisBenchmark(p);
            }
        }
        return null;
    }

    /** @return how it is run, for the report */
    String describe() {
        return "`" + binary + " -P " + PIPELINE + " -c " + CLIENTS + " -r " + KEYSPACE + " EVALSHA <sha> 3 <keys> <args>`";
    }

    /**
     * Runs core's acquire script {@code n} times on random keys (free keys: the grant path).
     *
     * @param server the server
     * @param sha the loaded acquire.lua
     * @param n requests
     * @return requests per second
     * @throws IOException if the tool cannot run
     * @throws InterruptedException if interrupted
     */
    double acquire(RedisServer server, String sha, long n) throws IOException, InterruptedException {
        return run(server, n, evalsha(sha, CoreScripts.keys("rb:__rand_int__"),
                CoreScripts.acquireArgs("rbtoken.__rand_int__@redis-benchmark:1", "30000", false)));
    }

    /**
     * Runs core's release script {@code n} times on random keys (compare fails: the key is not held).
     *
     * @param server the server
     * @param sha the loaded release.lua
     * @param n requests
     * @return requests per second
     * @throws IOException if the tool cannot run
     * @throws InterruptedException if interrupted
     */
    double release(RedisServer server, String sha, long n) throws IOException, InterruptedException {
        return run(server, n, evalsha(sha, CoreScripts.keys("rr:__rand_int__"),
                CoreScripts.releaseArgs("rrtoken.__rand_int__@redis-benchmark:1", false)));
    }

    private static List<String> evalsha(String sha, String[] keys, String[] args) {
        List<String> c = new ArrayList<>(List.of("EVALSHA", sha, Integer.toString(keys.length)));
        c.addAll(List.of(keys));
        c.addAll(List.of(args));
        return c;
    }

    private double run(RedisServer server, long n, List<String> command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "-h", server.host(),
                "-p", Integer.toString(server.port()), "-c", Integer.toString(CLIENTS), "-n", Long.toString(n),
                "-P", Integer.toString(PIPELINE), "-r", Integer.toString(KEYSPACE), "--csv"));
        cmd.addAll(command);
        Path out = Files.createTempFile("redis-benchmark-", ".csv");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new IOException("redis-benchmark did not finish in " + TIMEOUT_SECONDS + " s");
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException("redis-benchmark failed (" + p.exitValue() + "): " + text);
            }
            return parse(text);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Reads the rps field of the CSV line ({@code "test","rps",...}). */
    static double parse(String csv) throws IOException {
        for (String line : csv.split("\r?\n")) {
            if (line.startsWith("\"test\"") || !line.startsWith("\"")) {
                continue;
            }
            String[] f = line.split("\",\"");
            if (f.length >= 2) {
                try {
                    return Double.parseDouble(f[1].replace("\"", ""));
                } catch (NumberFormatException e) {
                    // try the next line
                }
            }
        }
        throw new IOException("no rps in redis-benchmark output: " + csv);
    }
}
