package io.redislock.benchmarks.report;

import io.redislock.benchmarks.Summary;
import java.util.List;

/**
 * Assembles the markdown report: run parameters, machine, the targets of issue 5 with their verdicts,
 * every scenario's table and the chart.
 *
 * <p>Thread-safety: stateless.
 */
public final class ResultsWriter {
    private ResultsWriter() {}

    /**
     * Builds the report.
     *
     * @param header lines about the run (mode, seed, command)
     * @param machine machine description lines
     * @param sections the scenario sections, in order
     * @param failures scenarios that failed, with their error
     * @param chartFile the chart's file name relative to the report, or null
     * @return markdown
     */
    public static String markdown(List<String> header, List<String> machine, List<Section> sections,
            List<String> failures, String chartFile) {
        StringBuilder sb = new StringBuilder("# redislock benchmarks\n\n");
        for (String h : header) {
            sb.append(h).append("\n");
        }
        sb.append("\n## Machine\n\n");
        for (String m : machine) {
            sb.append("- ").append(m).append('\n');
        }
        sb.append("\n## Targets (issue 5), paired within rounds\n\n");
        sb.append("| scenario | target | measured: median (interquartile range over rounds; the range with fewer than "
                + Summary.MIN_FOR_QUARTILES + ") | verdict |\n|---|---|---:|---|\n");
        for (Section s : sections) {
            for (Target t : s.targets()) {
                sb.append("| ").append(t.scenario()).append(" | ").append(t.what()).append(" | ")
                        .append(t.measuredText(s.rounds())).append(" | ").append(t.verdict()).append(" |\n");
            }
        }
        if (chartFile != null) {
            sb.append("\n![speed relative to the floor per scenario](").append(chartFile).append(")\n");
        }
        sb.append("\n## Results\n\n");
        for (Section s : sections) {
            sb.append(s.markdown());
        }
        for (String f : failures) {
            sb.append("- **failed**: ").append(f).append('\n');
        }
        return sb.toString();
    }
}
