package io.redislock.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-round measurements: subject → metric → round → value; summaries over rounds and ratios paired
 * within a round.
 *
 * <p>Thread-safety: not thread-safe; written and read by the scenario thread.
 */
public final class RoundData {
    private final Map<String, Map<String, TreeMap<Integer, Double>>> data = new LinkedHashMap<>();

    /**
     * Records a value.
     *
     * @param subject the library / variant
     * @param metric the metric name
     * @param round the round index
     * @param value the value (NaN values are skipped)
     */
    public void put(String subject, String metric, int round, double value) {
        if (Double.isNaN(value)) {
            return;
        }
        data.computeIfAbsent(subject, s -> new LinkedHashMap<>())
                .computeIfAbsent(metric, m -> new TreeMap<>())
                .put(round, value);
    }

    /**
     * The values of a metric over rounds.
     *
     * @param subject the subject
     * @param metric the metric
     * @return values in round order (empty if none)
     */
    public List<Double> values(String subject, String metric) {
        Map<String, TreeMap<Integer, Double>> m = data.get(subject);
        if (m == null || !m.containsKey(metric)) {
            return List.of();
        }
        return new ArrayList<>(m.get(metric).values());
    }

    /**
     * Median and spread of a metric over rounds.
     *
     * @param subject the subject
     * @param metric the metric
     * @return the summary ({@link Summary#EMPTY} if no values)
     */
    public Summary summary(String subject, String metric) {
        return Summary.of(values(subject, metric));
    }

    /**
     * The ratio {@code a / b} of a metric, computed per round where both have a value, then summarized.
     *
     * @param a numerator subject
     * @param b denominator subject
     * @param metric the metric
     * @return the summary of the per-round ratios
     */
    public Summary ratio(String a, String b, String metric) {
        return ratio(a, metric, b, metric);
    }

    /**
     * The ratio of two metrics of two subjects, paired per round.
     *
     * @param a numerator subject
     * @param metricA numerator metric
     * @param b denominator subject
     * @param metricB denominator metric
     * @return the summary of the per-round ratios
     */
    public Summary ratio(String a, String metricA, String b, String metricB) {
        TreeMap<Integer, Double> x = series(a, metricA);
        TreeMap<Integer, Double> y = series(b, metricB);
        List<Double> out = new ArrayList<>();
        for (Map.Entry<Integer, Double> e : x.entrySet()) {
            Double d = y.get(e.getKey());
            if (d != null && d != 0) {
                out.add(e.getValue() / d);
            }
        }
        return Summary.of(out);
    }

    /**
     * The per-round ratio of {@code a} to the best (largest) of several subjects in the same round.
     *
     * @param a numerator subject
     * @param others the subjects whose per-round maximum is the denominator
     * @param metric the metric
     * @return the summary of the per-round ratios
     */
    public Summary ratioToBest(String a, List<String> others, String metric) {
        TreeMap<Integer, Double> x = series(a, metric);
        List<Double> out = new ArrayList<>();
        for (Map.Entry<Integer, Double> e : x.entrySet()) {
            double best = Double.NaN;
            for (String o : others) {
                Double d = series(o, metric).get(e.getKey());
                if (d != null && (Double.isNaN(best) || d > best)) {
                    best = d;
                }
            }
            if (!Double.isNaN(best) && best != 0) {
                out.add(e.getValue() / best);
            }
        }
        return Summary.of(out);
    }

    private TreeMap<Integer, Double> series(String subject, String metric) {
        Map<String, TreeMap<Integer, Double>> m = data.get(subject);
        if (m == null || !m.containsKey(metric)) {
            return new TreeMap<>();
        }
        return m.get(metric);
    }
}
