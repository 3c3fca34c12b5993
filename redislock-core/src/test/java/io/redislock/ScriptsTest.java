package io.redislock;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Lua scripts' shared parts stay in step (Redis scripts cannot call one another). */
class ScriptsTest {
    @Test
    void acquireAndReleaseDrawFencingTokensWithTheSameFunction() throws Exception {
        assertThat(function("release", "next_fence(lease)")).isEqualTo(function("acquire", "next_fence(lease)"))
                .contains("redis.call('INCR'");
    }

    @Test
    void acquireAndReleaseQueueWaitersWithTheSameFunction() throws Exception {
        assertThat(function("release", "queue(member, own, keep)"))
                .isEqualTo(function("acquire", "queue(member, own, keep)"))
                .contains("'ZADD', KEYS[3], 'NX'");
    }

    private static String function(String script, String signature) throws Exception {
        String text = new String(LockEngineScripts.read(script), StandardCharsets.UTF_8);
        int start = text.indexOf("local function " + signature);
        assertThat(start).as("%s in %s.lua", signature, script).isNotNegative();
        return text.substring(start, text.indexOf("\nend\n", start) + 5);
    }
}
