package io.redislock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ProcessGroupsTest {
    @Test
    void readsFieldsAfterACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (my (odd) name) S 1 4240 4240 34816 4240 4194304 97 0 0 0";
        assertThat(ProcessGroups.parse(stat, 1)).hasValue(1);     // ppid
        assertThat(ProcessGroups.parse(stat, 2)).hasValue(4240);  // pgrp
        assertThat(ProcessGroups.parse(stat, 5)).hasValue(4240);  // tpgid
        assertThat(ProcessGroups.parse(stat, 40)).isEmpty();
        assertThat(ProcessGroups.parse("garbage", 2)).isEmpty();
    }

    @Test
    void withoutATerminalEveryProcessIsPassedASigint() {
        // the test JVM runs without a controlling terminal (tpgid -1) or in the background
        List<ProcessHandle> self = List.of(ProcessHandle.current());
        if (ProcessGroups.foregroundGroupOfSelf().isEmpty()) {
            assertThat(ProcessGroups.notReachedByTerminalInterrupt(self)).isEqualTo(self);
        } else {
            assertThat(ProcessGroups.notReachedByTerminalInterrupt(self)).isEmpty();
        }
    }
}
