package io.redislock.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FmtTest {
    @Test
    void microsSwitchesUnitAfterRounding() {
        assertThat(Fmt.micros(84_240)).isEqualTo("84.2 µs");
        assertThat(Fmt.micros(99_960)).isEqualTo("100 µs");
        assertThat(Fmt.micros(1_265_000)).isEqualTo("1,265 µs");
        assertThat(Fmt.micros(9_999_960)).isEqualTo("10.0 ms");
        assertThat(Fmt.micros(12_345_000)).isEqualTo("12.3 ms");
        assertThat(Fmt.micros(Double.NaN)).isEqualTo("–");
    }

    @Test
    void cpuMicrosIsFormattedLikeOtherTimes() {
        assertThat(Fmt.cpuMicros(1265)).isEqualTo("1,265 µs");
        assertThat(Fmt.cpuMicros(94.74)).isEqualTo("94.7 µs");
    }

    @Test
    void ratioDropsDecimalsOnlyWhenTheRoundedValueReachesHundred() {
        assertThat(Fmt.ratio(0.934)).isEqualTo("0.93×");
        assertThat(Fmt.ratio(99.994)).isEqualTo("99.99×");
        assertThat(Fmt.ratio(99.996)).isEqualTo("100×");
        assertThat(Fmt.ratio(123.4)).isEqualTo("123×");
    }

    @Test
    void negativeValuesThatRoundToZeroHaveNoSign() {
        assertThat(Fmt.count(-0.4)).isEqualTo("0");
        assertThat(Fmt.plain(-0.001)).isEqualTo("0.00");
        assertThat(Fmt.count(-2.6)).isEqualTo("-3");
    }

    @Test
    void percentIsOnlyHundredOrZeroWhenExactly() {
        assertThat(Fmt.percent(1.0)).isEqualTo("100%");
        assertThat(Fmt.percent(0.996)).isEqualTo("99.6%");
        assertThat(Fmt.percent(0.9996)).isEqualTo("99.96%");
        assertThat(Fmt.percent(0.79)).isEqualTo("79%");
        assertThat(Fmt.percent(0.004)).isEqualTo("0.4%");
        assertThat(Fmt.percent(0)).isEqualTo("0%");
    }

    @Test
    void aSummaryUsesOneStyleForMedianAndSpread() {
        Summary s = Summary.of(List.of(77.0, 113.0, 125.0));
        assertThat(Fmt.plain(s, 0)).isEqualTo("113 (range 77–125)");
        Summary r = Summary.of(List.of(0.5, 0.8, 0.9, 1.0, 1.2));
        assertThat(Fmt.ratio(r)).isEqualTo("0.90× (0.80–1.00)");
    }

    @Test
    void aSummaryShowsTheRangeBelowFiveRoundsAndNWhenFewerThanConfigured() {
        Summary three = Summary.of(List.of(0.88, 0.93, 0.97));
        assertThat(Fmt.ratio(three, 3)).isEqualTo("0.93× (range 0.88–0.97)");
        assertThat(Fmt.ratio(three, 6)).isEqualTo("0.93× (range 0.88–0.97, n=3)");
        Summary one = Summary.of(List.of(2.0));
        assertThat(Fmt.plain(one, 0)).isEqualTo("2.00");
        assertThat(Fmt.ratio(one, 3)).isEqualTo("2.00× (n=1)");
        assertThat(Fmt.count(Summary.EMPTY)).isEqualTo("–");
    }
}
