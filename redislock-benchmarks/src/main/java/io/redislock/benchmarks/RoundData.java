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
     * The subject whose metric has the best median over all rounds, chosen once for the whole run. Comparing
     * with this one, paired per round, is unbiased; comparing with the best of several subjects in each round
     * is not: the larger of two noisy values is larger than either one's typical value.
     *
     * @param subjects the candidates
     * @param metric the metric
     * @param higherIsBetter true for rates, false for latencies
     * @return the best candidate, or the first when none has a value
     */
    public String bestByMedian(List<String> subjects, String metric, boolean higherIsBetter) {
        String best = subjects.get(0);
        double bestMedian = Double.NaN;
        for (String s : subjects) {
            Summary sum = summary(s, metric);
            if (!sum.present()) {
                continue;
            }
            double m = sum.median();
            if (Double.isNaN(bestMedian) || (higherIsBetter ? m > bestMedian : m < bestMedian)) {
                best = s;
                bestMedian = m;
            }
        }
        return best;
    }

    private TreeMap<Integer, Double> series(String subject, String metric) {
        Map<String, TreeMap<Integer, Double>> m = data.get(subject);
        if (m == null || !m.containsKey(metric)) {
            return new TreeMap<>();
        }
        return m.get(metric);
    }
}
