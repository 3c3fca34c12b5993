package io.redislock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.redislock.testing.RedisServer;
import io.redislock.testing.TestTimeouts;
import io.redislock.testing.WithRedis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ./redislock} launcher script: the JVM options it starts the command with. */
@WithRedis
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LauncherIT {
    @TempDir
    Path dir;

    @Test
    void sigquitThreadDumpGoesToStderrNotIntoTheCommandsStdoutAndCrashReportsToTheTempDir(RedisServer redis)
            throws IOException, InterruptedException {
        Path script = launcher();
        Path marker = dir.resolve("started");
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "run", "--redis", redis.uri(), "--name", "quit", "--",
                "sh", "-c", "echo from-cmd; touch " + marker + "; sleep 60")
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("TMPDIR", dir.toString());
        Process p = pb.start();
        try {
            awaitFile(marker, p, err);
            String cmdline = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).replace('\0', ' ');
            assertThat(cmdline).contains("-XX:ErrorFile=" + dir + "/redislock-hs_err_pid%p.log");

            CliProcess.signal(p.pid(), "QUIT"); // the script execs java: this is the JVM
            awaitText(err, "Full thread dump", p);
            CliProcess.signal(p.pid(), "TERM");
            assertThat(p.waitFor(TestTimeouts.scaled(Duration.ofSeconds(30)).toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(Files.readString(out)).isEqualTo("from-cmd\n");
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void theCommandKeepsTheCallersOpenFileLimit(RedisServer redis) throws IOException, InterruptedException {
        Path script = launcher();
        // the JVM raises its soft limit to the hard one; the command must get the caller's, as under flock(1)
        Process p = new ProcessBuilder("bash", "-c", "ulimit -Sn 1000 && exec \"$0\" run --redis \"$1\" --name fds"
                + " -- sh -c 'ulimit -Sn'", script.toString(), redis.uri()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(TestTimeouts.scaled(Duration.ofSeconds(60)).toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip())
                .isEqualTo("1000");
        assertThat(p.exitValue()).isZero();
    }

    /** The launcher script, when the jar it runs is built and up to date (else the test is skipped). */
    private static Path launcher() throws IOException {
        Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
        Path script = root.resolve("redislock");
        Path jar = root.resolve("redislock-cli/target/redislock.jar");
        assumeTrue(Files.isExecutable(script) && Files.isRegularFile(jar), "needs the launcher and the built jar");
        assumeTrue(upToDate(root, jar), "the jar is older than the sources: the launcher would rebuild it");
        return script;
    }

    /** The launcher's own check: no source or pom newer than the jar. */
    private static boolean upToDate(Path root, Path jar) throws IOException {
        FileTime built = Files.getLastModifiedTime(jar);
        for (String module : List.of("", "redislock-core", "redislock-testing", "redislock-cli")) {
            Path m = root.resolve(module);
            if (Files.getLastModifiedTime(m.resolve("pom.xml")).compareTo(built) > 0) {
                return false;
            }
            if (module.isEmpty()) {
                continue;
            }
            try (Stream<Path> files = Files.walk(m.resolve("src"))) {
                if (files.anyMatch(f -> newer(f, built))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean newer(Path f, FileTime than) {
        try {
            return Files.isRegularFile(f) && Files.getLastModifiedTime(f).compareTo(than) > 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitFile(Path file, Process p, Path err) throws IOException {
        long deadline = System.nanoTime() + TestTimeouts.scaled(Duration.ofSeconds(30)).toNanos();
        for (int i = 0; i < 10_000 && System.nanoTime() - deadline < 0; i++) {
            if (Files.exists(file)) {
                return;
            }
            assertThat(p.isAlive()).as("redislock exited early: %s", Files.readString(err)).isTrue();
            pause();
        }
        throw new AssertionError(file + " did not appear; stderr: " + Files.readString(err));
    }

    private static void awaitText(Path file, String text, Process p) throws IOException {
        long deadline = System.nanoTime() + TestTimeouts.scaled(Duration.ofSeconds(30)).toNanos();
        for (int i = 0; i < 10_000 && System.nanoTime() - deadline < 0; i++) {
            if (Files.readString(file, StandardCharsets.UTF_8).contains(text)) {
                return;
            }
            assertThat(p.isAlive()).as("redislock exited").isTrue();
            pause();
        }
        throw new AssertionError("'" + text + "' did not appear in " + file);
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
