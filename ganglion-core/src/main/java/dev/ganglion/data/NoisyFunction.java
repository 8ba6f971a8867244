package dev.ganglion.data;

import dev.ganglion.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * A regression data set with a known answer: y = f(x1, x2) + ε with
 * f(x1, x2) = sin(2·x1) + 0.5·x2² − x1·x2, x1 and x2 uniform on [−2, 2], and Gaussian noise ε of
 * standard deviation {@code noise}. Since f is known, the best R² any model can reach on a sample
 * is that of f itself ({@link #optimalR2}): what is left is the noise.
 */
public final class NoisyFunction {
    private NoisyFunction() {
    }

    /** The noise-free function. */
    public static double f(double x1, double x2) {
        return Math.sin(2 * x1) + 0.5 * x2 * x2 - x1 * x2;
    }

    /** {@code n} samples: features [n, 2] (x1, x2), targets [n, 1] (y). */
    public static Dataset generate(int n, double noise, long seed) {
        if (n < 0) throw new IllegalArgumentException("noisy function: sample count must be >= 0, got " + n);
        if (!(noise >= 0)) throw new IllegalArgumentException("noisy function: noise must be >= 0, got " + noise);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[2 * n], y = new float[n];
        for (int i = 0; i < n; i++) {
            double x1 = rng.nextDouble(-2, 2), x2 = rng.nextDouble(-2, 2);
            x[2 * i] = (float) x1;
            x[2 * i + 1] = (float) x2;
            y[i] = (float) (f(x1, x2) + noise * rng.nextGaussian());
        }
        return new Dataset(Tensor.of(x, n, 2), Tensor.of(y, n, 1));
    }

    /** The R² of the true function f on {@code data}: the ceiling set by the noise. */
    public static double optimalR2(Dataset data) {
        float[] x = data.features().data(), y = data.targets().data();
        int n = data.size();
        double mean = 0;
        for (float v : y) mean += v;
        mean /= n;
        double residual = 0, total = 0;
        for (int i = 0; i < n; i++) {
            double e = y[i] - f(x[2 * i], x[2 * i + 1]);
            residual += e * e;
            total += (y[i] - mean) * (y[i] - mean);
        }
        return 1 - residual / total;
    }
}
