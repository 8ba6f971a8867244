package dev.ganglion.data;

import dev.ganglion.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * The classic first example: given a background colour (R, G, B in 0..255), should text on it be
 * light (1) or dark (0)? Labels come from the background's brightness by one of two rules.
 *
 * <ul>
 *   <li>{@link Rule#LUMA} (the default, as in the tutorials): the relative luminance in its simple
 *       form, the luma Y′ = 0.299·R + 0.587·G + 0.114·B of the gamma-encoded channels (ITU-R BT.601
 *       weights), on 0..255. Light font when Y′ &lt; {@value #LUMA_THRESHOLD} (mid-grey), else dark.
 *       The boundary is a plane, so a 3-3-1 network learns it to about 99%.</li>
 *   <li>{@link Rule#WCAG}: the WCAG 2 relative luminance L of the linearised channels
 *       (c ≤ 0.04045 ? c/12.92 : ((c + 0.055)/1.055)^2.4, L = 0.2126·R + 0.7152·G + 0.0722·B). White
 *       text has the better contrast exactly when L &lt; √(1.05·0.05) − 0.05 ≈ 0.179. The boundary is
 *       curved: a 3-3-1 network fits it to about 98% from some starting weights and settles at a
 *       near-linear 93% from others, a good exercise in what hidden units buy.</li>
 * </ul>
 */
public final class FontColors {
    /** Luma threshold on 0..255 below which light text is chosen. */
    public static final double LUMA_THRESHOLD = 128.0;
    /** √(1.05 · 0.05) − 0.05: the WCAG luminance where white and black text have equal contrast. */
    public static final double WCAG_THRESHOLD = 0.17912878474779200;

    /** How a colour is labelled. */
    public enum Rule {
        /** Y′ = 0.299·R + 0.587·G + 0.114·B &lt; 128 → light font. */
        LUMA,
        /** WCAG relative luminance &lt; 0.179 → light font. */
        WCAG
    }

    private FontColors() {
    }

    /** The BT.601 luma of a colour with channels in 0..255, on 0..255. */
    public static double luma(double r, double g, double b) {
        return 0.299 * r + 0.587 * g + 0.114 * b;
    }

    /** WCAG relative luminance (0 = black, 1 = white) of an sRGB colour with channels in 0..255. */
    public static double relativeLuminance(double r, double g, double b) {
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    }

    private static double linear(double channel) {
        double c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    /** 1 (light font) if the background is dark by {@code rule}, else 0 (dark font). */
    public static int label(Rule rule, double r, double g, double b) {
        return switch (rule) {
            case LUMA -> luma(r, g, b) < LUMA_THRESHOLD ? 1 : 0;
            case WCAG -> relativeLuminance(r, g, b) < WCAG_THRESHOLD ? 1 : 0;
        };
    }

    /** {@code n} random colours labelled by the default rule, {@link Rule#LUMA}. */
    public static Dataset generate(int n, long seed) {
        return generate(n, seed, Rule.LUMA);
    }

    /** {@code n} random integer colours (uniform in 0..255 per channel) with their labels. */
    public static Dataset generate(int n, long seed, Rule rule) {
        if (n < 0) throw new IllegalArgumentException("font colours: sample count must be >= 0, got " + n);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * 3], y = new float[n];
        for (int i = 0; i < n; i++) {
            int r = rng.nextInt(256), g = rng.nextInt(256), b = rng.nextInt(256);
            x[i * 3] = r;
            x[i * 3 + 1] = g;
            x[i * 3 + 2] = b;
            y[i] = label(rule, r, g, b);
        }
        return new Dataset(Tensor.of(x, n, 3), Tensor.of(y, n, 1));
    }
}
