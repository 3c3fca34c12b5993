package io.redislock.internal;

import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The Lua scripts, loaded once from {@code scripts/<name>.lua} and called by EVALSHA. */
public enum Script {
    /** Grant with fencing token, or register as waiter. */
    ACQUIRE("acquire", ScriptOutputType.MULTI),
    /** Compare-and-delete, wake exactly one waiter. */
    RELEASE("release", ScriptOutputType.INTEGER),
    /** Compare-and-expire. */
    EXTEND("extend", ScriptOutputType.INTEGER),
    /** Raise a fencing counter (Redlock write-back). */
    FENCE("fence", ScriptOutputType.INTEGER);

    final String source;
    final String sha;
    final ScriptOutputType output;

    Script(String file, ScriptOutputType output) {
        this.output = output;
        try (InputStream in = Script.class.getResourceAsStream("scripts/" + file + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("missing script resource scripts/" + file + ".lua");
            }
            this.source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.sha = sha1(source);
    }

    private static String sha1(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(40);
            for (byte b : d) {
                sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
