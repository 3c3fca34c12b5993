package io.redislock.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisServerTest {

    @Test
    void startAndStopLeavesNoProcess() {
        RedisServer server = RedisServer.start();
        long pid = server.pid();
        try {
            assertThat(server.isRunning()).isTrue();
            assertThat(server.host()).isEqualTo("127.0.0.1");
            assertThat(server.uri()).isEqualTo("redis://127.0.0.1:" + server.port());
            assertThat(ProcessHandle.of(pid)).isPresent();
            assertThat(server.command("PING")).isEqualTo("PONG");
            assertThat(Files.isDirectory(server.dir())).isTrue();
            assertThat(server.uptimeSeconds()).isGreaterThanOrEqualTo(0);
        } finally {
            server.stop();
        }
        assertThat(server.isRunning()).isFalse();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(server.dir()).doesNotExist();
        server.close(); // idempotent
    }

    @Test
    void killThenRestartGivesEmptyServerOnSamePort() {
        try (RedisServer server = RedisServer.start()) {
            int port = server.port();
            long firstPid = server.pid();
            server.command("SET", "k", "v");
            assertThat(server.dbSize()).isEqualTo(1);

            server.kill();
            assertThat(server.isRunning()).isFalse();
            assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();
            assertThatThrownBy(() -> server.command("PING")).isInstanceOf(UncheckedIOException.class);

            server.restart();
            assertThat(server.isRunning()).isTrue();
            assertThat(server.port()).isEqualTo(port);
            assertThat(server.pid()).isNotEqualTo(firstPid);
            assertThat(server.dbSize()).isZero();
            assertThat(server.command("GET", "k")).isNull();
        }
    }

    @Test
    void restartWhileRunningReplacesTheProcess() {
        try (RedisServer server = RedisServer.start()) {
            long firstPid = server.pid();
            server.command("SET", "k", "v");
            server.restart();
            assertThat(server.pid()).isNotEqualTo(firstPid);
            assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();
            assertThat(server.dbSize()).isZero();
        }
    }

    @Test
    void pauseMakesPingTimeOutAndResumeMakesItAnswer() {
        try (RedisServer server = RedisServer.start()) {
            server.pause();
            assertThat(server.isPaused()).isTrue();
            assertThat(server.isRunning()).isTrue();
            assertThatThrownBy(() -> server.command(Duration.ofMillis(300), "PING"))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(SocketTimeoutException.class);

            server.resume();
            assertThat(server.isPaused()).isFalse();
            assertThat(server.command(Duration.ofSeconds(5), "PING")).isEqualTo("PONG");
            assertThat(server.command("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void stopWhilePausedLeavesNoProcess() {
        RedisServer server = RedisServer.start();
        long pid = server.pid();
        server.pause();
        server.stop();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(server.isPaused()).isFalse();
    }

    @Test
    void commandCallsCountsASet() {
        try (RedisServer server = RedisServer.start()) {
            server.command("SET", "a", "1");
            server.resetStats();
            assertThat(server.commandCalls()).doesNotContainKey("set");

            server.command("SET", "a", "2");
            server.command("GET", "a");
            server.command("GET", "a");
            assertThat(server.commandCalls()).containsEntry("set", 1L).containsEntry("get", 2L);
        }
    }

    @Test
    void scanKeysFindsAllMatches() {
        try (RedisServer server = RedisServer.start()) {
            List<String> mset = new ArrayList<>(List.of("MSET"));
            for (int i = 0; i < 2500; i++) {
                mset.add("lock:" + i);
                mset.add("v");
            }
            mset.add("other");
            mset.add("v");
            server.command(mset.toArray(String[]::new));

            List<String> keys = server.scanKeys("lock:*");
            assertThat(keys).hasSize(2500).doesNotHaveDuplicates().allMatch(k -> k.startsWith("lock:"));
            assertThat(server.scanKeys("nothing:*")).isEmpty();

            server.flushAll();
            assertThat(server.dbSize()).isZero();
        }
    }

    @Test
    void clientMapsRepliesAndErrors() {
        try (RedisServer server = RedisServer.start()) {
            assertThat(server.command("INCRBY", "n", "5")).isEqualTo(5L);
            assertThat(server.command("GET", "missing")).isNull();
            assertThat(server.command("RPUSH", "list", "a", "b")).isEqualTo(2L);
            assertThat(server.command("LRANGE", "list", "0", "-1")).isEqualTo(List.of("a", "b"));
            assertThat((List<?>) server.command("SCAN", "0")).hasSize(2);

            String big = "x".repeat(3 * 1024 * 1024);
            server.command("SET", "big", big);
            assertThat(server.command("GET", "big")).isEqualTo(big);
            assertThat((String) server.command("INFO", "everything")).contains("redis_version");

            assertThatThrownBy(() -> server.command("INCR", "big"))
                    .isInstanceOf(RedisServer.RedisErrorReply.class)
                    .hasMessageContaining("ERR");
            // The cached connection is still in sync after an error reply.
            assertThat(server.command("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void extraArgsAreAppliedAndPasswordIsUsedByTheClient() {
        try (RedisServer server = RedisServer.start("--requirepass", "secret")) {
            assertThat(server.command("PING")).isEqualTo("PONG");
            assertThat(server.command("CONFIG", "GET", "requirepass")).isEqualTo(List.of("requirepass", "secret"));
        }
    }

    @Test
    void reservedArgsAreRejected() {
        assertThatThrownBy(() -> RedisServer.start("--port", "1234"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void startupFailureReportsTheOutput() {
        assertThatThrownBy(() -> RedisServer.start("--no-such-directive", "x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-such-directive");
    }

    @Test
    @SuppressWarnings("try") // the handle only ends the fault
    void dropConnectionsRefusesNewConnectionsUntilItsHandleIsClosed() {
        try (RedisServer server = RedisServer.start()) {
            try (RedisServer.Reconnects r = server.dropConnections()) {
                assertThatThrownBy(() -> server.command(Duration.ofSeconds(5), "PING"))
                        .hasMessageContaining("max number of clients");
                assertThat(server.command("PING")).as("its own connection stays").isEqualTo("PONG");
            }
            assertThat(server.command(Duration.ofSeconds(5), "PING")).isEqualTo("PONG");
        }
    }
}
