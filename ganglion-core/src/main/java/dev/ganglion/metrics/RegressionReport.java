package dev.ganglion.metrics;

/**
 * The usual regression errors of predictions against true values, built by
 * {@link Regression#report}. With several outputs each is the unweighted mean of the per-output
 * values, as scikit-learn's {@code multioutput="uniform_average"}.
 *
 * @param count   number of samples
 * @param outputs number of outputs (columns) per sample
 * @param mse     mean squared error, mean((ŷ − y)²)
 * @param rmse    root mean squared error, √MSE (per output, then averaged)
 * @param mae     mean absolute error, mean|ŷ − y|
 * @param r2      coefficient of determination, 1 − Σ(ŷ − y)² / Σ(y − ȳ)²; 1 is perfect, 0 is no
 *                better than predicting the mean, below 0 is worse. For constant true values it
 *                is 1 if the predictions are exact, else 0
 */
public record RegressionReport(int count, int outputs, double mse, double rmse, double mae, double r2) {
}
