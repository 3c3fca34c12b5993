package io.redislock.benchmarks.report;

import java.util.ArrayList;
import java.util.List;

/**
 * One scenario's results: a title, what was measured, a markdown table, targets and chart bars.
 *
 * <p>Thread-safety: not thread-safe; built by one scenario, then read.
 */
public final class Section {
    private final String title;
    private final String intro;
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<Target> targets = new ArrayList<>();
    private final List<ChartBar> bars = new ArrayList<>();
    private int rounds;

    /**
     * Creates a section.
     *
     * @param title e.g. "1. Uncontended"
     * @param intro one paragraph on what was measured and how
     * @param header the table's column names
     */
    public Section(String title, String intro, List<String> header) {
        this.title = title;
        this.intro = intro;
        this.header = List.copyOf(header);
    }

    /**
     * Adds a table row.
     *
     * @param cells one cell per column
     * @return this section
     */
    public Section row(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException("row has " + cells.size() + " cells, header " + header.size());
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    /**
     * Adds a note printed under the table.
     *
     * @param note the note (markdown)
     * @return this section
     */
    public Section note(String note) {
        notes.add(note);
        return this;
    }

    /**
     * Adds a target evaluation.
     *
     * @param t the target
     * @return this section
     */
    public Section target(Target t) {
        targets.add(t);
        return this;
    }

    /**
     * Adds a chart bar.
     *
     * @param b the bar
     * @return this section
     */
    public Section bar(ChartBar b) {
        bars.add(b);
        return this;
    }

    /**
     * Sets the configured number of measured rounds, so that targets measured in fewer show their n.
     *
     * @param configured the rounds the scenario was configured to measure
     * @return this section
     */
    public Section rounds(int configured) {
        this.rounds = configured;
        return this;
    }

    /** @return the configured number of measured rounds, 0 if unknown */
    public int rounds() {
        return rounds;
    }

    /** @return the title */
    public String title() {
        return title;
    }

    /** @return the targets */
    public List<Target> targets() {
        return targets;
    }

    /** @return the chart bars */
    public List<ChartBar> bars() {
        return bars;
    }

    /** @return the section as markdown: heading, intro, table, notes */
    public String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("### ").append(title).append("\n\n").append(intro).append("\n\n");
        sb.append(tableLine(header));
        List<String> sep = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            sep.add(i == 0 ? "---" : "---:");
        }
        sb.append(tableLine(sep));
        for (List<String> r : rows) {
            sb.append(tableLine(r));
        }
        sb.append('\n');
        for (String n : notes) {
            sb.append("- ").append(n).append('\n');
        }
        if (!notes.isEmpty()) {
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String tableLine(List<String> cells) {
        StringBuilder sb = new StringBuilder("|");
        for (String c : cells) {
            sb.append(' ').append(c.replace("|", "\\|")).append(" |");
        }
        return sb.append('\n').toString();
    }
}
