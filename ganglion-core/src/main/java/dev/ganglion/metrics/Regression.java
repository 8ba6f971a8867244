package dev.ganglion.metrics;

import dev.ganglion.tensor.ShapeException;
import dev.ganglion.tensor.Tensor;

/**
 * Regression metrics with scikit-learn's definitions: mean squared error, its root, mean absolute
 * error and R² (coefficient of determination). Sums are taken in double precision.
 *
 * <p>R² of constant true values (Σ(y − ȳ)² = 0) is 1 if the predictions are exact and 0 otherwise,
 * as scikit-learn's {@code force_finite=True}, rather than NaN or −∞. Tensors of shape
 * {@code [n, k]} are k outputs: each metric is computed per column and averaged with equal weights
 * (scikit-learn's {@code multioutput="uniform_average"}). Empty inputs, mismatched lengths and
 * non-finite values are an {@link IllegalArgumentException} naming the metric.
 */
public final class Regression {
    private Regression() {
    }

    /** Mean squared error, mean((ŷ − y)²). */
    public static double mse(float[] yTrue, float[] yPred) {
        return column(yTrue, yPred, 0, 1, yTrue == null ? 0 : yTrue.length, "mse").mse;
    }

    /** Root mean squared error, √MSE, in the units of y. */
    public static double rmse(float[] yTrue, float[] yPred) {
        return Math.sqrt(mse(yTrue, yPred));
    }

    /** Mean absolute error, mean|ŷ − y|: less swayed by a few large errors than MSE. */
    public static double mae(float[] yTrue, float[] yPred) {
        return column(yTrue, yPred, 0, 1, yTrue == null ? 0 : yTrue.length, "mae").mae;
    }

    /** R² = 1 − Σ(ŷ − y)² / Σ(y − ȳ)²: the share of the variance of y that the predictions explain. */
    public static double r2(float[] yTrue, float[] yPred) {
        return column(yTrue, yPred, 0, 1, yTrue == null ? 0 : yTrue.length, "r2").r2;
    }

    /** All four metrics of one output. */
    public static RegressionReport report(float[] yTrue, float[] yPred) {
        Column c = column(yTrue, yPred, 0, 1, yTrue == null ? 0 : yTrue.length, "report");
        return new RegressionReport(yTrue.length, 1, c.mse, Math.sqrt(c.mse), c.mae, c.r2);
    }

    /**
     * All four metrics of tensors of the same shape: {@code [n]} or {@code [n, 1]} for one output,
     * {@code [n, k]} for k outputs (per-column values averaged uniformly).
     */
    public static RegressionReport report(Tensor yTrue, Tensor yPred) {
        if (!yTrue.shape().equals(yPred.shape())) {
            throw new ShapeException("regression report: y_true " + yTrue.shape() + " and y_pred " + yPred.shape()
                    + " differ in shape");
        }
        if (yTrue.rank() != 1 && yTrue.rank() != 2) {
            throw new ShapeException("regression report: needs [n] or [n, outputs], got " + yTrue.shape());
        }
        int n = yTrue.shape().dim(0);
        int k = yTrue.rank() == 1 ? 1 : yTrue.shape().dim(1);
        if (k == 0) {
            throw new ShapeException("regression report: no outputs in shape " + yTrue.shape());
        }
        double mse = 0, rmse = 0, mae = 0, r2 = 0;
        for (int j = 0; j < k; j++) {
            Column c = column(yTrue.data(), yPred.data(), j, k, n, "report");
            mse += c.mse;
            rmse += Math.sqrt(c.mse);
            mae += c.mae;
            r2 += c.r2;
        }
        return new RegressionReport(n, k, mse / k, rmse / k, mae / k, r2 / k);
    }

    private record Column(double mse, double mae, double r2) {
    }

    /** The metrics of the values at {@code offset + i * stride}, {@code i < n}. */
    private static Column column(float[] yTrue, float[] yPred, int offset, int stride, int n, String metric) {
        if (yTrue == null || yPred == null) {
            throw new IllegalArgumentException(metric + ": y_true and y_pred must not be null");
        }
        if (yTrue.length != yPred.length) {
            throw new IllegalArgumentException(metric + ": y_true has " + yTrue.length + " values but y_pred has "
                    + yPred.length);
        }
        if (n == 0) {
            throw new IllegalArgumentException(metric + ": no samples");
        }
        double sumTrue = 0, squared = 0, absolute = 0;
        for (int i = 0; i < n; i++) {
            int at = offset + i * stride;
            double y = finite(yTrue[at], metric, "y_true", at);
            double d = finite(yPred[at], metric, "y_pred", at) - y;
            sumTrue += y;
            squared += d * d;
            absolute += Math.abs(d);
        }
        double mean = sumTrue / n;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double dev = yTrue[offset + i * stride] - mean;
            total += dev * dev;
        }
        double r2;
        if (total == 0) {
            r2 = squared == 0 ? 1.0 : 0.0;
        } else {
            r2 = 1 - squared / total;
        }
        return new Column(squared / n, absolute / n, r2);
    }

    private static double finite(float v, String metric, String name, int index) {
        if (!Float.isFinite(v)) {
            throw new IllegalArgumentException(metric + ": " + name + "[" + index + "] is " + v);
        }
        return v;
    }
}
