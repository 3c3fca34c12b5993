/**
 * The report: markdown sections, target verdicts, the machine description and the XChart bar chart.
 */
package io.redislock.benchmarks.report;
