package dev.ganglion.plot;

import dev.ganglion.model.Layer;
import dev.ganglion.model.Model;
import dev.ganglion.nn.Dense;
import dev.ganglion.nn.Module;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

/**
 * The network drawn as neurons (circles) in columns, one column per layer, joined by their
 * weights: blue for positive, orange for negative, the line's width and opacity growing with
 * |weight| relative to the largest in that layer. Layers wider than {@link #MAX_SHOWN} show their
 * first and last neurons with a vertical ellipsis and the number left out between them.
 * Chart libraries have no such chart type, so this one is drawn with Java2D shapes onto the same
 * Graphics2D targets (PNG image, SVG document) as the charts.
 */
final class NetworkDiagram {
    private NetworkDiagram() {
    }

    /** At most this many neurons per column are drawn, ellipsis included. */
    static final int MAX_SHOWN = 10;
    static final String ELLIPSIS = "\u22EE";

    /** One column of neurons: its caption, the labels beside it, and the weights arriving from the left. */
    private record Column(String caption, String detail, int units, List<String> labels, float[] weightsIn, int inputs) {
    }

    /** Which neuron indices are shown, in order; -1 marks the ellipsis slot. */
    static int[] shown(int units) {
        if (units <= MAX_SHOWN) {
            int[] all = new int[units];
            for (int i = 0; i < units; i++) all[i] = i;
            return all;
        }
        int head = MAX_SHOWN / 2, tail = MAX_SHOWN - head - 1;
        int[] s = new int[MAX_SHOWN];
        for (int i = 0; i < head; i++) s[i] = i;
        s[head] = -1;
        for (int i = 0; i < tail; i++) s[head + 1 + i] = units - tail + i;
        return s;
    }

    static Picture of(Model model) {
        List<Column> columns = columns(model);
        int maxSlots = 0;
        for (Column c : columns) maxSlots = Math.max(maxSlots, shown(c.units()).length);
        int slot = maxSlots > 8 ? 46 : 58;
        int left = 170, right = 150, top = 96, bottom = 86;
        int spacing = 190;
        int width = Math.max(680, left + right + spacing * (columns.size() - 1));
        int height = top + bottom + slot * Math.max(maxSlots, 3);
        String title = "Network " + model.describe();
        return new Picture(title, width, height, (g, area) -> {
            AffineTransform saved = g.getTransform();
            g.translate(area.getX(), area.getY());
            g.scale(area.getWidth() / width, area.getHeight() / height);
            try {
                paint(g, columns, title, width, height, left, right, top, slot);
            } finally {
                g.setTransform(saved);
            }
        });
    }

    private static List<Column> columns(Model model) {
        List<Column> out = new ArrayList<>();
        List<String> inputs = model.encodedInputNames();
        out.add(new Column("input", inputs.size() + (inputs.size() == 1 ? " feature" : " features"),
                inputs.size(), inputs, null, 0));
        List<Module> modules = model.network().layers();
        List<Layer> arch = model.architecture();
        int denseCount = 0;
        for (Module m : modules) if (m instanceof Dense) denseCount++;
        int seen = 0;
        for (int i = 0; i < modules.size(); i++) {
            if (modules.get(i) instanceof Dense d) {
                seen++;
                boolean last = seen == denseCount;
                StringBuilder extra = new StringBuilder();
                for (int j = i + 1; j < modules.size() && !(modules.get(j) instanceof Dense); j++) {
                    extra.append(extra.isEmpty() ? "+ " : ", ").append(arch.get(j));
                }
                String detail = d.units() + " " + d.activation().name() + (extra.isEmpty() ? "" : " " + extra);
                out.add(new Column(last ? "output" : "hidden " + seen, detail, d.units(),
                        last ? outputLabels(model, d.units()) : List.of(), d.weight().data().clone(), d.inFeatures()));
            }
        }
        return out;
    }

