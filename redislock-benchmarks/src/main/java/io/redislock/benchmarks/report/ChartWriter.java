package io.redislock.benchmarks.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Draws the summary bar chart (PNG): per scenario, each library's speed relative to that scenario's
 * floor, on a logarithmic axis (1 = the floor, higher is better).
 *
 * <p>Thread-safety: stateless.
 */
public final class ChartWriter {
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
                .yAxisTitle("relative to the floor (log scale; 1 = floor; higher is better)")
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(0.001);
        chart.getStyler().setYAxisMax(2.0);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
        chart.getStyler().setYAxisDecimalPattern("0.###");
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        List<String> xs = new ArrayList<>(groups);
        for (String s : series) {
            List<Double> ys = new ArrayList<>();
            for (String g : xs) {
                Double v = null;
                for (ChartBar b : bars) {
                    if (b.group().equals(g) && b.series().equals(s)) {
                        v = Math.max(0.001, b.value());
                    }
                }
                ys.add(v);
            }
            chart.addSeries(s, xs, ys);
        }
        String file = png.toString();
        String base = file.endsWith(".png") ? file.substring(0, file.length() - 4) : file;
        BitmapEncoder.saveBitmapWithDPI(chart, base, BitmapEncoder.BitmapFormat.PNG, 110);
    }
}
