package io.redislock.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RoundDataTest {
    @Test
    void ratiosArePairedWithinARound() {
        RoundData d = new RoundData();
        for (int r = 0; r < 3; r++) {
            d.put("a", "ops", r, 100.0 * (r + 1));
            d.put("b", "ops", r, 50.0 * (r + 1));
        }
        assertThat(d.ratio("a", "b", "ops").median()).isEqualTo(2.0);
    }

    @Test
    void theBestPeerIsChosenOnceByItsMedianNotPerRound() {
        // two peer variants with the same typical rate (80) whose noise alternates: the faster of the two in
        // each round (100) is faster than either variant typically is
        RoundData d = new RoundData();
        double[] x = {100, 60, 100, 60, 100, 60, 80};
        double[] y = {60, 100, 60, 100, 60, 100, 70};
        for (int r = 0; r < x.length; r++) {
            d.put("lib", "ops", r, 150);
            d.put("peer-x", "ops", r, x[r]);
            d.put("peer-y", "ops", r, y[r]);
        }
        String best = d.bestByMedian(List.of("peer-y", "peer-x"), "ops", true);
        assertThat(best).isEqualTo("peer-x"); // median 80 against 70
        assertThat(d.ratio("lib", best, "ops").median()).isCloseTo(150.0 / 80, within(1e-9));
    }

    @Test
    void forLatenciesTheBestPeerHasTheLowestMedian() {
        RoundData d = new RoundData();
        for (int r = 0; r < 5; r++) {
            d.put("slow", "p50", r, 200 + r);
            d.put("fast", "p50", r, 100 + r);
        }
        assertThat(d.bestByMedian(List.of("slow", "fast"), "p50", false)).isEqualTo("fast");
        assertThat(d.bestByMedian(List.of("slow", "fast"), "p50", true)).isEqualTo("slow");
    }

    @Test
    void withoutDataTheFirstCandidateIsReturned() {
        assertThat(new RoundData().bestByMedian(List.of("x", "y"), "ops", true)).isEqualTo("x");
    }
}
