package io.redislock.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Process groups as Linux shows them in {@code /proc/PID/stat}: which processes a Ctrl-C typed at this
 * process's terminal reached by itself (the terminal sends SIGINT to its whole foreground process group).
 *
 * <p>Thread-safety: stateless.
 */
final class ProcessGroups {
    private static final int PGRP = 2; // fields after "pid (comm)": state ppid pgrp session tty_nr tpgid
    private static final int TPGID = 5;

    private ProcessGroups() {}

    /**
     * The processes a SIGINT to this process should still be passed on to. If this process is in the
     * foreground process group of its controlling terminal, a SIGINT most likely came from the terminal
     * (Ctrl-C), which sent it to every process of that group too: those are left out, or they would get it
     * twice. Otherwise (no terminal, a background job, a process that left the group) every one is kept.
     *
     * @param tree the command and its descendants
     * @return those not in this process's group when it is the terminal's foreground group, else all
     */
    static List<ProcessHandle> notReachedByTerminalInterrupt(List<ProcessHandle> tree) {
        OptionalLong foreground = foregroundGroupOfSelf();
        if (foreground.isEmpty()) {
            return tree;
        }
        long group = foreground.getAsLong();
        return tree.stream().filter(h -> field(h.pid(), PGRP).orElse(-1) != group).toList();
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
