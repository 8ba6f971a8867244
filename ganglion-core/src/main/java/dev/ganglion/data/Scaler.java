package dev.ganglion.data;

import dev.ganglion.tensor.ShapeException;
import dev.ganglion.tensor.Tensor;

import java.util.Locale;

/**
 * Feature preprocessing, fitted on the training part only and stored with the model so that
 * prediction applies exactly the same transformation. A closed set.
 */
public sealed interface Scaler {

    /** Applies the scaling to {@code features [n, d]}, returning a new tensor. */
    Tensor transform(Tensor features);

    /** The name used in configuration files: none, divide, minmax, standard. */
    String kind();

    /** Leaves features unchanged. */
    record None() implements Scaler {
        public Tensor transform(Tensor features) {
            return features;
        }

        public String kind() {
            return "none";
        }
    }

    /** x / divisor, e.g. 255 to bring RGB values into [0, 1] as the classic tutorial does. */
    record Divide(float divisor) implements Scaler {
        public Divide {
            if (!(divisor != 0f) || !Float.isFinite(divisor)) {
                throw new IllegalArgumentException("scale: divisor must be a non-zero number, got " + divisor);
            }
        }

        public Tensor transform(Tensor features) {
            return features.div(divisor);
        }

        public String kind() {
            return "divide";
        }
    }

    /** (x − min) / (max − min) per feature, into [0, 1] on the training data. */
    record MinMax(float[] min, float[] max) implements Scaler {
        public Tensor transform(Tensor features) {
            check(features, min.length, "minmax");
            float[] x = features.data().clone();
            int d = min.length;
            for (int i = 0; i < x.length; i++) {
                int j = i % d;
                float range = max[j] - min[j];
                x[i] = range == 0f ? 0f : (x[i] - min[j]) / range;
            }
            return Tensor.of(x, features.shape().dims());
        }

        public String kind() {
            return "minmax";
        }
    }

    /** (x − mean) / std per feature (std 1 where a feature is constant). */
    record Standard(float[] mean, float[] std) implements Scaler {
        public Tensor transform(Tensor features) {
            check(features, mean.length, "standard");
            float[] x = features.data().clone();
            int d = mean.length;
            for (int i = 0; i < x.length; i++) {
                int j = i % d;
                x[i] = (x[i] - mean[j]) / std[j];
            }
            return Tensor.of(x, features.shape().dims());
        }

        public String kind() {
            return "standard";
        }
    }

    private static void check(Tensor features, int d, String name) {
        if (features.rank() != 2 || features.shape().dim(1) != d) {
            throw new ShapeException(name + " scaler: fitted on " + d + " features, got input " + features.shape());
        }
    }

    /** Fits min-max scaling on {@code features [n, d]}. */
    static MinMax fitMinMax(Tensor features) {
        int n = features.shape().dim(0), d = features.shape().dim(1);
        float[] x = features.data(), min = new float[d], max = new float[d];
        java.util.Arrays.fill(min, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) {
                min[j] = Math.min(min[j], x[i * d + j]);
                max[j] = Math.max(max[j], x[i * d + j]);
            }
        return new MinMax(min, max);
    }

    /** Fits standardisation on {@code features [n, d]} (population standard deviation). */
    static Standard fitStandard(Tensor features) {
        int n = features.shape().dim(0), d = features.shape().dim(1);
        float[] x = features.data(), mean = new float[d], std = new float[d];
        for (int j = 0; j < d; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) s += x[i * d + j];
            double mu = s / Math.max(1, n);
            double v = 0;
            for (int i = 0; i < n; i++) v += (x[i * d + j] - mu) * (x[i * d + j] - mu);
            double sd = Math.sqrt(v / Math.max(1, n));
            mean[j] = (float) mu;
            std[j] = sd > 1e-12 ? (float) sd : 1f;
        }
        return new Standard(mean, std);
    }

    /** Fits the named kind ({@code minmax} or {@code standard}) on training features. */
    static Scaler fit(String kind, Tensor features) {
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "minmax", "min_max" -> fitMinMax(features);
            case "standard", "standardize", "zscore" -> fitStandard(features);
            case "none" -> new None();
            default -> throw new IllegalArgumentException("unknown normalization \"" + kind + "\"; known: minmax, standard");
        };
    }
}
