package io.redislock.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class BenchOptionsTest {
    private static BenchOptions parse(String... args) {
        return BenchOptions.parse(args, 7);
    }

    @Test
    void onlyAFullRunOfEveryScenarioWritesToDocsBenchmarks() {
        Path docs = Path.of("docs", "benchmarks");
        Path target = Path.of("target", "benchmarks");
        assertThat(parse().out()).isEqualTo(docs);
        assertThat(parse("--scenarios", "1,2,3,4,5").out()).isEqualTo(docs);
        assertThat(parse("--scenarios", "4").out()).isEqualTo(target);
        assertThat(parse("--quick").out()).isEqualTo(target);
        assertThat(parse("--diagnose").out()).isEqualTo(target);
        assertThat(parse("--scenarios", "4", "--out", "/x").out()).isEqualTo(Path.of("/x"));
    }

    @Test
    void theCommandEchoesTheArgumentsAsGiven() {
        assertThat(parse("--quick", "--scenarios", "3").command()).isEqualTo("./benchmark --quick --scenarios 3");
        assertThat(parse().command()).isEqualTo("./benchmark");
        assertThat(parse("--out", "my dir").command()).isEqualTo("./benchmark --out 'my dir'");
    }

    @Test
    void aBadNumberNamesTheOptionAndTheExpectedForm() {
        assertThatThrownBy(() -> parse("--seed", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--seed takes an integer, e.g. --seed 42, got \"x\"");
        assertThatThrownBy(() -> parse("--scenarios", "1,two"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--scenarios takes numbers 1 to 5");
        assertThatThrownBy(() -> parse("--scenarios", "6")).hasMessageContaining("1 to 5, got 6");
        assertThatThrownBy(() -> parse("--seed")).hasMessage("--seed needs a value");
    }

    @Test
    void helpParsesToNull() {
        assertThat(parse("--help")).isNull();
    }
}
