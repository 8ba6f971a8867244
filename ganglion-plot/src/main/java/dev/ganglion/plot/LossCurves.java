package dev.ganglion.plot;

import dev.ganglion.train.EpochStats;
import dev.ganglion.train.History;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.util.function.ToDoubleFunction;

/** Loss (and accuracy, where it applies) per epoch: training against validation. */
final class LossCurves {
    private LossCurves() {
    }

    static Picture of(History history, String validationName) {
        if (history.epochs().isEmpty()) throw new IllegalArgumentException("history is empty: no epoch to plot");
        NumberAxis epochAxis = new NumberAxis("epoch");
        epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        epochAxis.setAutoRangeIncludesZero(false);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochAxis);
        plot.setGap(14);
        plot.add(panel(history, "loss", EpochStats::trainLoss, EpochStats::validationLoss, validationName, false), 1);
        boolean accuracy = history.epochs().stream().anyMatch(e -> Double.isFinite(e.trainAccuracy()));
        if (accuracy) {
            plot.add(panel(history, "accuracy", EpochStats::trainAccuracy, EpochStats::validationAccuracy, validationName, true), 1);
        }
        JFreeChart chart = new JFreeChart(accuracy ? "Loss and accuracy per epoch" : "Loss per epoch", Style.TITLE, plot, true);
        Style.apply(chart);
        Style.styleAxis(epochAxis);
        EpochStats last = history.last();
        StringBuilder sub = new StringBuilder(String.format(java.util.Locale.ROOT, "%d epochs; last: train loss %.4f",
                history.epochs().size(), last.trainLoss()));
        if (Double.isFinite(last.validationLoss())) {
            sub.append(String.format(java.util.Locale.ROOT, ", %s loss %.4f", validationName, last.validationLoss()));
        }
        if (Double.isFinite(last.validationAccuracy())) {
            sub.append(String.format(java.util.Locale.ROOT, ", %s accuracy %.4f", validationName, last.validationAccuracy()));
        }
        chart.addSubtitle(Style.subtitle(sub.toString()));
        return Picture.of(chart, chart.getTitle().getText(), 800, accuracy ? 640 : 440);
    }

    private static XYPlot panel(History h, String quantity, ToDoubleFunction<EpochStats> train,
                                ToDoubleFunction<EpochStats> validation, String validationName, boolean unitRange) {
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(series("train " + quantity, h, train));
        XYSeries v = series(validationName + " " + quantity, h, validation);
        if (v.getItemCount() > 0) data.addSeries(v);
        NumberAxis axis = new NumberAxis(quantity);
        axis.setAutoRangeIncludesZero(false);
        if (unitRange) axis.setUpperBound(1.0);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, h.epochs().size() <= 30);
        r.setDrawSeriesLineAsPath(true);
        r.setSeriesPaint(0, Style.BLUE);
        r.setSeriesPaint(1, Style.ORANGE);
        r.setSeriesStroke(0, new BasicStroke(2f));
        r.setSeriesStroke(1, new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[]{7f, 4f}, 0f));
        XYPlot p = new XYPlot(data, null, axis, r);
        Style.styleXY(p);
        if (unitRange) {
            axis.setAutoRange(true);
            double lo = Double.POSITIVE_INFINITY;
            for (EpochStats e : h.epochs()) {
                lo = Math.min(lo, finiteOr(train.applyAsDouble(e), 1));
                lo = Math.min(lo, finiteOr(validation.applyAsDouble(e), 1));
            }
            axis.setRange(Math.max(0, Math.floor((lo - 0.02) * 20) / 20), 1.01);
        }
        return p;
    }

    private static double finiteOr(double v, double fallback) {
        return Double.isFinite(v) ? v : fallback;
    }

    private static XYSeries series(String name, History h, ToDoubleFunction<EpochStats> f) {
        XYSeries s = new XYSeries(name, false, true);
        for (EpochStats e : h.epochs()) {
            double v = f.applyAsDouble(e);
            if (Double.isFinite(v)) s.add(e.epoch(), v);
        }
        return s;
    }
}
