package io.redislock.cli;

import io.redislock.LockClient;
import io.redislock.LockInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code redislock status}: whether a lock is held, by whom, for how long, and its fencing counter.
 *
 * <p>Thread-safety: one invocation per instance.
 */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = RedislockCommand.Version.class, sortOptions = false,
        header = "Show whether a lock is held, by whom, its TTL and fencing counter.",
        description = "Show whether a lock is held or free, its holder token, remaining TTL and fencing counter. "
                + "Exits 0 whether it is held or free.")
public final class StatusCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private RedisOptions redis;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The lock name.")
    private String name;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    private boolean json;

    /** Creates the command (picocli does this). */
    public StatusCommand() {}

    @Override
    public Integer call() {
        String prefix = redis.keyPrefix();
        try (LockClient client = redis.connect()) {
            redis.checkName(client, name);
            LockInfo info = Bounded.call(() -> client.statusAsync(name, prefix), Bounded.callBound(client.options()),
                    "reading lock '" + name + "'");
            spec.commandLine().getOut().print(json ? LockInfoFormat.json(info) + "\n"
                    : LockInfoFormat.human(info, client.nodeCount()));
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.OK;
    }
}
