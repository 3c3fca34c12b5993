package io.redislock.benchmarks.peers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * redislock's own Lua scripts, read from redislock-core's classpath resources, and the key layout they
 * expect — so that the raw baselines of scenario 3 run exactly the server-side work redislock does.
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
     * @return KEYS[1..4]
     */
    public static String[] keys(String name) {
        String tag = "{" + name + "}";
        return new String[] {name, tag + ":fence", tag + ":waiters", tag + ":handoff"};
    }
}
