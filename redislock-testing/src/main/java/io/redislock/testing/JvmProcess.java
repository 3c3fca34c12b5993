package io.redislock.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Runs a class's {@code main} in a child JVM with the current classpath, collecting its
 * stdout and stderr (merged) line by line, e.g. to kill a real lock holder mid-test.
 *
 * <p>Children still alive when this JVM exits are killed by a shutdown hook; where util-linux setpriv exists,
 * they also get SIGKILL when this JVM dies without running it (SIGKILL), like {@link RedisServer}s.
 */
public final class JvmProcess implements AutoCloseable {

    private static final int MAX_LINES = 100_000;
    private static final int ARGFILE_THRESHOLD = 32 * 1024;
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                for (Process p : List.copyOf(LIVE)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            }, "redislock-jvm-reaper"));
        } catch (IllegalStateException alreadyShuttingDown) {
            // Nothing to register.
        }
    }

    private final Process process;
    private final String description;
    private final Thread reader;
    private final List<String> lines = new ArrayList<>(); // guarded by lines
    private boolean endOfOutput; // guarded by lines
    private int cursor; // guarded by lines: index after the last line returned by awaitLine
    private final Path argFile;

    private JvmProcess(Process process, String description, Path argFile) {
        this.process = process;
        this.description = description;
        this.argFile = argFile;
        this.reader = new Thread(this::readOutput, "redislock-jvm-output-" + process.pid());
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Starts {@code mainClass.main(args)} in a child JVM.
     *
     * @param mainClass a class with {@code public static void main(String[])} on the classpath
     * @param args program arguments
     * @return the running child
     */
    public static JvmProcess start(Class<?> mainClass, String... args) {
        return start(List.of(), mainClass, args);
    }

    /**
     * Starts {@code mainClass.main(args)} in a child JVM with extra JVM options (e.g.
     * {@code -Dfoo=bar}). The timeout factor property is passed on automatically.
     *
     * @param jvmOptions options placed before the main class
     * @param mainClass a class with {@code public static void main(String[])} on the classpath
     * @param args program arguments
     * @return the running child
     */
    public static JvmProcess start(List<String> jvmOptions, Class<?> mainClass, String... args) {
        Objects.requireNonNull(mainClass, "mainClass");
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        String classpath = System.getProperty("java.class.path", "");
        Path argFile = null;
        if (classpath.length() > ARGFILE_THRESHOLD) {
            argFile = writeClasspathArgFile(classpath);
            command.add("@" + argFile);
        } else {
            command.add("-cp");
            command.add(classpath);
        }
        command.add("-D" + TestTimeouts.PROPERTY + "=" + TestTimeouts.factor());
        command.addAll(jvmOptions);
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        Process process;
        try {
            // from the spawner thread, behind setpriv --pdeathsig KILL where available: the JVM dies with this
            // one, even when this one is killed with SIGKILL
            process = Spawner.start(new ProcessBuilder(command).redirectErrorStream(true));
            process.getOutputStream().close();
        } catch (IOException e) {
            deleteQuietly(argFile);
            throw new UncheckedIOException("Cannot start a JVM for " + mainClass.getName(), e);
        }
        LIVE.add(process);
        return new JvmProcess(process, mainClass.getSimpleName() + " pid " + process.pid(), argFile);
    }

    private static String javaExecutable() {
        Path fromHome = Path.of(System.getProperty("java.home"), "bin",
                File.separatorChar == '\\' ? "java.exe" : "java");
        if (Files.isExecutable(fromHome)) {
            return fromHome.toString();
        }
        return ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("Cannot find the java executable"));
    }

    private static Path writeClasspathArgFile(String classpath) {
        try {
            Path file = Files.createTempFile("redislock-jvm-", ".args");
            String quoted = "\"" + classpath.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            Files.writeString(file, "-cp " + quoted + System.lineSeparator(), StandardCharsets.UTF_8);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write a java @argfile", e);
        }
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (lines) {
                    if (lines.size() < MAX_LINES) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            }
        } catch (IOException ignored) {
            // Stream closed: the process is gone.
        } finally {
            synchronized (lines) {
                endOfOutput = true;
                lines.notifyAll();
            }
        }
    }

    /** @return the child's PID */
    public long pid() {
        return process.pid();
    }

    /** @return whether the child is still running */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits for an output line matching {@code predicate}, searching the lines after the one
     * returned by the previous successful call (the timeout is used as given; scale it with
     * {@link TestTimeouts#scaled(Duration)} if wanted).
     *
     * @param predicate what to look for
     * @param timeout how long to wait at most
     * @return the first matching line
     * @throws IllegalStateException on timeout or if the output ends first; the message holds
     *     the output so far
     */
    public String awaitLine(Predicate<String> predicate, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int next = cursor;
            for (int round = 0; round < 10_000_000; round++) {
                for (; next < lines.size(); next++) {
                    String line = lines.get(next);
                    if (predicate.test(line)) {
                        cursor = next + 1;
                        return line;
                    }
                }
                if (endOfOutput) {
                    throw new IllegalStateException(description + " ended its output (exit code "
                            + exitCode() + ") without a matching line. Output:\n" + String.join("\n", lines));
                }
                long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
                if (remainingMillis <= 0) {
                    break;
                }
                try {
                    lines.wait(remainingMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for output of " + description, e);
                }
            }
            throw new IllegalStateException("Timed out after " + timeout + " waiting for a matching line from "
                    + description + ". Output so far:\n" + String.join("\n", lines));
        }
    }

    /** @return a copy of all output lines so far (stdout and stderr merged) */
    public List<String> output() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /**
     * Kills the child with SIGKILL (and any processes it started) and waits for it to exit.
     *
     * @throws IllegalStateException if it does not exit within 10 s (scaled)
     */
    public void kill() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        boolean exited = RedisServer.waitForExit(process, TestTimeouts.scaled(EXIT_TIMEOUT));
        descendants.forEach(ProcessHandle::destroyForcibly);
        awaitExit(descendants, TestTimeouts.scaled(Duration.ofSeconds(5)));
        joinReader();
        if (!exited) {
            throw new IllegalStateException(description + " did not exit after SIGKILL");
        }
        LIVE.remove(process);
    }

    private static void awaitExit(List<ProcessHandle> handles, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle handle : handles) {
            try {
                handle.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                return; // Best effort: SIGKILL was sent; the new parent reaps it.
            }
        }
    }

    /**
     * Waits for the child to exit by itself.
     *
     * @param timeout how long to wait at most
     * @return the exit code
     * @throws IllegalStateException on timeout (the child keeps running; see {@link #close()})
     */
    public int waitFor(Duration timeout) {
        if (!RedisServer.waitForExit(process, timeout)) {
            throw new IllegalStateException(description + " still running after " + timeout + ". Output so far:\n"
                    + String.join("\n", output()));
        }
        joinReader();
        LIVE.remove(process);
        return process.exitValue();
    }

    /** Kills the child if it is still alive and releases its resources. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                kill();
            } else {
                joinReader();
                LIVE.remove(process);
            }
        } finally {
            deleteQuietly(argFile);
        }
    }

    private void joinReader() {
        try {
            reader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String exitCode() {
        return process.isAlive() ? "still running" : Integer.toString(process.exitValue());
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // Also registered with deleteOnExit.
            }
        }
    }

    @Override
    public String toString() {
        return "JvmProcess[" + description + "]";
    }
}