    private static List<String> outputLabels(Model model, int units) {
        List<String> names = model.classNames();
        if (!names.isEmpty()) {
            if (units == 1 && names.size() == 2) return List.of("p(" + names.get(1) + ")");
            if (names.size() == units) return names;
        }
        if (model.isMultiLabel()) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < units; i++) out.add(model.labelNames().get(i) + "=" + model.labelClasses().get(i).get(1));
            return out;
        }
        return model.labelNames().size() == units ? model.labelNames() : List.of();
    }

    private static void paint(Graphics2D g, List<Column> cols, String title, int width, int height,
                              int left, int right, int top, int slot) {
        g.setColor(Color.WHITE);
        g.fill(new Rectangle2D.Double(0, 0, width, height));
        Style.drawCentered(g, title, Style.TITLE, Style.TEXT, width / 2.0, 30);
        Style.drawCentered(g, "weights: blue positive, orange negative; thicker and darker = larger |weight| (relative to its layer)",
                Style.SUBTITLE, Style.MUTED, width / 2.0, 52);
        double plotHeight = height - top - 86;
        double xStep = cols.size() == 1 ? 0 : (double) (width - left - right) / (cols.size() - 1);
        double radius = slot > 50 ? 15 : 12;
        double[][] ys = new double[cols.size()][];
        double[] xs = new double[cols.size()];
        for (int c = 0; c < cols.size(); c++) {
            int[] s = shown(cols.get(c).units());
            xs[c] = left + c * xStep;
            ys[c] = new double[s.length];
            double y0 = top + plotHeight / 2 - (s.length - 1) * slot / 2.0;
            for (int i = 0; i < s.length; i++) ys[c][i] = y0 + i * slot;
        }
        // connections first, so neurons sit on top of them
        for (int c = 1; c < cols.size(); c++) {
            Column col = cols.get(c);
            float[] w = col.weightsIn();
            double max = 0;
            for (float v : w) max = Math.max(max, Math.abs(v));
            int[] to = shown(col.units()), from = shown(col.inputs());
            for (int a = 0; a < to.length; a++) {
                if (to[a] < 0) continue;
                for (int b = 0; b < from.length; b++) {
                    if (from[b] < 0) continue;
                    float v = w[to[a] * col.inputs() + from[b]];
                    double rel = max == 0 ? 0 : Math.abs(v) / max;
                    Color base = v >= 0 ? Style.BLUE : Style.ORANGE;
                    g.setColor(new Color(base.getRed(), base.getGreen(), base.getBlue(), (int) Math.round(255 * (0.18 + 0.77 * rel))));
                    g.setStroke(new BasicStroke((float) (0.6 + 4.4 * rel), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                    g.draw(new Line2D.Double(xs[c - 1], ys[c - 1][b], xs[c], ys[c][a]));
                }
            }
        }
        for (int c = 0; c < cols.size(); c++) {
            Column col = cols.get(c);
            int[] s = shown(col.units());
            for (int i = 0; i < s.length; i++) {
                double x = xs[c], y = ys[c][i];
                if (s[i] < 0) {
                    Style.drawCentered(g, ELLIPSIS, new Font(Font.SANS_SERIF, Font.BOLD, 22), Style.TEXT, x, y + 8);
                    int hidden = col.units() - (s.length - 1);
                    Style.drawCentered(g, hidden + " more", Style.SMALL, Style.MUTED, x + (c == 0 ? -radius - 30 : radius + 30), y + 4);
                    continue;
                }
                Ellipse2D circle = new Ellipse2D.Double(x - radius, y - radius, 2 * radius, 2 * radius);
                g.setColor(c == 0 ? new Color(0xEEEEEE) : Color.WHITE);
                g.fill(circle);
                g.setColor(Style.TEXT);
                g.setStroke(new BasicStroke(1.6f));
                g.draw(circle);
                String label = s[i] < col.labels().size() ? shorten(col.labels().get(s[i])) : null;
                if (label != null && c == 0) drawRight(g, label, x - radius - 8, y + 4);
                if (label != null && c == cols.size() - 1) drawLeft(g, label, x + radius + 8, y + 4);
            }
            Style.drawCentered(g, col.caption(), new Font(Font.SANS_SERIF, Font.BOLD, 13), Style.TEXT, xs[c], height - 52);
            Style.drawCentered(g, col.detail(), Style.SUBTITLE, Style.MUTED, xs[c], height - 34);
        }
    }

    private static String shorten(String s) {
        return s.length() <= 20 ? s : s.substring(0, 19) + "\u2026";
    }

    private static void drawRight(Graphics2D g, String text, double rightEdge, double baseline) {
        g.setFont(Style.SUBTITLE);
        g.setColor(Style.TEXT);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, (float) (rightEdge - fm.stringWidth(text)), (float) baseline);
    }

    private static void drawLeft(Graphics2D g, String text, double x, double baseline) {
        g.setFont(Style.SUBTITLE);
        g.setColor(Style.TEXT);
        g.drawString(text, (float) x, (float) baseline);
    }
}
