package io.redislock.benchmarks;

import java.time.Duration;

/**
 * The sizes of one benchmark run. Single-thread scenarios (1 and 4) use many short blocks, so that
 * every library meets the machine in the same state many times; the multi-client scenarios (2 and 3)
 * need longer blocks to start and drain their workers.
 *
 * @param quick whether this is the quick mode
 * @param diagnostics whether non-default redislock variants are added (to locate costs)
 * @param warmupRounds rounds run first and discarded in scenarios 1 and 4 (JIT, connections)
 * @param serialRounds measured rounds in scenarios 1 and 4
 * @param serialBlock length of one library's block in scenarios 1 and 4
 * @param contendedRounds measured rounds in scenario 2 (after one warm-up round)
 * @param contendedBlock length of one library's block in scenario 2
 * @param asyncRounds measured rounds in scenario 3 (after one warm-up round)
 * @param asyncBlock length of one variant's block in scenario 3
 * @param workers workers (each with its own client) in scenario 2
 * @param inFlight acquisitions in flight in scenario 3
 * @param seed seed of the block shuffling
 *
 * <p>Thread-safety: immutable.
 */
public record BenchConfig(
        boolean quick,
        boolean diagnostics,
        int warmupRounds,
        int serialRounds,
        Duration serialBlock,
        int contendedRounds,
        Duration contendedBlock,
        int asyncRounds,
        Duration asyncBlock,
        int workers,
        int inFlight,
        long seed) {

    /**
     * The quick mode: about two minutes in all.
     *
     * @param seed shuffle seed
     * @param diagnostics whether to add the diagnostic variants
     * @return the configuration
     */
    public static BenchConfig quick(long seed, boolean diagnostics) {
        return new BenchConfig(true, diagnostics, 5, 40, Duration.ofMillis(40), 3, Duration.ofMillis(700), 3,
                Duration.ofMillis(500), 8, 128, seed);
    }

    /**
     * The full mode: at most about ten minutes.
     *
     * @param seed shuffle seed
     * @param diagnostics whether to add the diagnostic variants
     * @return the configuration
     */
    public static BenchConfig full(long seed, boolean diagnostics) {
        return new BenchConfig(false, diagnostics, 10, 150, Duration.ofMillis(50), 6, Duration.ofMillis(1500), 6,
                Duration.ofMillis(1000), 8, 128, seed);
    }
}
