package dev.ganglion.train;

import dev.ganglion.nn.Loss;
import dev.ganglion.tensor.Tensor;

/** Classification accuracy for the output conventions Ganglion uses. */
public final class Metrics {
    private Metrics() {
    }

    /**
     * The fraction of correctly classified samples, or NaN where accuracy does not apply.
     * <ul>
     *   <li>one output and 0/1 targets: predicted class is output ≥ 0.5 (≥ 0 for {@code bce_logits},
     *       whose outputs are logits)</li>
     *   <li>several outputs with a binary cross-entropy loss (multi-label: k independent yes/no
     *       labels): each label is thresholded as above and a sample counts as correct only when
     *       all k labels match (exact-match or subset accuracy, scikit-learn's
     *       {@code accuracy_score} for multi-label targets; {@link #multiLabelAccuracy})</li>
     *   <li>several outputs otherwise: predicted class is the arg-max; the target is a class index
     *       ({@code [n, 1]}) or a one-hot row</li>
     *   <li>otherwise (regression): NaN</li>
     * </ul>
     */
    public static double accuracy(Tensor outputs, Tensor targets, Loss loss) {
        int n = outputs.shape().dim(0), k = outputs.shape().dim(1);
        if (n == 0) return Double.NaN;
        float[] o = outputs.data(), t = targets.data();
        int tk = targets.shape().dim(1);
        float threshold = loss instanceof Loss.BinaryCrossEntropyWithLogits ? 0f : 0.5f;
        int correct = 0;
        if (k == 1) {
            if (tk != 1 || !binaryTargets(t)) return Double.NaN;
            for (int i = 0; i < n; i++) if ((o[i] >= threshold ? 1f : 0f) == t[i]) correct++;
            return (double) correct / n;
        }
        if (loss instanceof Loss.BinaryCrossEntropy || loss instanceof Loss.BinaryCrossEntropyWithLogits) {
            if (tk != k || !binaryTargets(t)) return Double.NaN;
            return multiLabelAccuracy(outputs, targets, loss);
        }
        if (loss instanceof Loss.MeanSquaredError || loss instanceof Loss.MeanAbsoluteError || loss instanceof Loss.Huber) {
            if (tk != k || !binaryTargets(t)) return Double.NaN;
        }
        int[] predicted = outputs.argmaxRows();
        int[] actual = tk == 1 ? null : targets.argmaxRows();
        for (int i = 0; i < n; i++) {
            int truth = tk == 1 ? (int) t[i] : actual[i];
            if (predicted[i] == truth) correct++;
        }
        return (double) correct / n;
    }

    /**
     * Multi-label accuracy, exact match (scikit-learn's subset accuracy): the fraction of samples
     * whose every label is right, each output thresholded at 0.5 (0 for {@code bce_logits}). NaN
     * for no samples.
     */
    public static double multiLabelAccuracy(Tensor outputs, Tensor targets, Loss loss) {
        int n = outputs.shape().dim(0), k = outputs.shape().dim(1);
        if (n == 0) return Double.NaN;
        float threshold = loss instanceof Loss.BinaryCrossEntropyWithLogits ? 0f : 0.5f;
        float[] o = outputs.data(), t = targets.data();
        int correct = 0;
        for (int i = 0; i < n; i++) {
            boolean all = true;
            for (int j = 0; j < k && all; j++) all = (o[i * k + j] >= threshold ? 1f : 0f) == t[i * k + j];
            if (all) correct++;
        }
        return (double) correct / n;
    }

    private static boolean binaryTargets(float[] t) {
        for (float v : t) if (v != 0f && v != 1f) return false;
        return true;
    }
}
