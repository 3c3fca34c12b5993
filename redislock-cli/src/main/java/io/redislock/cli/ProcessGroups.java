package io.redislock.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Process groups as Linux shows them in {@code /proc/PID/stat}: which processes a signal sent to this
 * process's group reached by itself (a Ctrl-C at the terminal goes to its whole foreground process group).
 *
 * <p>Thread-safety: stateless.
 */
final class ProcessGroups {
    private static final int PGRP = 2; // fields after "pid (comm)": state ppid pgrp session tty_nr tpgid
    private static final int TPGID = 5;

    private ProcessGroups() {}

    /**
     * The processes a signal sent to this process's whole group did not reach: those in another group.
     *
     * @param tree the command and its descendants
     * @return those whose process group is not this process's (all of them where groups cannot be read)
     */
    static List<ProcessHandle> outsideGroupOfSelf(List<ProcessHandle> tree) {
        OptionalLong own = field(ProcessHandle.current().pid(), PGRP);
        if (own.isEmpty()) {
            return tree;
        }
        return tree.stream().filter(h -> field(h.pid(), PGRP).orElse(-1) != own.getAsLong()).toList();
    }

    /** @return this process's group if it is the foreground group of its controlling terminal */
    static OptionalLong foregroundGroupOfSelf() {
        long self = ProcessHandle.current().pid();
        OptionalLong pgrp = field(self, PGRP);
        OptionalLong tpgid = field(self, TPGID);
        if (pgrp.isEmpty() || tpgid.isEmpty() || tpgid.getAsLong() <= 0 || tpgid.getAsLong() != pgrp.getAsLong()) {
            return OptionalLong.empty();
        }
        return pgrp;
    }

    /**
     * One numeric field of {@code /proc/PID/stat} after the command name (which may hold spaces and ')').
     *
     * @param pid the process
     * @param index 0 = state, 1 = ppid, 2 = pgrp, ...
     * @return the value, or empty where it cannot be read (not Linux, the process is gone)
     */
    static OptionalLong field(long pid, int index) {
        try {
            return parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8),
                    index);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** Parses one field of a {@code /proc/PID/stat} line; see {@link #field}. */
    static OptionalLong parse(String stat, int index) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return OptionalLong.empty();
        }
        String[] fields = stat.substring(close + 1).trim().split("\\s+");
        if (index <= 0 || index >= fields.length) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(fields[index]));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
