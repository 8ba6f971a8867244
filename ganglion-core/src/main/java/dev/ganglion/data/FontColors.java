package dev.ganglion.data;

import dev.ganglion.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * The classic first example: given a background colour (R, G, B in 0..255), should text on it be
 * light (1) or dark (0)?
 *
 * <p>The rule: compute the background's relative luminance L (WCAG 2: each channel c/255 is
 * linearised, c ≤ 0.04045 ? c/12.92 : ((c + 0.055)/1.055)^2.4, then
 * L = 0.2126·R + 0.7152·G + 0.0722·B). White text contrasts better than black exactly when
 * (1.05)/(L + 0.05) &gt; (L + 0.05)/(0.05), i.e. when L &lt; {@value #LUMINANCE_THRESHOLD} (to 3 figures).
 * So the label is 1 (light font) for L &lt; 0.179, else 0 (dark font).
 */
public final class FontColors {
    /** √(1.05 · 0.05) − 0.05: the luminance where white and black text have equal contrast. */
    public static final double LUMINANCE_THRESHOLD = 0.17912878474779200;

    private FontColors() {
    }

    /** Relative luminance (0 = black, 1 = white) of an sRGB colour with channels in 0..255. */
    public static double luminance(double r, double g, double b) {
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    }

    private static double linear(double channel) {
        double c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    /** 1 (light font) if the background is dark by the rule above, else 0 (dark font). */
    public static int label(double r, double g, double b) {
        return luminance(r, g, b) < LUMINANCE_THRESHOLD ? 1 : 0;
    }

    /** {@code n} random integer colours (uniform in 0..255 per channel) with their labels. */
    public static Dataset generate(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * 3], y = new float[n];
        for (int i = 0; i < n; i++) {
            int r = rng.nextInt(256), g = rng.nextInt(256), b = rng.nextInt(256);
            x[i * 3] = r;
            x[i * 3 + 1] = g;
            x[i * 3 + 2] = b;
            y[i] = label(r, g, b);
        }
        return new Dataset(Tensor.of(x, n, 3), Tensor.of(y, n, 1));
    }
}
