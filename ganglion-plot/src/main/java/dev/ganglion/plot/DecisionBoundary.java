package dev.ganglion.plot;

import dev.ganglion.model.LayerSpec;
import dev.ganglion.model.Model;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Loss;
import dev.ganglion.tensor.Tensor;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYShapeAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The decision regions of a classifier with two numeric inputs: the plane is sampled on a grid,
 * each cell shaded in the colour of the class the model predicts there (paler where it is less
 * sure), with the data points on top in their true class's colour. Axes are in raw feature units:
 * the grid goes through the model's stored preprocessing, exactly as {@link Model#predict} does.
 */
final class DecisionBoundary {
    private DecisionBoundary() {
    }

    /** Grid cells per axis. */
    static final int GRID = 160;
    /** At most this many data points are drawn (evenly spaced through the data). */
    static final int MAX_POINTS = 3000;
    static final int WIDTH = 720, HEIGHT = 640;

    /** The chart and where its axes map values to pixels, for tests. */
    record Built(Picture picture, JFreeChart chart) {
        /** The pixel of raw features (x, y) in a rendering of the picture at its own size. */
        Point2D pixelOf(double x, double y) {
            ChartRenderingInfo info = new ChartRenderingInfo();
            BufferedImage img = new BufferedImage(picture.width(), picture.height(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            chart.draw(g, new Rectangle2D.Double(0, 0, picture.width(), picture.height()), info);
            g.dispose();
            Rectangle2D area = info.getPlotInfo().getDataArea();
            XYPlot plot = chart.getXYPlot();
            return new Point2D.Double(
                    plot.getDomainAxis().valueToJava2D(x, area, plot.getDomainAxisEdge()),
                    plot.getRangeAxis().valueToJava2D(y, area, plot.getRangeAxisEdge()));
        }
    }

    static Built build(Model model, Tensor rawFeatures, int[] labels) {
        check(model);
        if (rawFeatures.rank() != 2 || rawFeatures.shape().dim(1) != 2) {
            throw new IllegalArgumentException("decision boundary: data must have 2 feature columns "
                    + model.inputNames() + ", got shape " + rawFeatures.shape());
        }
        int n = rawFeatures.shape().dim(0);
        if (n == 0) throw new IllegalArgumentException("decision boundary: no data points to set the axes' ranges");
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException("decision boundary: " + n + " data rows but " + labels.length + " labels");
        }
        float[] xy = rawFeatures.data();
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = x0, y1 = x1;
        for (int i = 0; i < n; i++) {
            double x = xy[2 * i], y = xy[2 * i + 1];
            if (!Double.isFinite(x) || !Double.isFinite(y)) continue;
            x0 = Math.min(x0, x);
            x1 = Math.max(x1, x);
            y0 = Math.min(y0, y);
            y1 = Math.max(y1, y);
        }
        if (!Double.isFinite(x0)) throw new IllegalArgumentException("decision boundary: no data row has two finite values");
        double[] xr = padded(x0, x1), yr = padded(y0, y1);

        int k = Math.max(2, model.classNames().size());
        double cw = (xr[1] - xr[0]) / GRID, ch = (yr[1] - yr[0]) / GRID;
        float[] grid = new float[GRID * GRID * 2];
        for (int j = 0; j < GRID; j++) {
            for (int i = 0; i < GRID; i++) {
                int c = j * GRID + i;
                grid[2 * c] = (float) (xr[0] + (i + 0.5) * cw);
                grid[2 * c + 1] = (float) (yr[0] + (j + 0.5) * ch);
            }
        }
        Tensor outputs = model.predict(Tensor.of(grid, GRID * GRID, 2));
        int[] cls = model.classify(outputs);
        double[] conf = confidence(model, outputs);
        int[] level = new int[GRID * GRID];
        for (int c = 0; c < GRID * GRID; c++) {
            // how sure, 0 = chance to 1 = certain, in LEVELS bands
            double strength = Math.clamp((conf[c] - 1.0 / k) / (1 - 1.0 / k), 0, 1);
            level[c] = cls[c] * LEVELS + Math.min(LEVELS - 1, (int) (strength * LEVELS));
        }
        XYSeriesCollection points = new XYSeriesCollection();
        List<String> names = model.classNames();
        int step = Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
        XYSeries[] byClass = new XYSeries[labels == null ? 1 : k];
        for (int c = 0; c < byClass.length; c++) {
            String name = labels == null ? "data" : (c < names.size() ? names.get(c) : "class " + c);
            byClass[c] = new XYSeries(name, false, true);
        }
        for (int i = 0; i < n; i += step) {
            int c = labels == null ? 0 : labels[i];
            if (c < 0 || c >= byClass.length) continue;
            byClass[c].add(xy[2 * i], xy[2 * i + 1]);
        }
        XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
        double size = n / step > 800 ? 5 : 8;
        for (int c = 0; c < byClass.length; c++) {
            points.addSeries(byClass[c]);
            dots.setSeriesShape(c, new Ellipse2D.Double(-size / 2, -size / 2, size, size));
            dots.setSeriesPaint(c, labels == null ? Color.DARK_GRAY : Style.classColor(c));
        }
        dots.setUseOutlinePaint(true);
        dots.setDefaultOutlinePaint(Color.WHITE);
        dots.setDrawOutlines(true);

        NumberAxis xAxis = new NumberAxis(model.inputNames().get(0));
        NumberAxis yAxis = new NumberAxis(model.inputNames().get(1));
        xAxis.setRange(xr[0], xr[1]);
        yAxis.setRange(yr[0], yr[1]);
        addRegions(dots, level, xr[0], yr[0], cw, ch);
        XYPlot plot = new XYPlot(points, xAxis, yAxis, dots);
        Style.styleXY(plot);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        String title = "Decision regions";
        JFreeChart chart = new JFreeChart(title, Style.TITLE, plot, true);
        Style.apply(chart);
        chart.addSubtitle(Style.subtitle("network " + model.describe()));
        chart.addSubtitle(Style.subtitle("shading: the predicted class, paler where the model is less sure; points: "
                + (labels == null ? "the data" : "the data, coloured by true class")));
        return new Built(Picture.of(chart, title + " of " + model.describe(), WIDTH, HEIGHT), chart);
    }

