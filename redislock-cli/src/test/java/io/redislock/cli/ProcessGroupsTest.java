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
    void aSignalToThisProcesssGroupIsPassedOnOnlyToProcessesInAnotherGroup() throws Exception {
        java.nio.file.Path setsid = java.nio.file.Path.of("/usr/bin/setsid");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(setsid), "needs setsid(1)");
        Process same = new ProcessBuilder("sleep", "30").start();
        Process other = new ProcessBuilder(setsid.toString(), "sleep", "30").start(); // setsid execs: same pid
        try {
            for (int i = 0; i < 250 && ProcessGroups.field(other.pid(), 2).orElse(-1) != other.pid(); i++) {
                java.util.concurrent.TimeUnit.MILLISECONDS.sleep(20); // until setsid has run (bounded: 5 s)
            }
            List<ProcessHandle> tree = List.of(ProcessHandle.current(), same.toHandle(), other.toHandle());
            assertThat(ProcessGroups.outsideGroupOfSelf(tree)).containsExactly(other.toHandle());
        } finally {
            same.destroyForcibly();
            other.destroyForcibly();
        }
    }
}
