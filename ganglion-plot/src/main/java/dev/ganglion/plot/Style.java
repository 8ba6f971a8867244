package dev.ganglion.plot;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;

import java.awt.Color;
import java.awt.Font;

/** The shared look of every picture: fonts, the class palette, white plot areas with light grid lines. */
final class Style {
    private Style() {
    }

    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 17);
    static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font AXIS_LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    static final Color GRID = new Color(0xDDDDDD);
    static final Color TEXT = new Color(0x222222);
    static final Color MUTED = new Color(0x666666);

    /** Blue for positive values and training figures, orange (vermillion) for negative ones and validation. */
    static final Color BLUE = new Color(0x0072B2);
    static final Color ORANGE = new Color(0xD55E00);

    /** Okabe-Ito colours, distinguishable with the common colour-vision deficiencies. */
    private static final Color[] PALETTE = {
            new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xE69F00),
            new Color(0xCC79A7), new Color(0x56B4E9), new Color(0x8C6D1F), new Color(0x4D4D4D)};

    /** The colour of class {@code k}: the palette for the first eight, then evenly spread hues. */
    static Color classColor(int k) {
        if (k < PALETTE.length) return PALETTE[k];
        float hue = (float) ((k * 0.618033988749895) % 1.0);
        return Color.getHSBColor(hue, 0.65f, 0.75f);
    }

    /** {@code c} mixed with white: 0 = white, 1 = c. */
    static Color tint(Color c, double amount) {
        double a = Math.clamp(amount, 0, 1);
        return new Color(
                (int) Math.round(255 + (c.getRed() - 255) * a),
                (int) Math.round(255 + (c.getGreen() - 255) * a),
                (int) Math.round(255 + (c.getBlue() - 255) * a));
    }

    /** Applies the house style to a chart with an XY plot. */
    static JFreeChart apply(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(8, 8, 8, 12));
        if (chart.getTitle() != null) {
            chart.getTitle().setFont(TITLE);
            chart.getTitle().setPaint(TEXT);
        }
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setItemFont(SUBTITLE);
            legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
            legend.setPosition(RectangleEdge.BOTTOM);
        }
        if (chart.getPlot() instanceof XYPlot plot) styleXY(plot);
        return chart;
    }

    static void styleXY(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setOutlinePaint(MUTED);
        for (int i = 0; i < plot.getDomainAxisCount(); i++) styleAxis(plot.getDomainAxis(i));
        for (int i = 0; i < plot.getRangeAxisCount(); i++) styleAxis(plot.getRangeAxis(i));
    }

    static void styleAxis(ValueAxis axis) {
        if (axis == null) return;
        axis.setLabelFont(AXIS_LABEL);
        axis.setLabelPaint(TEXT);
        axis.setTickLabelFont(TICK);
        axis.setTickLabelPaint(TEXT);
    }

    static TextTitle subtitle(String text) {
        TextTitle t = new TextTitle(text, SUBTITLE);
        t.setPaint(MUTED);
        return t;
    }

    /** Draws one line of text centred on {@code cx}, with its baseline at {@code baseline}. */
    static void drawCentered(java.awt.Graphics2D g, String text, Font font, Color color, double cx, double baseline) {
        g.setFont(font);
        g.setColor(color);
        java.awt.FontMetrics fm = g.getFontMetrics();
        g.drawString(text, (float) (cx - fm.stringWidth(text) / 2.0), (float) baseline);
    }
}
