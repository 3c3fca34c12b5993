package io.redislock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class DurationsTest {
    @Test
    void parsesMillisSecondsMinutesHoursAndPlainSeconds() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("42")).isEqualTo(Duration.ofSeconds(42));
        assertThat(Durations.parse("0s")).isZero();
        assertThat(Durations.parse(" 10S ")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("0.25")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("2.5m")).isEqualTo(Duration.ofSeconds(150));
        assertThat(Durations.parse("PT30S")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("pt0.5s")).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void parsesGoStyleCompoundDurations() {
        assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("1h2m3.5s")).isEqualTo(Duration.ofMillis(3_723_500));
        assertThat(Durations.parse("2h45m")).isEqualTo(Duration.ofMinutes(165));
        assertThat(Durations.parse("1s500ms")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("0m0s")).isZero();
    }

    @Test
    void truncatesFractionsOfANanosecondInsteadOfCallingThemTooLong() {
        assertThat(Durations.parse("1.0000001ms")).isEqualTo(Duration.ofMillis(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1m30", "30s1", "1m-30s", "-1m30s", "1m 30s", "1m30sx", "m30s", "1m30s5d", "1d2h"})
    void rejectsMalformedCompoundDurations(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a duration");
    }

    @Test
    void rejectsCompoundDurationsTooLongToRepresent() {
        assertThatThrownBy(() -> Durations.parse("999999999999h999999999999h")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 292 years");
    }

    @Test
    void positiveConverterRejectsACompoundZero() {
        assertThatThrownBy(() -> new Durations.Positive().convert("0h0m"))
                .hasMessageContaining("greater than zero");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1s", "-1", "1.5.1s", ".5s", "10 s", "", "s", "5d", "1e3", "9999999999999s", "PT-5S", "PTxS"})
    void rejectsGarbageAndNegativeValues(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a duration");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT1000000000000S", "PT9223372036854S", "PT2562047788015215H", "PT9223372036854775807S"})
    void rejectsIsoDurationsTooLongToRepresentInsteadOfOverflowingLater(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 292 years");
    }

    @Test
    void rejectsDurationsTooLongToRepresent() {
        assertThatThrownBy(() -> Durations.parse("999999999999h")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 292 years");
    }

    @Test
    void positiveConverterRejectsZero() {
        assertThatThrownBy(() -> new Durations.Positive().convert("0s"))
                .hasMessageContaining("greater than zero");
        assertThat(new Durations.NonNegative().convert("0s")).isZero();
    }

    @Test
    void formatsForPeople() {
        assertThat(Durations.format(Duration.ofMillis(850))).isEqualTo("850ms");
        assertThat(Durations.format(Duration.ofMillis(12_340))).isEqualTo("12.3s");
        assertThat(Durations.format(Duration.ofSeconds(300))).isEqualTo("5m0s");
    }
}
