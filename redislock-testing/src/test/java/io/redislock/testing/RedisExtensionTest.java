package io.redislock.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

@WithRedis
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisExtensionTest {

    private static final List<Long> PIDS = new CopyOnWriteArrayList<>();
    private static final List<Throwable> SWALLOWED = new CopyOnWriteArrayList<>();

    /** Turns the deliberate failure below into a pass, after JUnit has seen the test throw. */
    static final class SwallowDeliberateFailure implements TestExecutionExceptionHandler {
        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
            if (!"deliberate".equals(throwable.getMessage())) {
                throw throwable;
            }
            SWALLOWED.add(throwable);
        }
    }

    private RedisServer fromBeforeEach;

    @BeforeEach
    void setUp(RedisServer server) {
        fromBeforeEach = server;
    }

    @Test
    @Order(1)
    void injectsARunningServer(RedisServer server, RedisServers all) {
        assertThat(server.isRunning()).isTrue();
        assertThat(server.command("PING")).isEqualTo("PONG");
        assertThat(all.size()).isEqualTo(1);
        assertThat(all.get(0)).isSameAs(server).isSameAs(fromBeforeEach);
        PIDS.add(server.pid());
    }

    @Test
    @Order(2)
    void previousServerWasStoppedAndThisOneIsFresh(RedisServer server) {
        assertThat(PIDS).hasSize(1);
        assertThat(ProcessHandle.of(PIDS.get(0)).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(server.dbSize()).isZero();
        server.command("SET", "leftover", "x");
        PIDS.add(server.pid());
    }

    @Test
    @Order(3)
    @WithRedis(servers = 3, args = {"--requirepass", "secret"})
    void methodAnnotationOverridesClass(RedisServers servers) {
        assertThat(servers.size()).isEqualTo(3);
        for (RedisServer server : servers.all()) {
            assertThat(server.dbSize()).isZero();
            assertThat(server.command("CONFIG", "GET", "requirepass")).isEqualTo(List.of("requirepass", "secret"));
            PIDS.add(server.pid());
        }
    }

    @Test
    @Order(4)
    @ExtendWith(SwallowDeliberateFailure.class)
    void failingTest(RedisServer server) {
        PIDS.add(server.pid());
        throw new AssertionError("deliberate");
    }

    @Test
    @Order(5)
    void serversOfFailedTestWereStopped() {
        assertThat(SWALLOWED).hasSize(1);
        assertThat(PIDS).hasSize(6);
        for (long pid : PIDS.subList(0, 6)) {
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("pid %d", pid).isEmpty();
        }
    }

    @AfterAll
    static void everyServerIsGone() {
        for (long pid : PIDS) {
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("pid %d", pid).isEmpty();
        }
    }
}
