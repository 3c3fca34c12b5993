package io.redislock.cli;

import io.redislock.testing.TestTimeouts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code redislock} process for the integration tests: the shaded jar when the build says where it
 * is ({@code -Dredislock.cli.jar}), else {@link Main} on the test classpath. Stdout and stderr go to
 * files; the process (and its descendants) is killed by {@link #close()}.
 */
final class CliProcess implements AutoCloseable {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path out;
    private final Path err;
    private final List<String> args;

    private CliProcess(Process process, Path out, Path err, List<String> args) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.args = args;
    }

    static CliProcess start(String... args) {
        return start(Map.of(), args);
    }

    static CliProcess start(Map<String, String> env, String... args) {
        List<String> cmd = command(args);
        try {
            Path out = Files.createTempFile("redislock-cli-out-", ".txt");
            Path err = Files.createTempFile("redislock-cli-err-", ".txt");
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE);
            Map<String, String> environment = pb.environment();
            environment.remove(RedisOptions.REDIS_ENV);
            environment.remove(Secrets.PASSWORD_ENV);
            environment.putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            return new CliProcess(p, out, err, List.of(args));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The java command line that runs {@code redislock} with these arguments. */
    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xshare:auto");
        cmd.add("-XX:TieredStopAtLevel=1");
        String jar = System.getProperty("redislock.cli.jar");
        if (jar != null && Files.isRegularFile(Path.of(jar))) {
            cmd.add("-jar");
            cmd.add(jar);
        } else {
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(Main.class.getName());
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs to completion (bounded) and returns the result. */
    static Result run(String... args) {
        return run(Map.of(), args);
    }

    static Result run(Map<String, String> env, String... args) {
        try (CliProcess p = start(env, args)) {
            return p.await(DEFAULT_TIMEOUT);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Process process() {
        return process;
    }

    /** Sends a signal such as "TERM", "STOP" or "CONT" with kill(1). */
    void signal(String name) {
        signal(process.pid(), name);
    }

    static void signal(long pid, String name) {
        try {
            Process k = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
            if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Result await(Duration timeout) {
        Duration scaled = TestTimeouts.scaled(timeout);
        try {
            if (!process.waitFor(scaled.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("redislock " + args + " did not exit within " + scaled + "\nstdout:\n"
                        + read(out) + "\nstderr:\n" + read(err));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new Result(process.exitValue(), read(out), read(err));
    }

    String stdoutSoFar() {
        return read(out);
    }

    String stderrSoFar() {
        return read(err);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        } catch (IOException ignored) {
            // temp files
        }
    }

    /** A finished run. */
    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    /** Sleeps in a test's bounded polling loop; an interrupt fails the test. */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static Map<String, String> env(String... keyValues) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
