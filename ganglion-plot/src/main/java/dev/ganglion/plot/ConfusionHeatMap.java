package dev.ganglion.plot;

import dev.ganglion.metrics.ConfusionMatrix;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYZDataset;

import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.util.List;
import java.util.Locale;

/**
 * The confusion matrix as a heat map: true class down the side, predicted class along the bottom,
 * each cell's count written in it and its colour the share of its row (so the diagonal shows
 * each class's recall, whatever the class sizes).
 */
final class ConfusionHeatMap {
    private ConfusionHeatMap() {
    }

    static Picture of(ConfusionMatrix m, List<String> classNames) {
        int k = m.classCount();
        int[] labels = m.labels();
        String[] names = new String[k];
        for (int i = 0; i < k; i++) {
            int label = labels[i];
            names[i] = label < classNames.size() ? classNames.get(label) : Integer.toString(label);
        }
        int[][] counts = m.counts();
        double[] xs = new double[k * k], ys = new double[k * k], zs = new double[k * k];
        for (int t = 0; t < k; t++) {
            long rowTotal = 0;
            for (int p = 0; p < k; p++) rowTotal += counts[t][p];
            for (int p = 0; p < k; p++) {
                int i = t * k + p;
                xs[i] = p;
                ys[i] = t;
                zs[i] = rowTotal == 0 ? 0 : (double) counts[t][p] / rowTotal;
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("share of the true class", new double[][]{xs, ys, zs});
        SymbolAxis predicted = new SymbolAxis("predicted class", names);
        SymbolAxis truth = new SymbolAxis("true class", names);
        truth.setInverted(true);
        predicted.setGridBandsVisible(false);
        truth.setGridBandsVisible(false);
        predicted.setRange(-0.5, k - 0.5);
        truth.setRange(-0.5, k - 0.5);
        int longest = 0;
        for (String name : names) longest = Math.max(longest, name.length());
        // turn the class names on the bottom axis when they would not fit side by side
        if ((long) k * (longest + 2) > 90) predicted.setVerticalTickLabels(true);
        XYBlockRenderer r = new XYBlockRenderer();
        r.setPaintScale(new Blues());
        XYPlot plot = new XYPlot(data, predicted, truth, r);
        Style.styleXY(plot);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setRangeAxisLocation(AxisLocation.TOP_OR_LEFT);
        int fontSize = k <= 4 ? 20 : k <= 10 ? 14 : k <= 20 ? 10 : 8;
        Font cellFont = new Font(Font.SANS_SERIF, Font.BOLD, fontSize);
        for (int i = 0; i < k * k; i++) {
            XYTextAnnotation a = new XYTextAnnotation(Integer.toString(counts[(int) ys[i]][(int) xs[i]]), xs[i], ys[i]);
            a.setFont(cellFont);
            a.setTextAnchor(TextAnchor.CENTER);
            a.setPaint(zs[i] > 0.55 ? Color.WHITE : Style.TEXT);
            plot.addAnnotation(a);
        }
        long total = m.total();
        String title = "Confusion matrix";
        JFreeChart chart = new JFreeChart(title, Style.TITLE, plot, false);
        Style.apply(chart);
        Style.styleAxis(predicted);
        Style.styleAxis(truth);
        chart.addSubtitle(Style.subtitle(String.format(Locale.ROOT,
                "%d samples, %d correct (accuracy %.4f); colour = share of the true class's row", total, m.correct(),
                total == 0 ? Double.NaN : (double) m.correct() / total)));
        int side = Math.clamp(140L + 70L * k, 420, 1100);
        return Picture.of(chart, title, (int) side + 120, (int) side + 60);
    }

    /** White (0) to dark blue (1). */
    private static final class Blues implements PaintScale {
        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return 1;
        }

        @Override
        public Paint getPaint(double value) {
            double v = Double.isFinite(value) ? Math.clamp(value, 0, 1) : 0;
            return Style.tint(new Color(0x08306B), 0.04 + 0.96 * v);
        }
    }
}
