package io.redislock.benchmarks.report;

import io.redislock.benchmarks.Fmt;
import io.redislock.benchmarks.Summary;

/**
 * A target from issue 5 and its measurement on this run; reported, never asserted.
 *
 * @param scenario the scenario title
 * @param what the target in words, e.g. "uncontended ops/s ≥ 0.9× the floor"
 * @param measured the measured ratio (median and interquartile range over rounds)
 * @param threshold the bound
 * @param atLeast true for "≥ threshold", false for "≤ threshold"
 * @param isRatio whether the measurement is a ratio (printed with ×) or a plain number
 *
 * <p>Thread-safety: immutable.
 */
public record Target(
        String scenario, String what, Summary measured, double threshold, boolean atLeast, boolean isRatio) {
    /**
     * A ratio target.
     *
     * @param scenario the scenario title
     * @param what the target in words
     * @param measured the measured ratio
     * @param threshold the bound
     * @param atLeast true for "≥", false for "≤"
     * @return the target
     */
    public static Target ratio(String scenario, String what, Summary measured, double threshold, boolean atLeast) {
        return new Target(scenario, what, measured, threshold, atLeast, true);
    }

    /**
     * A target on a plain number (e.g. commands per acquisition).
     *
     * @param scenario the scenario title
     * @param what the target in words
     * @param measured the measured value
     * @param threshold the bound
     * @param atLeast true for "≥", false for "≤"
     * @return the target
     */
    public static Target value(String scenario, String what, Summary measured, double threshold, boolean atLeast) {
        return new Target(scenario, what, measured, threshold, atLeast, false);
    }

    /** @return whether the median meets the bound; false without a measurement */
    public boolean met() {
        if (!measured.present()) {
            return false;
        }
        return atLeast ? measured.median() >= threshold : measured.median() <= threshold;
    }

    /** @return "met", "missed" or "not measured" */
    public String verdict() {
        if (!measured.present()) {
            return "not measured";
        }
        return met() ? "met" : "**missed**";
    }

    /** @return the measured ratio as text */
    public String measuredText() {
        if (isRatio) {
            return Fmt.ratio(measured);
        }
        if (!measured.present()) {
            return "–";
        }
        return Fmt.plain(measured.median()) + " (" + Fmt.plain(measured.p25()) + "–" + Fmt.plain(measured.p75()) + ")";
    }
}
