package io.redislock.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class StatsTest {
    @Test
    void medianOfOddCountIsTheMiddleValue() {
        assertThat(Stats.median(5, 1, 3)).isEqualTo(3.0);
    }

    @Test
    void medianOfEvenCountIsTheMeanOfTheTwoMiddleValues() {
        assertThat(Stats.median(4, 1, 3, 2)).isEqualTo(2.5);
        assertThat(Stats.median(List.of(10.0, 20.0))).isEqualTo(15.0);
    }

    @Test
    void nearestRankPercentiles() {
        double[] v = new double[100];
        for (int i = 0; i < 100; i++) {
            v[i] = 100 - i; // 100..1, unsorted
        }
        assertThat(Stats.percentile(50, v)).isEqualTo(50.0);
        assertThat(Stats.percentile(99, v)).isEqualTo(99.0);
        assertThat(Stats.percentile(100, v)).isEqualTo(100.0);
        assertThat(Stats.percentile(1, v)).isEqualTo(1.0);
        assertThat(Stats.percentileOfSorted(50, new long[] {7})).isEqualTo(7L);
        assertThat(Stats.percentileOfSorted(99, new long[] {1, 2, 3, 4})).isEqualTo(4L);
    }

    @Test
    void coefficientOfVariationIsStdDevOverMean() {
        assertThat(Stats.coefficientOfVariation(5, 5, 5, 5)).isZero();
        // mean 5, population std dev 1
        assertThat(Stats.coefficientOfVariation(4, 6, 4, 6)).isCloseTo(0.2, within(1e-12));
        assertThat(Stats.coefficientOfVariation(0, 0)).isZero();
    }

    @Test
    void rejectsEmptyInputAndBadPercentiles() {
        assertThatThrownBy(() -> Stats.median()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stats.percentile(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stats.percentile(101, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ratiosArePairedWithinRounds() {
        RoundData d = new RoundData();
        d.put("a", "ops", 0, 90);
        d.put("b", "ops", 0, 100);
        d.put("a", "ops", 1, 40);
        d.put("b", "ops", 1, 50);
        d.put("a", "ops", 2, 30); // no partner in round 2
        Summary r = d.ratio("a", "b", "ops");
        assertThat(r.n()).isEqualTo(2);
        assertThat(r.min()).isCloseTo(0.8, within(1e-12));
        assertThat(r.max()).isCloseTo(0.9, within(1e-12));
        assertThat(r.median()).isCloseTo(0.85, within(1e-12));
    }

    @Test
    void samplesKeepABoundedNumberOfValues() {
        Samples s = new Samples(3);
        for (int i = 1; i <= 5; i++) {
            s.add(i);
        }
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.percentile(100)).isEqualTo(3.0);
    }

    @Test
    void interpolatedQuartilesAreSymmetricForEveryCount() {
        // n=4: positions 0.75 and 2.25, equally far from both ends
        assertThat(Stats.quantile(0.25, 0, 10, 20, 30)).isEqualTo(7.5);
        assertThat(Stats.quantile(0.75, 0, 10, 20, 30)).isEqualTo(22.5);
        // n=8: positions 1.75 and 5.25
        double[] eight = {0, 1, 2, 3, 4, 5, 6, 7};
        assertThat(Stats.quantile(0.25, eight)).isEqualTo(1.75);
        assertThat(Stats.quantile(0.75, eight)).isEqualTo(5.25);
        // n=5: exactly the second and fourth values
        assertThat(Stats.quantile(0.25, 5, 4, 3, 2, 1)).isEqualTo(2.0);
        assertThat(Stats.quantile(0.75, 5, 4, 3, 2, 1)).isEqualTo(4.0);
        assertThat(Stats.quantile(0, 3, 1, 2)).isEqualTo(1.0);
        assertThat(Stats.quantile(1, 3, 1, 2)).isEqualTo(3.0);
        assertThat(Stats.quantile(0.5, 9)).isEqualTo(9.0);
        assertThatThrownBy(() -> Stats.quantile(1.5, 1, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void summaryReportsTheRangeBelowFiveValuesAndTheQuartilesFromFive() {
        Summary three = Summary.of(List.of(1.0, 2.0, 9.0));
        assertThat(three.hasQuartiles()).isFalse();
        assertThat(three.low()).isEqualTo(1.0);
        assertThat(three.high()).isEqualTo(9.0);
        Summary six = Summary.of(List.of(6.0, 1.0, 2.0, 3.0, 4.0, 5.0));
        assertThat(six.hasQuartiles()).isTrue();
        assertThat(six.low()).isEqualTo(2.25);
        assertThat(six.high()).isEqualTo(4.75);
        assertThat(six.median() - six.low()).isEqualTo(six.high() - six.median());
    }
}
