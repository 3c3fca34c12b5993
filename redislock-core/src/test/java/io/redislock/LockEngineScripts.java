package io.redislock;

import java.io.IOException;
import java.io.InputStream;

/** Reads the production Lua scripts from the classpath, for script-level tests. */
final class LockEngineScripts {
    private LockEngineScripts() {}

    static byte[] read(String name) throws IOException {
        try (InputStream in = LockEngineScripts.class.getResourceAsStream("/io/redislock/internal/scripts/" + name + ".lua")) {
            if (in == null) {
                throw new IOException("no script " + name);
            }
            return in.readAllBytes();
        }
    }
}
