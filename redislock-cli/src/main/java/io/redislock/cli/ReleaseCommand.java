package io.redislock.cli;

import io.redislock.LockClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code redislock release --force}: deletes a lock whoever holds it (operator action).
 *
 * <p>Thread-safety: one invocation per instance.
 */
@Command(name = "release", mixinStandardHelpOptions = true, versionProvider = RedislockCommand.Version.class, sortOptions = false,
        header = "Delete a lock whoever holds it (needs --force).",
        description = {"Delete a lock whoever holds it (operator action) and hand it to the oldest waiter, if any.",
            "The holder only notices at its next renewal; until then two processes may believe they hold it, "
                    + "so this needs --force."})
public final class ReleaseCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private RedisOptions redis;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The lock name.")
    private String name;

    @Option(names = "--force", description = "Confirm that the lock is to be deleted whoever holds it.")
    private boolean force;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    private boolean json;

    /** Creates the command (picocli does this). */
    public ReleaseCommand() {}

    @Override
    public Integer call() {
        if (!force) {
            throw redis.usage("release deletes the lock whoever holds it (its holder only notices at its next "
                    + "renewal), so it needs --force: repeat this command with --force added");
        }
        String prefix = redis.keyPrefix();
        try (LockClient client = redis.connect()) {
            redis.checkName(client, name);
            int holding = Bounded.call(() -> client.forceReleaseAsync(name, prefix), Bounded.callBound(client.options()),
                    "releasing lock '" + name + "'");
            if (json) {
                spec.commandLine().getOut().println(Json.object()
                        .field("name", name)
                        .field("wasHeld", holding > 0)
                        .field("nodesHolding", holding)
                        .end());
            } else if (holding > 0) {
                spec.commandLine().getOut().println("released lock '" + LockInfoFormat.printable(name) + "' (it was held on " + holding
                        + " of " + client.nodeCount() + " node" + (client.nodeCount() == 1 ? "" : "s") + ")");
            } else {
                spec.commandLine().getOut().println("lock '" + LockInfoFormat.printable(name) + "' was not held; nothing to release");
            }
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.OK;
    }
}
