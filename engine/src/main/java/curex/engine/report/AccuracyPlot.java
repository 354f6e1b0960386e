// Renders accuracy curves (mean line and min-max band per method) to PNG and SVG.
package curex.engine.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Held-out accuracy against steps or against total FLOPs, one colour per method. */
public final class AccuracyPlot {
    /** The x axis of a plot. */
    public enum Axis { STEPS, FLOPS }

    private static final Color[] PALETTE = {
            new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
            new Color(0xff7f0e), new Color(0x8c564b)};

    private AccuracyPlot() {
    }

    /** Writes {@code <base>.png} and {@code <base>.svg}. */
    public static void write(Path base, String title, Axis axis, List<SeedBand> bands) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title)
                .xAxisTitle(axis == Axis.STEPS ? "student steps" : "total FLOPs (student + teacher)")
                .yAxisTitle("held-out accuracy").build();
        XYStyler style = chart.getStyler();
        style.setLegendPosition(Styler.LegendPosition.InsideSE);
        style.setChartBackgroundColor(Color.WHITE);
        style.setPlotGridLinesVisible(true);
        style.setYAxisMin(0.4);
        style.setYAxisMax(1.0);
        style.setXAxisLogarithmic(axis == Axis.FLOPS);
        style.setMarkerSize(0);
        for (int i = 0; i < bands.size(); i++) {
            SeedBand b = bands.get(i);
            if (b.mean().length == 0) continue;
            Color c = PALETTE[i % PALETTE.length];
            double[] x = axis == Axis.STEPS ? b.steps() : positive(b.flops());
            int n = x.length;
            double[] px = new double[2 * n], py = new double[2 * n];
            for (int j = 0; j < n; j++) {
                px[j] = x[j];
                py[j] = b.max()[j];
                px[2 * n - 1 - j] = x[j];
                py[2 * n - 1 - j] = b.min()[j];
            }
            XYSeries band = chart.addSeries(b.label() + " (min-max)", px, py);
            band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            band.setFillColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 50));
            band.setLineColor(new Color(0, 0, 0, 0));
            band.setMarker(SeriesMarkers.NONE);
            band.setShowInLegend(false);
            XYSeries line = chart.addSeries(b.label(), x, b.mean());
            line.setLineColor(c);
            line.setMarker(SeriesMarkers.NONE);
        }
        Files.createDirectories(base.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, base.toString(), BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, base.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    }

    /** Log axes cannot show zero: the first point (no compute yet) is moved to a tiny positive value. */
    private static double[] positive(double[] flops) {
        double[] x = flops.clone();
        double smallest = Double.MAX_VALUE;
        for (double v : x) if (v > 0) smallest = Math.min(smallest, v);
        for (int i = 0; i < x.length; i++) if (x[i] <= 0) x[i] = smallest == Double.MAX_VALUE ? 1 : smallest / 2;
        return x;
    }
}
