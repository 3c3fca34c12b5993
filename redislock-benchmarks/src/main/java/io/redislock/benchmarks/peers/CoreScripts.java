package io.redislock.benchmarks.peers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * redislock's own Lua scripts, read from redislock-core's classpath resources, with the key layout and
 * the arguments redislock sends on one Redis node — so that the raw baselines run exactly the server-side
 * work redislock does.
 *
 * <p>Thread-safety: stateless.
 */
public final class CoreScripts {
    private static final String DIR = "io/redislock/internal/scripts/";

    private CoreScripts() {}

    /**
     * Reads a script.
     *
     * @param name e.g. "acquire"
     * @return its source, or null if core no longer ships it under that name
     */
    public static String source(String name) {
        try (InputStream in = CoreScripts.class.getClassLoader().getResourceAsStream(DIR + name + ".lua")) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The keys of a lock, as core lays them out: the lock key and its hash-tagged companions.
     *
     * @param name the lock key
     * @return KEYS[1..3]: lock, fencing counter, waiters
     */
    public static String[] keys(String name) {
        String tag = "{" + name + "}";
        return new String[] {name, tag + ":fence", tag + ":waiters"};
    }

    /**
     * The ARGV of a single attempt of acquire.lua (no waiter registration), as {@code tryAcquire()} sends it.
     *
     * @param token the owner token
     * @param leaseMs the lease in ms
     * @param redlock false: one node (fencing token floored at TIME); true: one node of several
     * @return token, lease, no waiter member, no waiter keep time, fencing floor mode, no queue score
     */
    public static String[] acquireArgs(String token, String leaseMs, boolean redlock) {
        return new String[] {token, leaseMs, "", "0", redlock ? "0" : "1", ""};
    }

    /**
     * The ARGV of release.lua with the default options, as {@code release()} sends it.
     *
     * @param token the owner token
     * @param redlock false: one node (fencing token floored at TIME); true: one node of several
     * @return token, no waiter member, hand-off mode (fair: grant to the oldest waiter), no force, fencing
     *     floor mode
     */
    public static String[] releaseArgs(String token, boolean redlock) {
        return new String[] {token, "", "1", "0", redlock ? "0" : "1"};
    }
}
