package dev.ganglion.plot;

import dev.ganglion.nn.Activation;
import dev.ganglion.tensor.Tensor;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

/**
 * A grid of small panels, one per activation function: f(z) and its derivative f'(z), the
 * derivative taken by Ganglion's own automatic differentiation (what training uses), not a
 * hand-written formula.
 */
final class ActivationCurves {
    private ActivationCurves() {
    }

    static final double Z_MIN = -4, Z_MAX = 4;
    static final int POINTS = 401;

    /** Sample points z, f(z) and f'(z) of one activation on [-4, 4]. */
    record Curve(Activation activation, double[] z, double[] value, double[] derivative) {
    }

    /** f and f' at {@code POINTS} evenly spaced z, f' from autograd: d(sum f(z))/dz. */
    static Curve curve(Activation a) {
        if (a instanceof Activation.Softmax) {
            throw new IllegalArgumentException("softmax is not an element-wise function; it has no curve to draw");
        }
        float[] zs = new float[POINTS];
        for (int i = 0; i < POINTS; i++) zs[i] = (float) (Z_MIN + (Z_MAX - Z_MIN) * i / (POINTS - 1));
        Tensor z = Tensor.of(zs, POINTS, 1).requiresGrad(true);
        Tensor f = a.apply(z);
        double[] value = new double[POINTS];
        double[] derivative = new double[POINTS];
        double[] zd = new double[POINTS];
        if (f.requiresGrad()) {
            f.sum().backward();
        }
        Tensor grad = z.grad();
        for (int i = 0; i < POINTS; i++) {
            zd[i] = zs[i];
            value[i] = f.data()[i];
            derivative[i] = grad == null ? 0 : grad.data()[i];
        }
        return new Curve(a, zd, value, derivative);
    }

    static Picture of(List<Activation> activations) {
        if (activations.isEmpty()) throw new IllegalArgumentException("no activation functions to plot");
        List<JFreeChart> panels = new ArrayList<>();
        for (Activation a : activations) panels.add(panel(curve(a)));
        int cols = Math.min(panels.size(), panels.size() == 4 ? 2 : 4);
        int rows = (panels.size() + cols - 1) / cols;
        int cellW = 300, cellH = 250, header = 64, footer = 4;
        int width = Math.max(640, cols * cellW), height = header + rows * cellH + footer;
        int left = (width - cols * cellW) / 2;
        String title = activations.size() == 1 ? "Activation function " + activations.getFirst().name()
                : "Activation functions and their derivatives";
        return new Picture(title, width, height, (Graphics2D g, Rectangle2D area) -> {
            double sx = area.getWidth() / width, sy = area.getHeight() / height;
            AffineTransform saved = g.getTransform();
            g.translate(area.getX(), area.getY());
            g.scale(sx, sy);
            Style.drawCentered(g, title, Style.TITLE, Style.TEXT, width / 2.0, 30);
            Style.drawCentered(g, "solid blue: f(z)    dashed orange: f'(z), the derivative by automatic differentiation",
                    Style.SUBTITLE, Style.MUTED, width / 2.0, 52);
            g.setTransform(saved);
            for (int i = 0; i < panels.size(); i++) {
                int r = i / cols, c = i % cols;
                panels.get(i).draw(g, new Rectangle2D.Double(area.getX() + (left + c * cellW) * sx,
                        area.getY() + (header + r * cellH) * sy, cellW * sx, cellH * sy));
            }
        });
    }

    private static JFreeChart panel(Curve c) {
        XYSeries f = new XYSeries("f(z)", false, true);
        XYSeries d = new XYSeries("f'(z)", false, true);
        for (int i = 0; i < c.z().length; i++) {
            f.add(c.z()[i], c.value()[i]);
            d.add(c.z()[i], c.derivative()[i]);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(f);
        data.addSeries(d);
        NumberAxis x = new NumberAxis("z");
        x.setRange(Z_MIN, Z_MAX);
        NumberAxis y = new NumberAxis(null);
        double lo = Math.min(min(c.value()), min(c.derivative())), hi = Math.max(max(c.value()), max(c.derivative()));
        double pad = Math.max(0.1, (hi - lo) * 0.08);
        y.setRange(lo - pad, hi + pad);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        r.setDrawSeriesLineAsPath(true);
        r.setSeriesPaint(0, Style.BLUE);
        r.setSeriesPaint(1, Style.ORANGE);
        r.setSeriesStroke(0, new BasicStroke(2.2f));
        r.setSeriesStroke(1, new BasicStroke(1.8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[]{6f, 4f}, 0f));
        XYPlot p = new XYPlot(data, x, y, r);
        Style.styleXY(p);
        p.setDomainZeroBaselineVisible(true);
        p.setRangeZeroBaselineVisible(true);
        p.setDomainZeroBaselinePaint(Color.GRAY);
        p.setRangeZeroBaselinePaint(Color.GRAY);
        JFreeChart chart = new JFreeChart(c.activation().name(), Style.AXIS_LABEL, p, false);
        Style.apply(chart);
        chart.getTitle().setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 14));
        return chart;
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : v) m = Math.min(m, x);
        return m;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) m = Math.max(m, x);
        return m;
    }
}
