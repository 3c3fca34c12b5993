package io.redislock.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JvmProcessTest {

    /** Prints its arguments, then sleeps (bounded) until killed. */
    public static final class SleepyMain {
        public static void main(String[] args) throws InterruptedException {
            System.out.println("ready " + ProcessHandle.current().pid() + " " + String.join(",", args));
            System.out.flush();
            for (int i = 0; i < 600; i++) {
                Thread.sleep(100);
            }
        }
    }

    /** Writes to stdout and stderr, then exits with code 3. */
    public static final class ExitingMain {
        public static void main(String[] args) {
            System.out.println("to stdout");
            System.err.println("to stderr");
            System.exit(3);
        }
    }

    /** Starts a redis-server, prints its PID, then sleeps (bounded) until killed. */
    public static final class RedisHoldingMain {
        public static void main(String[] args) throws InterruptedException {
            RedisServer server = RedisServer.start();
            System.out.println("redis " + server.pid());
            System.out.flush();
            for (int i = 0; i < 600; i++) {
                Thread.sleep(100);
            }
        }
    }

    private static final Duration WAIT = TestTimeouts.scaled(Duration.ofSeconds(20));

    @Test
    void runsMainAndKillWorks() {
        try (JvmProcess child = JvmProcess.start(SleepyMain.class, "a", "b")) {
            String line = child.awaitLine(l -> l.startsWith("ready "), WAIT);
            assertThat(line).isEqualTo("ready " + child.pid() + " a,b");
            assertThat(child.isAlive()).isTrue();

            assertThatThrownBy(() -> child.awaitLine(l -> l.contains("never printed"), Duration.ofMillis(200)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("ready " + child.pid());

            long pid = child.pid();
            child.kill();
            assertThat(child.isAlive()).isFalse();
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
            assertThat(child.waitFor(Duration.ofSeconds(1))).isNotZero();
        }
    }

    @Test
    void collectsStdoutAndStderrAndExitCode() {
        try (JvmProcess child = JvmProcess.start(ExitingMain.class)) {
            assertThat(child.waitFor(WAIT)).isEqualTo(3);
            assertThat(child.output()).contains("to stdout", "to stderr");
            assertThat(child.awaitLine(l -> l.equals("to stderr"), Duration.ofSeconds(1))).isEqualTo("to stderr");
            assertThatThrownBy(() -> child.awaitLine(l -> l.equals("absent"), WAIT))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exit code 3");
        }
    }

    @Test
    void killAlsoKillsProcessesStartedByTheChild(@TempDir Path tmp) {
        // The child's redis temp dir cannot be cleaned after SIGKILL, so put it under @TempDir.
        List<String> jvmOptions = List.of("-Djava.io.tmpdir=" + tmp);
        try (JvmProcess child = JvmProcess.start(jvmOptions, RedisHoldingMain.class)) {
            String line = child.awaitLine(l -> l.startsWith("redis "), WAIT);
            long redisPid = Long.parseLong(line.substring("redis ".length()));
            assertThat(ProcessHandle.of(redisPid)).isPresent();
            child.kill();
            assertThat(ProcessHandle.of(redisPid).filter(ProcessHandle::isAlive)).isEmpty();
        }
    }
}