    /**
     * Shades the plane behind the points: each grid row's runs of equal (class, band) cells become
     * one rectangle, so an SVG holds a few hundred shapes rather than one per cell. Each rectangle
     * reaches half a cell into its right and upper neighbours, which are drawn later and cover
     * the overlap, so anti-aliased edges leave no hairline gaps.
     */
    private static void addRegions(XYLineAndShapeRenderer renderer, int[] level, double x0, double y0, double cw, double ch) {
        for (int j = 0; j < GRID; j++) {
            int i = 0;
            while (i < GRID) {
                int start = i, v = level[j * GRID + i];
                while (i < GRID && level[j * GRID + i] == v) i++;
                Rectangle2D cell = new Rectangle2D.Double(x0 + start * cw, y0 + j * ch,
                        (i - start + (i < GRID ? 0.5 : 0)) * cw, (j < GRID - 1 ? 1.5 : 1) * ch);
                renderer.addAnnotation(new XYShapeAnnotation(cell, null, null, shade(v)), Layer.BACKGROUND);
            }
        }
    }

    /** Bands of confidence per class: a pale tint of the class colour where unsure, a stronger one where sure. */
    static final int LEVELS = 5;

    static Color shade(int level) {
        int c = level / LEVELS, band = level % LEVELS;
        return Style.tint(Style.classColor(c), 0.12 + 0.38 * (band + 0.5) / LEVELS);
    }

    /** Checks that a model can have its decision regions drawn; the message names what is wrong. */
    static void check(Model model) {
        if (model.inputCount() != 2) {
            throw new IllegalArgumentException("decision boundary needs a model with exactly 2 inputs, this one has "
                    + model.inputCount() + " " + model.inputNames() + " (network " + model.describe() + ")");
        }
        for (int j = 0; j < 2; j++) {
            if (model.encoding().isCategorical(j)) {
                throw new IllegalArgumentException("decision boundary needs 2 numeric inputs; input \""
                        + model.inputNames().get(j) + "\" is categorical");
            }
        }
        if (!model.isClassifier()) {
            throw new IllegalArgumentException("decision boundary needs a single-label classifier; this model "
                    + (model.isMultiLabel() ? "predicts several labels " + model.labelNames() : "is a regression model"));
        }
    }

    /** The probability of the predicted class per row. */
    private static double[] confidence(Model model, Tensor outputs) {
        int n = outputs.shape().dim(0), m = outputs.shape().dim(1);
        float[] o = outputs.data();
        double[] out = new double[n];
        Activation last = ((LayerSpec) model.architecture().getLast()).activation();
        if (m == 1) {
            boolean logits = model.loss() instanceof Loss.BinaryCrossEntropyWithLogits || !(last instanceof Activation.Sigmoid);
            for (int i = 0; i < n; i++) {
                double p = logits ? 1 / (1 + Math.exp(-o[i])) : o[i];
                out[i] = Math.max(p, 1 - p);
            }
            return out;
        }
        boolean probabilities = last instanceof Activation.Softmax;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) max = Math.max(max, o[i * m + j]);
            if (probabilities) {
                out[i] = max;
            } else {
                double sum = 0;
                for (int j = 0; j < m; j++) sum += Math.exp(o[i * m + j] - max);
                out[i] = 1 / sum;
            }
        }
        return out;
    }

    private static double[] padded(double lo, double hi) {
        double span = hi - lo;
        double pad = span > 0 ? span * 0.08 : Math.max(1, Math.abs(lo) * 0.1);
        return new double[]{lo - pad, hi + pad};
    }
}
