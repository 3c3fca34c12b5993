package io.redislock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.redislock.LockInfo;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LockInfoFormatTest {
    private static final String EVIL_NAME = "job\u001b[2J\nlock 'other' is free";
    private static final String EVIL_HOLDER = "me\r\u0007\u009b\u202e\u007f";

    private static LockInfo evil(boolean held) {
        return new LockInfo(EVIL_NAME, EVIL_NAME, held, Optional.of(EVIL_HOLDER), Optional.of(Duration.ofSeconds(5)), 3,
                held ? 1 : 0, 1);
    }

    @Test
    void statusTextEscapesControlCharactersFromRedis() {
        String text = LockInfoFormat.human(evil(true), 1);
        assertThat(text.lines()).hasSize(6);
        assertThat(withoutLineEnds(text)).doesNotContainPattern("[\\p{Cc}\\p{Cf}]");
        assertThat(text).contains("lock 'job\\x1b[2J\\nlock 'other' is free' is held")
                .contains("holder:   me\\r\\x07\\x9b\\u202e\\x7f");
    }

    @Test
    void listTableEscapesControlCharactersAndAlignsOnTheEscapedText() {
        String text = LockInfoFormat.table(List.of(evil(true)));
        List<String> lines = text.lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(withoutLineEnds(text)).doesNotContainPattern("[\\p{Cc}\\p{Cf}]");
        assertThat(lines.get(1).indexOf("me\\r")).isEqualTo(lines.get(0).indexOf("HOLDER"));
    }

    @Test
    void printableKeepsOrdinaryTextIncludingNonAsciiLettersAndEmoji() {
        assertThat(LockInfoFormat.printable("backup-été_\uD83D\uDD12:1")).isEqualTo("backup-été_\uD83D\uDD12:1");
        assertThat(LockInfoFormat.printable("lone\uD83D")).isEqualTo("lone\\ud83d");
    }

    @Test
    void jsonStaysJsonEscaped() {
        assertThat(LockInfoFormat.json(evil(true))).contains("\"name\":\"job\\u001b[2J\\nlock 'other' is free\"");
    }

    @Test
    void aLockHeldOnlyOnAMinorityOfNodesIsFreeWithoutHolderOrTtl() {
        LockInfo minority = new LockInfo("rl", "rl", false, Optional.of("token-1"), Optional.of(Duration.ofSeconds(9)),
                4, 1, 3);
        assertThat(LockInfoFormat.json(minority)).contains("\"held\":false", "\"holder\":null", "\"ttlMillis\":null",
                "\"nodesHolding\":1", "\"nodesAnswered\":3");
        String text = LockInfoFormat.human(minority, 3);
        assertThat(text).contains("lock 'rl' is free", "1 of 3 hold it, 3 answered (not a majority)")
                .doesNotContain("holder:", "ttl:", "token-1");
    }

    private static String withoutLineEnds(String text) {
        return text.replace("\n", "");
    }
}
