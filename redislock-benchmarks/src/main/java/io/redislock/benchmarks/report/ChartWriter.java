package io.redislock.benchmarks.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Draws the summary bar chart (PNG): per scenario, each library's speed relative to that scenario's
 * baseline (the floor, or redis-benchmark in scenario 3), on a linear axis from 0 with a line at 1 (higher
 * is better). Every bar is labelled with its value; the axis grows to fit the largest.
 *
 * <p>Thread-safety: stateless.
 */
public final class ChartWriter {
    /** The axis reaches at least this far, so that the line at 1 sits in the lower half. */
    static final double MIN_AXIS_MAX = 2.0;
    /** Head room above the largest bar for its label. */
    static final double HEAD_ROOM = 1.15;

    private ChartWriter() {}

    /**
     * Writes the chart.
     *
     * @param bars the bars of all scenarios
     * @param title the chart title
     * @param png the output file (".png" is kept)
     * @throws IOException if it cannot be written
     */
    public static void write(List<ChartBar> bars, String title, Path png) throws IOException {
        Set<String> groups = new LinkedHashSet<>();
        Set<String> series = new LinkedHashSet<>();
        for (ChartBar b : bars) {
            groups.add(b.group());
            series.add(b.series());
        }
        CategoryChart chart = new CategoryChartBuilder()
                .width(1200)
                .height(560)
                .title(title)
                .xAxisTitle("")
                .yAxisTitle("relative to the scenario's baseline (1 = baseline; higher is better)")
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(axisMax(bars));
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
        chart.getStyler().setYAxisDecimalPattern("0.00"); // also the bar labels: two decimals, as in the tables
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        List<String> xs = new ArrayList<>(groups);
        for (String s : series) {
            List<Double> ys = new ArrayList<>();
            for (String g : xs) {
                Double v = null;
                for (ChartBar b : bars) {
                    if (b.group().equals(g) && b.series().equals(s)) {
                        v = b.value();
                    }
                }
                ys.add(v);
            }
            chart.addSeries(s, xs, ys);
        }
        chart.addAnnotation(new AnnotationLine(1.0, false, false));
        String file = png.toString();
        String base = file.endsWith(".png") ? file.substring(0, file.length() - 4) : file;
        BitmapEncoder.saveBitmapWithDPI(chart, base, BitmapEncoder.BitmapFormat.PNG, 110);
    }

    /**
     * The top of the Y axis: {@value #HEAD_ROOM} × the largest bar, at least {@value #MIN_AXIS_MAX}, rounded
     * up to a multiple of a 1-2-5 step that gives at most ten ticks.
     *
     * @param bars the bars
     * @return the axis maximum
     */
    static double axisMax(List<ChartBar> bars) {
        double largest = 0;
        for (ChartBar b : bars) {
            if (Double.isFinite(b.value())) {
                largest = Math.max(largest, b.value());
            }
        }
        double want = Math.max(MIN_AXIS_MAX, HEAD_ROOM * largest);
        double step = niceStep(want / 10);
        return Math.ceil(want / step - 1e-9) * step;
    }

    /** The smallest of 1, 2 or 5 times a power of ten that is at least {@code raw}. */
    private static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw - 1e-12) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
