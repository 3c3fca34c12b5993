package io.redislock.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers and JVMs started by the test support die with the JVM that started them, even when it is killed
 * with SIGKILL (where setpriv exists).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisServerParentDeathTest {

    /**
     * Starts one server from the main thread and one from a thread that has ended by the time the
     * PIDs are printed, then sleeps (bounded) until killed.
     */
    public static final class TwoServersMain {
        public static void main(String[] args) throws InterruptedException {
            RedisServer fromMain = RedisServer.start();
            AtomicReference<RedisServer> fromThread = new AtomicReference<>();
            Thread starter = new Thread(() -> fromThread.set(RedisServer.start()), "short-lived-starter");
            starter.start();
            starter.join(TestTimeouts.scaled(Duration.ofSeconds(30)).toMillis());
            System.out.println("redis " + fromMain.pid() + " " + fromThread.get().pid());
            System.out.flush();
            for (int i = 0; i < 600; i++) {
                Thread.sleep(100);
            }
        }
    }

    /** Starts a JVM that sleeps (bounded), prints its pid, then sleeps (bounded) until killed. */
    public static final class ParentJvmMain {
        public static void main(String[] args) throws InterruptedException {
            JvmProcess sleeper = JvmProcess.start(SleeperMain.class);
            System.out.println("jvm " + sleeper.pid());
            System.out.flush();
            for (int i = 0; i < 600; i++) {
                Thread.sleep(100);
            }
        }
    }

    /** Sleeps (bounded). */
    public static final class SleeperMain {
        public static void main(String[] args) throws InterruptedException {
            for (int i = 0; i < 600; i++) {
                Thread.sleep(100);
            }
        }
    }

    private static final Duration WAIT = TestTimeouts.scaled(Duration.ofSeconds(20));
    private static final Duration GONE_WITHIN = TestTimeouts.scaled(Duration.ofSeconds(5));

    @Test
    void serversDieWhenTheirJvmIsKilledWithSigkill(@TempDir Path tmp) {
        assumeThat(Spawner.setpriv()).as("util-linux setpriv with --pdeathsig").isPresent();
        // The child's redis temp dirs cannot be cleaned after SIGKILL, so put them under @TempDir.
        List<ProcessHandle> servers = new ArrayList<>();
        try (JvmProcess child = JvmProcess.start(List.of("-Djava.io.tmpdir=" + tmp), TwoServersMain.class)) {
            try {
                String line = child.awaitLine(l -> l.startsWith("redis "), WAIT);
                for (String pid : line.substring("redis ".length()).split(" ")) {
                    servers.add(ProcessHandle.of(Long.parseLong(pid)).orElseThrow(
                            () -> new AssertionError("redis-server " + pid + " is gone while its JVM runs")));
                }
                assertThat(servers).allMatch(RedisServerParentDeathTest::running);

                // only the JVM: JvmProcess.kill() would also kill its descendants itself
                ProcessHandle.of(child.pid()).ifPresent(ProcessHandle::destroyForcibly);
                assertThat(child.waitFor(WAIT)).isNotZero();

                long deadline = System.nanoTime() + GONE_WITHIN.toNanos();
                for (int i = 0; i < 1_000 && servers.stream().anyMatch(RedisServerParentDeathTest::running)
                        && System.nanoTime() - deadline < 0; i++) {
                    RedisServer.sleep(20);
                }
                assertThat(servers).as("redis-servers still running " + GONE_WITHIN + " after their JVM died")
                        .noneMatch(RedisServerParentDeathTest::running);
            } finally {
                servers.forEach(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void jvmsStartedByJvmProcessDieWhenTheirParentJvmIsKilledWithSigkill() {
        assumeThat(Spawner.setpriv()).as("util-linux setpriv with --pdeathsig").isPresent();
        ProcessHandle grandchild = null;
        try (JvmProcess child = JvmProcess.start(ParentJvmMain.class)) {
            try {
                String line = child.awaitLine(l -> l.startsWith("jvm "), WAIT);
                grandchild = ProcessHandle.of(Long.parseLong(line.substring("jvm ".length()).trim()))
                        .orElseThrow(() -> new AssertionError("the JVM " + line + " is gone while its parent runs"));
                assertThat(running(grandchild)).isTrue();

                ProcessHandle.of(child.pid()).ifPresent(ProcessHandle::destroyForcibly);
                assertThat(child.waitFor(WAIT)).isNotZero();

                long deadline = System.nanoTime() + GONE_WITHIN.toNanos();
                for (int i = 0; i < 1_000 && running(grandchild) && System.nanoTime() - deadline < 0; i++) {
                    RedisServer.sleep(20);
                }
                assertThat(running(grandchild)).as("a JVM still running " + GONE_WITHIN + " after its parent died")
                        .isFalse();
            } finally {
                if (grandchild != null) {
                    grandchild.destroyForcibly();
                }
            }
        }
    }

    @Test
    void serverStartedFromAThreadThatEndsKeepsRunning() throws InterruptedException {
        AtomicReference<RedisServer> started = new AtomicReference<>();
        Thread starter = new Thread(() -> started.set(RedisServer.start()), "short-lived-starter");
        starter.start();
        starter.join(WAIT.toMillis());
        assertThat(starter.isAlive()).isFalse();
        try (RedisServer server = started.get()) {
            assertThat(server).isNotNull();
            RedisServer.sleep(200); // a parent-death signal tied to the ended thread would have arrived by now
            assertThat(server.isRunning()).isTrue();
            assertThat(server.command("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void pidIsRedisServersOwnAndAChildOfThisJvm() throws IOException {
        try (RedisServer server = RedisServer.start()) {
            ProcessHandle handle = ProcessHandle.of(server.pid()).orElseThrow();
            assertThat(handle.parent().map(ProcessHandle::pid)).contains(ProcessHandle.current().pid());
            String command = handle.info().command().orElseThrow();
            assertThat(Path.of(command).toRealPath()).isEqualTo(RedisServerBinary.resolve().toRealPath());
        }
    }

    /** Alive and not a zombie (a killed process whose new parent has not reaped it yet is gone too). */
    private static boolean running(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "stat"),
                    StandardCharsets.US_ASCII);
            int close = stat.lastIndexOf(')');
            return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
        } catch (IOException e) {
            return handle.isAlive();
        }
    }
}
