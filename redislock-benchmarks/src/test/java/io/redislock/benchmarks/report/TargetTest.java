package io.redislock.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.redislock.benchmarks.Summary;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TargetTest {
    private static Summary of(Double... v) {
        return Summary.of(List.of(v));
    }

    @Test
    void anEveryRoundTargetIsMissedWhenAnyRoundMissesIt() {
        Target t = Target.everyRound("2", "no starvation", of(0.0, 0.0, 0.0, 700.0, 700.0, 700.0), 1, true);
        assertThat(t.met()).isFalse();
        assertThat(t.verdict()).isEqualTo("**missed**");
        assertThat(t.measuredText(6)).isEqualTo("fewest in any round: 0; median per round 350");
        assertThat(Target.everyRound("2", "x", of(3.0, 700.0, 650.0), 1, true).met()).isTrue();
    }

    @Test
    void aMedianTargetIsJudgedOnTheMedian() {
        Target t = Target.ratio("1", "≥ 0.9×", of(0.5, 0.95, 0.97), 0.9, true);
        assertThat(t.met()).isTrue();
        assertThat(Target.value("2", "≤ 3", of(2.0, 4.0, 3.5), 3.0, false).met()).isFalse();
    }

    @Test
    void aTargetWithoutMeasurementSaysWhy() {
        Target t = Target.ratio("3", "≥ 50%", Summary.EMPTY, 0.5, true).withRemark("redis-benchmark not found");
        assertThat(t.met()).isFalse();
        assertThat(t.verdict()).isEqualTo("not measured (redis-benchmark not found)");
        assertThat(t.measuredText()).isEqualTo("–");
    }

    @Test
    void aSingleMeasurementIsPrintedWithoutASpread() {
        Target t = Target.single("2", "≤ 3 commands", 2.0, 3.0, false);
        assertThat(t.measuredText(3)).isEqualTo("2.00");
        assertThat(t.met()).isTrue();
        assertThat(Target.single("2", "≤ 3 commands", null, 3.0, false).verdict()).isEqualTo("not measured");
    }
}
