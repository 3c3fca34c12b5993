package io.redislock.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Interleaving: every round runs one short block per subject, in an order shuffled anew each round, so
 * that slow phases of a noisy machine hit all subjects alike and ratios can be paired within a round.
 * Warm-up rounds come first and are discarded.
 *
 * <p>Thread-safety: not thread-safe.
 */
public final class Rounds {
    /** Runs one block of one subject. */
    @FunctionalInterface
    public interface Block {
        /**
         * Runs a block.
         *
         * @param subject the subject
         * @param round the round index; negative for warm-up rounds
         * @throws Exception on failure (the run stops)
         */
        void run(String subject, int round) throws Exception;
    }

    private final Random random;

    /**
     * Creates a round runner.
     *
     * @param seed the shuffle seed
     */
    public Rounds(long seed) {
        this.random = new Random(seed);
    }

    /**
     * Runs warm-up rounds (indices -warmup..-1) then measured rounds (0..rounds-1).
     *
     * @param subjects the subjects
     * @param warmup discarded rounds
     * @param rounds measured rounds
     * @param block the block runner
     * @throws Exception the first failure of a block
     */
    public void run(List<String> subjects, int warmup, int rounds, Block block) throws Exception {
        for (int r = -warmup; r < rounds; r++) {
            List<String> order = new ArrayList<>(subjects);
            Collections.shuffle(order, random);
            for (String s : order) {
                block.run(s, r);
            }
        }
    }
}
