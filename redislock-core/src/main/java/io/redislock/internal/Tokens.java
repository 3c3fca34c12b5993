package io.redislock.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Owner tokens: {@code <client id>.<sequence>@<host>:<pid>}. The client id is 64 random bits drawn once
 * per client, the sequence counts grants, so every token is unique without a random draw per grant,
 * and an operator can read who holds a lock.
 */
final class Tokens {
    private static final String ORIGIN = "@" + host() + ":" + ProcessHandle.current().pid();

    final String clientId;
    private final AtomicLong seq = new AtomicLong();

    Tokens() {
        byte[] b = new byte[8];
        new SecureRandom().nextBytes(b);
        StringBuilder sb = new StringBuilder(16);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        this.clientId = sb.toString();
    }

    String next() {
        return clientId + "." + Long.toString(seq.incrementAndGet(), 36) + ORIGIN;
    }

    private static String host() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            } catch (Exception e) {
                h = null;
            }
        }
        if (h == null || h.isBlank()) {
            try {
                h = java.net.InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                h = "unknown";
            }
        }
        String clean = h.replaceAll("[^A-Za-z0-9._-]", "");
        return clean.isEmpty() ? "unknown" : clean;
    }
}
