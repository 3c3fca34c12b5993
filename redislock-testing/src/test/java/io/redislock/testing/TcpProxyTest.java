package io.redislock.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpProxyTest {

    @Test
    void forwardsSwallowsRepliesWhileRedisStillRunsTheCommandsAndCutsConnections() throws Exception {
        try (RedisServer redis = RedisServer.start(); TcpProxy proxy = TcpProxy.to(redis)) {
            int port = URI.create(proxy.uri()).getPort();
            try (RespConnection c = RespConnection.open("127.0.0.1", port, Duration.ofMillis(500), null)) {
                assertThat(c.call("PING")).isEqualTo("PONG");
                proxy.muteReplies();
                assertThatThrownBy(() -> c.call("SET", "k", "v")).isInstanceOf(SocketTimeoutException.class);
                assertThat(redis.command("GET", "k")).as("run, not answered").isEqualTo("v");
                proxy.cutAll();
                assertThatThrownBy(() -> c.call("PING")).isInstanceOf(IOException.class);
            }
            try (RespConnection c = RespConnection.open("127.0.0.1", port, Duration.ofSeconds(5), null)) {
                assertThat(c.call("PING")).as("a new connection after the cut").isEqualTo("PONG");
            }
            assertThat(proxy.connectionsAccepted()).isEqualTo(2);
        }
    }
}
