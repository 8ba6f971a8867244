package dev.ganglion.testing;

import dev.ganglion.tensor.Tensor;

import java.util.random.RandomGenerator;

/**
 * Seeded test inputs that keep gradient checks well-conditioned: values away from kinks, bases
 * away from zero, maxima separated from the runner-up by far more than the finite-difference step.
 */
public final class Gen {
    private Gen() {
    }

    /** Uniform in [lo, hi). */
    public static Tensor uniform(RandomGenerator rng, double lo, double hi, int... shape) {
        return Tensor.uniform(rng, (float) lo, (float) hi, shape);
    }

    /** Uniform in [lo, hi), but never within {@code margin} of any of {@code kinks}. */
    public static Tensor awayFrom(RandomGenerator rng, double lo, double hi, double margin, double[] kinks, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            float v;
            do {
                v = (float) (lo + (hi - lo) * rng.nextDouble());
            } while (near(v, kinks, margin));
            d[i] = v;
        }
        return t;
    }

    private static boolean near(float v, double[] kinks, double margin) {
        for (double k : kinks) if (Math.abs(v - k) < margin) return true;
        return false;
    }

    /** Magnitudes in [minAbs, maxAbs) with random signs: safe divisors. */
    public static Tensor nonZero(RandomGenerator rng, double minAbs, double maxAbs, int... shape) {
        Tensor t = uniform(rng, minAbs, maxAbs, shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) if (rng.nextBoolean()) d[i] = -d[i];
        return t;
    }

    /**
     * Values k·0.5 + offset for random integers k in [-4, 4]: two such tensors with offsets 0 and
     * 0.25 never come closer than 0.25, so maximum/minimum have no ties within a step of 1e-2.
     */
    public static Tensor grid(RandomGenerator rng, double offset, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) ((rng.nextInt(9) - 4) * 0.5 + offset);
        return t;
    }

    /** A random permutation of the values 0.1·i − c: all distinct, 0.1 apart (no ties for max). */
    public static Tensor distinct(RandomGenerator rng, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        int n = d.length;
        for (int i = 0; i < n; i++) d[i] = (float) (0.1 * i - 0.05 * n);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            float tmp = d[i];
            d[i] = d[j];
            d[j] = tmp;
        }
        return t;
    }

    /** A random shape of rank 0..maxRank with dimensions 1..maxDim. */
    public static int[] shape(RandomGenerator rng, int minRank, int maxRank, int maxDim) {
        int rank = minRank + rng.nextInt(maxRank - minRank + 1);
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) s[i] = 1 + rng.nextInt(maxDim);
        return s;
    }
}
