package io.redislock.benchmarks.report;

import io.redislock.benchmarks.Fmt;
import io.redislock.benchmarks.Summary;
import java.util.List;

/**
 * A target from issue 5 and its measurement on this run; reported, never asserted.
 *
 * @param scenario the scenario title
 * @param what the target in words, e.g. "uncontended ops/s ≥ 0.9× the floor"
 * @param measured the measured values over rounds
 * @param threshold the bound
 * @param atLeast true for "≥ threshold", false for "≤ threshold"
 * @param isRatio whether the measurement is a ratio (printed with ×) or a plain number
 * @param judge which statistic over rounds is held against the bound
 * @param remark said after the verdict (e.g. why it was not measured, or why it is unreliable), or null
 *
 * <p>Thread-safety: immutable.
 */
public record Target(String scenario, String what, Summary measured, double threshold, boolean atLeast,
        boolean isRatio, Judge judge, String remark) {

    /** Which statistic over rounds a target is judged on. */
    public enum Judge {
        /** The median over rounds: a typical round meets the bound. */
        MEDIAN,
        /** The worst round (the minimum for "≥", the maximum for "≤"): every round meets the bound. */
        WORST_ROUND,
        /** A single measurement, not per round (e.g. one MONITOR window): printed without a spread. */
        SINGLE
    }

    /**
     * A ratio target judged on the median over rounds.
     *
     * @param scenario the scenario title
     * @param what the target in words
     * @param measured the measured ratio
     * @param threshold the bound
     * @param atLeast true for "≥", false for "≤"
     * @return the target
     */
    public static Target ratio(String scenario, String what, Summary measured, double threshold, boolean atLeast) {
        return new Target(scenario, what, measured, threshold, atLeast, true, Judge.MEDIAN, null);
    }

    /**
     * A target on a plain number (e.g. commands per acquisition) judged on the median over rounds.
     *
     * @param scenario the scenario title
     * @param what the target in words
     * @param measured the measured value
     * @param threshold the bound
     * @param atLeast true for "≥", false for "≤"
     * @return the target
     */
    public static Target value(String scenario, String what, Summary measured, double threshold, boolean atLeast) {
        return new Target(scenario, what, measured, threshold, atLeast, false, Judge.MEDIAN, null);
    }

    /**
     * A target on a count that every round must meet (e.g. no worker starved in any round); printed as
     * whole numbers.
     *
     * @param scenario the scenario title
     * @param what the target in words
     * @param measured the per-round values
     * @param threshold the bound
     * @param atLeast true for "≥" (judged on the minimum), false for "≤" (judged on the maximum)
     * @return the target
     */
    public static Target everyRound(String scenario, String what, Summary measured, double threshold,
            boolean atLeast) {
        return new Target(scenario, what, measured, threshold, atLeast, false, Judge.WORST_ROUND, null);
    }

    /**
     * A target on one measurement that is not repeated per round (e.g. counted in one MONITOR window).
     *
     * @param scenario the scenario title
     * @param what the target in words
     * @param measured the value, or null if not measured
     * @param threshold the bound
     * @param atLeast true for "≥", false for "≤"
     * @return the target
     */
    public static Target single(String scenario, String what, Double measured, double threshold, boolean atLeast) {
        return new Target(scenario, what, measured == null ? Summary.EMPTY : Summary.of(List.of(measured)),
                threshold, atLeast, false, Judge.SINGLE, null);
    }

    /**
     * This target with a remark after its verdict.
     *
     * @param text e.g. "redis-benchmark not found"
     * @return a copy
     */
    public Target withRemark(String text) {
        return new Target(scenario, what, measured, threshold, atLeast, isRatio, judge, text);
    }

    /** @return the statistic held against the bound: the median, or the worst round's value */
    public double judged() {
        if (judge == Judge.WORST_ROUND) {
            return atLeast ? measured.min() : measured.max();
        }
        return measured.median();
    }

    /** @return whether the judged statistic meets the bound; false without a measurement */
    public boolean met() {
        if (!measured.present()) {
            return false;
        }
        return atLeast ? judged() >= threshold : judged() <= threshold;
    }

    /** @return "met", "missed" or "not measured", followed by the remark if any */
    public String verdict() {
        String v = !measured.present() ? "not measured" : met() ? "met" : "**missed**";
        return remark == null ? v : v + " (" + remark + ")";
    }

    /** @return the measurement as text, without the number of rounds */
    public String measuredText() {
        return measuredText(0);
    }

    /**
     * The measurement as text.
     *
     * @param rounds the configured rounds (n is shown when fewer were measured), or 0 if unknown
     * @return e.g. {@code 0.93× (0.88–0.97)}, or for a worst-round target
     *     {@code fewest in any round: 0; median per round 350}
     */
    public String measuredText(int rounds) {
        if (!measured.present()) {
            return "–";
        }
        if (judge == Judge.WORST_ROUND) {
            String n = rounds > measured.n() ? " (n=" + measured.n() + ")" : "";
            return (atLeast ? "fewest" : "most") + " in any round: " + Fmt.count(judged())
                    + "; median per round " + Fmt.count(measured.median()) + n;
        }
        if (judge == Judge.SINGLE) {
            return isRatio ? Fmt.ratio(measured.median()) : Fmt.plain(measured.median());
        }
        return isRatio ? Fmt.ratio(measured, rounds) : Fmt.plain(measured, rounds);
    }
}
