package dev.ganglion.data;

import dev.ganglion.tensor.ShapeException;
import dev.ganglion.tensor.Tensor;

import java.util.Arrays;
import java.util.Locale;

/**
 * Fills missing values (NaN in coded features, see {@link FeatureEncoding}) with one value per
 * column, fitted on the training part only and stored with the model so that prediction fills
 * them the same way.
 *
 * @param strategy how the values were fitted; {@link Strategy#NONE} fills nothing
 * @param values   one fill value per column (empty for {@code NONE}); for a categorical column the
 *                 index of its category
 */
public record Imputer(Strategy strategy, float[] values) {

    /** How the fill value of a column is chosen. */
    public enum Strategy {
        /** No imputation: a missing value is an error. */
        NONE("none"),
        /** The mean of the column's values. */
        MEAN("mean"),
        /** The median of the column's values (the mean of the two middle ones for an even count). */
        MEDIAN("median"),
        /** The most frequent value; on a tie the smallest (for categories: the first in order). */
        MOST_FREQUENT("most_frequent");

        private final String configName;

        Strategy(String configName) {
            this.configName = configName;
        }

        /** The name used on the command line and in configuration files. */
        public String configName() {
            return configName;
        }

        /** Parses {@code none}, {@code mean}, {@code median} or {@code most_frequent} (also {@code mode}). */
        public static Strategy parse(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT).replace('-', '_')) {
                case "none" -> NONE;
                case "mean" -> MEAN;
                case "median" -> MEDIAN;
                case "most_frequent", "mode" -> MOST_FREQUENT;
                default -> throw new IllegalArgumentException("unknown imputation \"" + text
                        + "\"; known: mean, median, most_frequent");
            };
        }
    }

    public Imputer {
        if (strategy == null) throw new IllegalArgumentException("imputer: strategy must not be null");
        values = values == null ? new float[0] : values.clone();
        if (strategy == Strategy.NONE && values.length != 0) {
            throw new IllegalArgumentException("imputer: strategy none has no fill values");
        }
        for (float v : values) {
            if (!Float.isFinite(v)) throw new IllegalArgumentException("imputer: fill values must be finite, got " + v);
        }
    }

    /** Fills nothing. */
    public static Imputer none() {
        return new Imputer(Strategy.NONE, new float[0]);
    }

    /** Whether this imputer fills missing values. */
    public boolean isActive() {
        return strategy != Strategy.NONE;
    }

    @Override
    public float[] values() {
        return values.clone();
    }

    /** {@code coded [n, columns]} with every NaN replaced by its column's fill value (unchanged if none). */
    public Tensor transform(Tensor coded) {
        if (!isActive()) return coded;
        if (coded.rank() != 2 || coded.shape().dim(1) != values.length) {
            throw new ShapeException("imputer: fitted on " + values.length + " columns, got input " + coded.shape());
        }
        float[] x = coded.data();
        float[] out = null;
        int d = values.length;
        for (int i = 0; i < x.length; i++) {
            if (Float.isNaN(x[i])) {
                if (out == null) out = x.clone();
                out[i] = values[i % d];
            }
        }
        return out == null ? coded : Tensor.of(out, coded.shape().dims());
    }

    /**
     * The fill value of column {@code column} of {@code coded [n, d]} (NaN cells skipped), or NaN
     * when the column has no values.
     */
    static float fitColumn(Strategy strategy, Tensor coded, int column) {
        int n = coded.shape().dim(0), d = coded.shape().dim(1);
        float[] x = coded.data();
        float[] v = new float[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            float value = x[i * d + column];
            if (!Float.isNaN(value)) v[count++] = value;
        }
        if (count == 0) return Float.NaN;
        return switch (strategy) {
            case NONE -> throw new IllegalArgumentException("imputer: strategy none fits nothing");
            case MEAN -> {
                double sum = 0;
                for (int i = 0; i < count; i++) sum += v[i];
                yield (float) (sum / count);
            }
            case MEDIAN -> {
                Arrays.sort(v, 0, count);
                yield count % 2 == 1 ? v[count / 2] : (float) (((double) v[count / 2 - 1] + v[count / 2]) / 2);
            }
            case MOST_FREQUENT -> {
                Arrays.sort(v, 0, count);
                float best = v[0];
                int bestRun = 0;
                for (int i = 0; i < count; ) {
                    int j = i;
                    while (j < count && v[j] == v[i]) j++;
                    if (j - i > bestRun) {
                        bestRun = j - i;
                        best = v[i];
                    }
                    i = j;
                }
                yield best;
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Imputer other && strategy == other.strategy && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return strategy.hashCode() * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Imputer[" + strategy.configName() + (isActive() ? " " + Arrays.toString(values) : "") + "]";
    }
}
