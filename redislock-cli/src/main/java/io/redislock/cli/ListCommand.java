package io.redislock.cli;

import io.redislock.LockClient;
import io.redislock.LockInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code redislock list}: the locks currently held whose names match a glob (found with SCAN, never
 * KEYS).
 *
 * <p>Thread-safety: one invocation per instance.
 */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = RedislockCommand.Version.class, sortOptions = false,
        header = "List the locks currently held (SCAN, never KEYS).",
        description = "List the locks currently held whose names match a pattern (uses SCAN, never KEYS).")
public final class ListCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private RedisOptions redis;

    @Option(names = "--pattern", paramLabel = "GLOB", defaultValue = "*",
            description = "Glob over lock names, e.g. 'backup-*' (default: ${DEFAULT-VALUE}).")
    private String pattern;

    @Option(names = "--json", description = "Print a JSON array of lock objects instead of a table.")
    private boolean json;

    /** Creates the command (picocli does this). */
    public ListCommand() {}

    @Override
    public Integer call() {
        if (pattern.isEmpty()) {
            throw redis.usage("--pattern must not be empty (use '*' for all locks)");
        }
        String prefix = redis.keyPrefix();
        try (LockClient client = redis.connect()) {
            List<LockInfo> held = new ArrayList<>();
            for (LockInfo info : Bounded.call(() -> client.listAsync(pattern, prefix), Bounded.callBound(client.options()),
                    "listing locks")) {
                if (info.held()) {
                    held.add(info);
                }
            }
            if (json) {
                List<String> objects = new ArrayList<>();
                for (LockInfo info : held) {
                    objects.add(LockInfoFormat.json(info));
                }
                spec.commandLine().getOut().println(Json.array(objects));
            } else if (held.isEmpty()) {
                spec.commandLine().getOut().println("no locks held matching '" + LockInfoFormat.printable(pattern) + "'");
            } else {
                spec.commandLine().getOut().print(LockInfoFormat.table(held));
            }
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.OK;
    }
}
