package io.redislock.cli;

import io.redislock.LockInfo;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Renders {@link LockInfo} snapshots for people and as JSON ({@code status}, {@code list}).
 *
 * <p>Thread-safety: stateless.
 */
public final class LockInfoFormat {
    private LockInfoFormat() {}

    /**
     * One lock as a JSON object: name, key, held, holder, ttlMillis, fencingCounter, nodesHolding,
     * nodesAnswered.
     *
     * @param info the snapshot
     * @return the JSON text
     */
    public static String json(LockInfo info) {
        return Json.object()
                .field("name", info.name())
                .field("key", info.key())
                .field("held", info.held())
                .field("holder", info.owner().orElse(null))
                .field("ttlMillis", info.ttl().map(Duration::toMillis).orElse(null))
                .field("fencingCounter", info.fencingCounter())
                .field("nodesHolding", info.nodesHolding())
                .field("nodesAnswered", info.nodesAnswered())
                .end();
    }

    /**
     * One lock for people, several lines.
     *
     * @param info the snapshot
     * @param nodes how many nodes the client uses
     * @return the text, ending with a newline
     */
    public static String human(LockInfo info, int nodes) {
        StringBuilder b = new StringBuilder();
        b.append("lock '").append(info.name()).append("' is ").append(info.held() ? "held" : "free").append('\n');
        b.append(String.format(Locale.ROOT, "  %-9s %s%n", "key:", info.key()));
        if (info.held()) {
            b.append(String.format(Locale.ROOT, "  %-9s %s%n", "holder:", info.owner().orElse("?")));
            b.append(String.format(Locale.ROOT, "  %-9s %s%n", "ttl:", ttl(info)));
        }
        b.append(String.format(Locale.ROOT, "  %-9s %d%s%n", "fencing:", info.fencingCounter(),
                info.fencingCounter() == 0 ? " (never granted)" : " (last token handed out)"));
        b.append(String.format(Locale.ROOT, "  %-9s %d of %d hold it, %d answered%n", "nodes:",
                info.nodesHolding(), nodes, info.nodesAnswered()));
        return b.toString();
    }

    /**
     * Held locks as a table for people.
     *
     * @param locks the held locks
     * @return the text, ending with a newline
     */
    public static String table(List<LockInfo> locks) {
        int nameWidth = "NAME".length();
        int holderWidth = "HOLDER".length();
        for (LockInfo i : locks) {
            nameWidth = Math.max(nameWidth, i.name().length());
            holderWidth = Math.max(holderWidth, i.owner().orElse("?").length());
        }
        String row = "%-" + nameWidth + "s  %-" + holderWidth + "s  %8s  %s%n";
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, row, "NAME", "HOLDER", "TTL", "FENCING"));
        for (LockInfo i : locks) {
            b.append(String.format(Locale.ROOT, row, i.name(), i.owner().orElse("?"), ttl(i), i.fencingCounter()));
        }
        return b.toString();
    }

    private static String ttl(LockInfo info) {
        return info.ttl().map(Durations::format).orElse("no expiry");
    }
}
