package io.redislock.benchmarks;

import java.util.Arrays;
import java.util.Collection;

/**
 * Order statistics and dispersion over small samples: median, nearest-rank percentiles, interpolated
 * quantiles, min/max spread and the coefficient of variation.
 *
 * <p>Thread-safety: stateless.
 */
public final class Stats {
    private Stats() {}

    /**
     * The median; the mean of the two middle values for an even count.
     *
     * @param values at least one value
     * @return the median
     * @throws IllegalArgumentException if {@code values} is empty
     */
    public static double median(double... values) {
        double[] s = sorted(values);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    }

    /**
     * The median of a collection.
     *
     * @param values at least one value
     * @return the median
     * @throws IllegalArgumentException if {@code values} is empty
     */
    public static double median(Collection<Double> values) {
        return median(toArray(values));
    }

    /**
     * The nearest-rank percentile: the smallest value such that at least {@code p}% of the values are
     * less than or equal to it.
     *
     * @param p in (0, 100]
     * @param values at least one value
     * @return the percentile
     * @throws IllegalArgumentException if {@code values} is empty or {@code p} is out of range
     */
    public static double percentile(double p, double... values) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
        }
        double[] s = sorted(values);
        int rank = (int) Math.ceil(p / 100.0 * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }

    /**
     * A quantile by linear interpolation between the order statistics around position {@code q(n−1)}
     * (Hyndman–Fan type 7): symmetric, so the 25th and 75th percentiles of {@code n} values lie equally
     * far from the ends, e.g. positions 0.75 and 2.25 for four values.
     *
     * @param q in [0, 1]
     * @param values at least one value
     * @return the quantile
     * @throws IllegalArgumentException if {@code values} is empty or {@code q} is out of range
     */
    public static double quantile(double q, double... values) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be in [0, 1], was " + q);
        }
        double[] s = sorted(values);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(s.length - 1, lo + 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    /**
     * The nearest-rank percentile of an already sorted array of longs (e.g. latencies in nanoseconds).
     *
     * @param p in (0, 100]
     * @param sortedValues at least one value, ascending
     * @return the percentile
     * @throws IllegalArgumentException if the array is empty or {@code p} is out of range
     */
    public static long percentileOfSorted(double p, long[] sortedValues) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
        }
        if (sortedValues.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        int rank = (int) Math.ceil(p / 100.0 * sortedValues.length);
        return sortedValues[Math.max(0, Math.min(sortedValues.length - 1, rank - 1))];
    }

    /**
     * The arithmetic mean.
     *
     * @param values at least one value
     * @return the mean
     * @throws IllegalArgumentException if {@code values} is empty
     */
    public static double mean(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /**
     * The coefficient of variation: population standard deviation divided by the mean (0 when all values
     * are equal; 0 for a zero mean).
     *
     * @param values at least one value
     * @return the coefficient of variation
     * @throws IllegalArgumentException if {@code values} is empty
     */
    public static double coefficientOfVariation(double... values) {
        double m = mean(values);
        if (m == 0) {
            return 0;
        }
        double sq = 0;
        for (double v : values) {
            sq += (v - m) * (v - m);
        }
        return Math.sqrt(sq / values.length) / Math.abs(m);
    }

    /**
     * The smallest value.
     *
     * @param values at least one value
     * @return the minimum
     */
    public static double min(double... values) {
        return sorted(values)[0];
    }

    /**
     * The largest value.
     *
     * @param values at least one value
     * @return the maximum
     */
    public static double max(double... values) {
        double[] s = sorted(values);
        return s[s.length - 1];
    }

    /**
     * Converts a collection to an array.
     *
     * @param values the values
     * @return a new array
     */
    public static double[] toArray(Collection<Double> values) {
        double[] out = new double[values.size()];
        int i = 0;
        for (Double v : values) {
            out[i++] = v;
        }
        return out;
    }

    private static double[] sorted(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] s = values.clone();
        Arrays.sort(s);
        return s;
    }
}
