package io.redislock.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ChartWriterTest {
    private static List<ChartBar> bars(double... values) {
        return java.util.Arrays.stream(values).mapToObj(v -> new ChartBar("g", "s" + v, v)).toList();
    }

    @Test
    void theAxisIsAtLeastTwoAndFitsTheLargestBarWithHeadRoom() {
        assertThat(ChartWriter.axisMax(bars(0.125, 1.0))).isEqualTo(2.0);
        assertThat(ChartWriter.axisMax(bars(1.0, 3.5))).isGreaterThanOrEqualTo(3.5 * 1.15).isEqualTo(4.5);
        assertThat(ChartWriter.axisMax(bars(12.0))).isEqualTo(14.0);
        assertThat(ChartWriter.axisMax(bars(0.0004))).isEqualTo(2.0);
        assertThat(ChartWriter.axisMax(List.of())).isEqualTo(2.0);
    }

    @Test
    void writesAPngWithBarsAboveTheOldCapAndBelowTheOldClamp(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("chart.png");
        ChartWriter.write(List.of(new ChartBar("1. a", "redislock", 3.5), new ChartBar("1. a", "floor", 1.0),
                new ChartBar("3. b", "redislock", 0.0004), new ChartBar("3. b", "redis-benchmark", 1.0)),
                "test", png);
        assertThat(Files.size(png)).isPositive();
        String keep = System.getProperty("chartwriter.test.copy");
        if (keep != null) {
            Files.copy(png, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
