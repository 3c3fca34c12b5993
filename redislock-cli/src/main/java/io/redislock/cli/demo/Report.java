package io.redislock.cli.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo's final table: one row per counter phase, then the fencing result and the verdict.
 *
 * <p>Thread-safety: not thread-safe; built by one thread.
 */
public final class Report {
    private static final String ROW = "%-38s %10s %8s %8s %9s %9s %9s  %s%n";

    private final List<String> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /** Creates an empty report. */
    public Report() {}

    /**
     * Adds a counter phase.
     *
     * @param phase the phase title
     * @param r what the workers counted
     * @param finalValue the counter's value at the end
     * @param verdict e.g. "ok" or "LOST UPDATES"
     */
    public void phase(String phase, Workload.Result r, long finalValue, String verdict) {
        rows.add(String.format(Locale.ROOT, ROW, phase, r.increments(), finalValue, r.increments() - finalValue,
                String.format(Locale.ROOT, "%.0f", r.throughput()), millis(r.percentile(0.50)),
                millis(r.percentile(0.99)), verdict));
    }

    /**
     * Adds a phase without counters.
     *
     * @param phase the phase title
     * @param verdict the outcome
     */
    public void row(String phase, String verdict) {
        rows.add(String.format(Locale.ROOT, ROW, phase, "-", "-", "-", "-", "-", "-", verdict));
    }

    /**
     * Adds a line under the table.
     *
     * @param note the text
     */
    public void note(String note) {
        notes.add(note);
    }

    /** @return the table and notes */
    public String render() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, ROW, "phase", "increments", "final", "lost", "ops/s", "acq p50",
                "acq p99", "result"));
        b.append("-".repeat(120)).append('\n');
        rows.forEach(b::append);
        b.append('\n');
        notes.forEach(n -> b.append(n).append('\n'));
        return b.toString();
    }

    private static String millis(Duration d) {
        if (d == null) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2fms", d.toNanos() / 1e6);
    }
}
