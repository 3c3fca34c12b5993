package io.redislock.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisServersTest {

    @Test
    void startsIndependentServersAndStopsThemAll() {
        List<Long> pids;
        try (RedisServers servers = RedisServers.start(3)) {
            assertThat(servers.size()).isEqualTo(3);
            assertThat(servers.all()).allMatch(RedisServer::isRunning);
            assertThat(servers.all().stream().map(RedisServer::port).distinct()).hasSize(3);
            assertThat(servers.uris()).containsExactly(
                    servers.get(0).uri(), servers.get(1).uri(), servers.get(2).uri());

            servers.get(0).command("SET", "only-on-0", "x");
            assertThat(servers.get(0).dbSize()).isEqualTo(1);
            assertThat(servers.get(1).dbSize()).isZero();
            assertThat(servers.get(2).dbSize()).isZero();
            pids = servers.all().stream().map(RedisServer::pid).toList();
        }
        assertThat(pids).allMatch(pid -> ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty());
    }

    @Test
    void closeStopsTheRestEvenIfOneWasKilled() {
        RedisServers servers = RedisServers.start(2, "--maxclients", "100");
        servers.get(0).kill();
        long other = servers.get(1).pid();
        servers.close();
        assertThat(ProcessHandle.of(other).filter(ProcessHandle::isAlive)).isEmpty();
    }
}
