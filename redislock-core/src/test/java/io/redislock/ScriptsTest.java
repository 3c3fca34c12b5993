package io.redislock;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Lua scripts' shared parts stay in step (Redis scripts cannot call one another). */
class ScriptsTest {
    @Test
    void acquireAndReleaseDrawFencingTokensWithTheSameFunction() throws Exception {
        assertThat(nextFence("release")).isEqualTo(nextFence("acquire")).contains("redis.call('INCR'");
    }

    private static String nextFence(String script) throws Exception {
        String text = new String(LockEngineScripts.read(script), StandardCharsets.UTF_8);
        int start = text.indexOf("local function next_fence()");
        assertThat(start).as("next_fence in %s.lua", script).isNotNegative();
        return text.substring(start, text.indexOf("\nend\n", start) + 5);
    }
}
