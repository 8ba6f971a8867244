package dev.ganglion.metrics;

import dev.ganglion.metrics.ClassificationReport.AverageScores;
import dev.ganglion.metrics.ClassificationReport.ClassScores;
import dev.ganglion.tensor.ShapeException;
import dev.ganglion.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Classification metrics on class indices and scores, with scikit-learn's definitions so numbers
 * can be compared with it: accuracy, confusion matrix, per-class precision / recall / F1 with
 * macro, micro and weighted averages, ROC AUC (binary, and one-vs-rest macro), log-loss.
 *
 * <p>Classes are indices {@code >= 0}. Without a class count the classes are those that occur in
 * the true or the predicted labels; with one they are {@code 0..classCount-1}, so a class that
 * never occurs still has a row (and counts in the macro average). A ratio whose denominator is
 * zero (precision of a class never predicted, recall of a class never present) is 0, without a
 * warning. Empty inputs, mismatched lengths and invalid values are an
 * {@link IllegalArgumentException} naming the metric. Sums are taken in double precision. See
 * {@code docs/metrics.md}.
 */
public final class Classification {
    /** Probabilities are clipped into [ε, 1 − ε] before the logarithm of log-loss. */
    public static final double LOG_LOSS_EPSILON = 1e-15;

    /** How far a probability row's sum may be from 1 for {@link #logLoss(int[], float[][])}. */
    public static final double ROW_SUM_TOLERANCE = 1e-3;

    private Classification() {
    }

    // ------------------------------------------------------------------ from tensors

    /**
     * True class indices from a target tensor: {@code [n]} or {@code [n, 1]} holding whole numbers
     * {@code >= 0}, or one-hot rows {@code [n, k]} (the arg-max of each row).
     */
    public static int[] labels(Tensor targets) {
        if (isColumn(targets)) {
            float[] t = targets.data();
            int[] out = new int[t.length];
            for (int i = 0; i < t.length; i++) {
                float v = t[i];
                if (!(v >= 0) || v != Math.rint(v) || v > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("labels: target " + i + " is " + v
                            + ", not a class index (a whole number >= 0)");
                }
                out[i] = (int) v;
            }
            return out;
        }
        return rows(targets, "labels").argmaxRows();
    }

    /**
     * Predicted classes from model outputs: the arg-max of each row of {@code [n, k]}, or for one
     * output ({@code [n]} or {@code [n, 1]}, a probability) 1 where it is {@code >= 0.5}, else 0.
     */
    public static int[] predictions(Tensor outputs) {
        return predictions(outputs, 0.5f);
    }

    /**
     * As {@link #predictions(Tensor)}, with the threshold for a single output given (0 for logits).
     */
    public static int[] predictions(Tensor outputs, float threshold) {
        if (isColumn(outputs)) {
            float[] o = outputs.data();
            int[] out = new int[o.length];
            for (int i = 0; i < o.length; i++) {
                out[i] = o[i] >= threshold ? 1 : 0;
            }
            return out;
        }
        return rows(outputs, "predictions").argmaxRows();
    }

    private static boolean isColumn(Tensor t) {
        return t.rank() == 1 || (t.rank() == 2 && t.shape().dim(1) == 1);
    }

    private static Tensor rows(Tensor t, String op) {
        if (t.rank() != 2) {
            throw new ShapeException(op + ": needs [n], [n, 1] or [n, classes], got " + t.shape());
        }
        return t;
    }

    // ------------------------------------------------------------------ counts

    /** Share of samples whose predicted class equals the true one. */
    public static double accuracy(int[] yTrue, int[] yPred) {
        checkPair(yTrue, yPred, "accuracy");
        long correct = 0;
        for (int i = 0; i < yTrue.length; i++) {
            if (yTrue[i] == yPred[i]) {
                correct++;
            }
        }
        return (double) correct / yTrue.length;
    }

    /** The confusion matrix over the classes that occur in {@code yTrue} or {@code yPred}. */
    public static ConfusionMatrix confusionMatrix(int[] yTrue, int[] yPred) {
        checkPair(yTrue, yPred, "confusionMatrix");
        checkIndices(yTrue, "confusionMatrix", "y_true");
        checkIndices(yPred, "confusionMatrix", "y_pred");
        int[] all = Arrays.copyOf(yTrue, yTrue.length + yPred.length);
        System.arraycopy(yPred, 0, all, yTrue.length, yPred.length);
        int[] labels = Arrays.stream(all).sorted().distinct().toArray();
        int[][] counts = new int[labels.length][labels.length];
        for (int i = 0; i < yTrue.length; i++) {
            counts[Arrays.binarySearch(labels, yTrue[i])][Arrays.binarySearch(labels, yPred[i])]++;
        }
        return new ConfusionMatrix(labels, counts);
    }

    /**
     * The confusion matrix over classes {@code 0..classCount-1}, including those that never occur.
     *
     * @throws IllegalArgumentException if a label lies outside {@code 0..classCount-1}
     */
    public static ConfusionMatrix confusionMatrix(int[] yTrue, int[] yPred, int classCount) {
        checkPair(yTrue, yPred, "confusionMatrix");
        if (classCount < 1) {
            throw new IllegalArgumentException("confusionMatrix: class count must be >= 1, got " + classCount);
        }
        checkRange(yTrue, classCount, "confusionMatrix", "y_true");
        checkRange(yPred, classCount, "confusionMatrix", "y_pred");
        int[][] counts = new int[classCount][classCount];
        for (int i = 0; i < yTrue.length; i++) {
            counts[yTrue[i]][yPred[i]]++;
        }
        int[] labels = new int[classCount];
        Arrays.setAll(labels, i -> i);
        return new ConfusionMatrix(labels, counts);
    }

    // ------------------------------------------------------------------ precision, recall, F1

    /** Per-class and averaged scores over the classes that occur in {@code yTrue} or {@code yPred}. */
    public static ClassificationReport report(int[] yTrue, int[] yPred) {
        return report(confusionMatrix(yTrue, yPred));
    }

    /** Per-class and averaged scores over classes {@code 0..classCount-1}, present or not. */
    public static ClassificationReport report(int[] yTrue, int[] yPred, int classCount) {
        return report(confusionMatrix(yTrue, yPred, classCount));
    }

    /** The report of a confusion matrix (rows true, columns predicted). */
    public static ClassificationReport report(ConfusionMatrix m) {
        int[] labels = m.labels();
        int[][] counts = m.counts();
        int k = labels.length;
        long n = m.total();
        if (n == 0) {
            throw new IllegalArgumentException("report: the confusion matrix counts no samples");
        }
        long[] tp = new long[k], fp = new long[k], fn = new long[k], support = new long[k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                long c = counts[i][j];
                support[i] += c;
                if (i == j) {
                    tp[i] += c;
                } else {
                    fn[i] += c;
                    fp[j] += c;
                }
            }
        }
        List<ClassScores> rows = new ArrayList<>(k);
        double[] macro = new double[3], weighted = new double[3];
        long tpSum = 0, fpSum = 0, fnSum = 0;
        for (int c = 0; c < k; c++) {
            double p = ratio(tp[c], tp[c] + fp[c]);
            double r = ratio(tp[c], tp[c] + fn[c]);
            double f = ratio(2 * tp[c], 2 * tp[c] + fp[c] + fn[c]);
            rows.add(new ClassScores(labels[c], p, r, f, support[c]));
            macro[0] += p;
            macro[1] += r;
            macro[2] += f;
            weighted[0] += p * support[c];
            weighted[1] += r * support[c];
            weighted[2] += f * support[c];
            tpSum += tp[c];
            fpSum += fp[c];
            fnSum += fn[c];
        }
        AverageScores macroAvg = new AverageScores(macro[0] / k, macro[1] / k, macro[2] / k, n);
        AverageScores microAvg = new AverageScores(ratio(tpSum, tpSum + fpSum), ratio(tpSum, tpSum + fnSum),
                ratio(2 * tpSum, 2 * tpSum + fpSum + fnSum), n);
        AverageScores weightedAvg = new AverageScores(weighted[0] / n, weighted[1] / n, weighted[2] / n, n);
        return new ClassificationReport(rows, (double) m.correct() / n, macroAvg, microAvg, weightedAvg, m);
    }

    /** {@code a / b}, or 0 where {@code b} is 0 (scikit-learn's {@code zero_division=0}). */
    private static double ratio(long a, long b) {
        return b == 0 ? 0.0 : (double) a / b;
    }

    // ------------------------------------------------------------------ ROC AUC

    /**
     * Area under the ROC curve of a binary problem: the probability that a random positive sample
     * scores higher than a random negative one, a tie counting one half (the Mann-Whitney U
     * statistic divided by positives × negatives). Only the order of the scores matters, so they
     * may be probabilities, logits or any ranking; higher means "more likely class 1".
     *
     * @param yTrue  0 or 1 per sample; both must occur
     * @param scores one score per sample, not NaN (infinities are fine)
     * @throws IllegalArgumentException if only one class occurs in {@code yTrue}: AUC is undefined
     */
    public static double rocAuc(int[] yTrue, float[] scores) {
        if (yTrue == null || scores == null) {
            throw new IllegalArgumentException("rocAuc: y_true and scores must not be null");
        }
        checkLengths(yTrue.length, scores.length, "rocAuc", "scores");
        int positives = 0;
        for (int i = 0; i < yTrue.length; i++) {
            if (yTrue[i] != 0 && yTrue[i] != 1) {
                throw new IllegalArgumentException("rocAuc: y_true[" + i + "] = " + yTrue[i]
                        + "; binary ROC AUC takes labels 0 and 1 (use rocAucOvr for more classes)");
            }
            if (Float.isNaN(scores[i])) {
                throw new IllegalArgumentException("rocAuc: scores[" + i + "] is NaN");
            }
            positives += yTrue[i];
        }
        int negatives = yTrue.length - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException("rocAuc: y_true holds only class " + (positives == 0 ? 0 : 1)
                    + " (" + yTrue.length + " samples); ROC AUC is undefined without both positive and negative samples");
        }
        return mannWhitneyAuc(yTrue, 1, scores, 0, 1, positives, negatives);
    }

    /** {@link #rocAuc(int[], float[])} with the scores as a tensor {@code [n]} or {@code [n, 1]}. */
    public static double rocAuc(int[] yTrue, Tensor scores) {
        if (!isColumn(scores)) {
            throw new ShapeException("rocAuc: scores must be [n] or [n, 1], got " + scores.shape()
                    + " (use rocAucOvr for one column per class)");
        }
        return rocAuc(yTrue, scores.data());
    }

    /**
     * One-vs-rest ROC AUC averaged over the classes (macro): for each class c, the binary AUC of
     * "class c or not" ranked by column c of the scores; then the unweighted mean. The rows need
     * not sum to 1, since each column is only ranked.
     *
     * @param yTrue  class indices {@code 0..k-1}, every class present at least once
     * @param scores one row of {@code k >= 2} scores (e.g. softmax probabilities) per sample
     * @throws IllegalArgumentException if a class never occurs in {@code yTrue} (its AUC is undefined)
     */
    public static double rocAucOvr(int[] yTrue, float[][] scores) {
        if (yTrue == null || scores == null) {
            throw new IllegalArgumentException("rocAucOvr: y_true and scores must not be null");
        }
        checkLengths(yTrue.length, scores.length, "rocAucOvr", "score rows");
        int k = scores[0].length;
        float[] flat = new float[yTrue.length * k];
        for (int i = 0; i < scores.length; i++) {
            if (scores[i].length != k) {
                throw new IllegalArgumentException("rocAucOvr: score row " + i + " has " + scores[i].length
                        + " values, row 0 has " + k);
            }
            System.arraycopy(scores[i], 0, flat, i * k, k);
        }
        return rocAucOvr(yTrue, flat, k);
    }

    /** {@link #rocAucOvr(int[], float[][])} with the scores as a tensor {@code [n, k]}. */
    public static double rocAucOvr(int[] yTrue, Tensor scores) {
        if (scores.rank() != 2) {
            throw new ShapeException("rocAucOvr: scores must be [n, classes], got " + scores.shape());
        }
        checkLengths(yTrue.length, scores.shape().dim(0), "rocAucOvr", "score rows");
        return rocAucOvr(yTrue, scores.data(), scores.shape().dim(1));
    }

    private static double rocAucOvr(int[] yTrue, float[] scores, int k) {
        if (k < 2) {
            throw new IllegalArgumentException("rocAucOvr: needs a score column per class, at least 2, got " + k);
        }
        checkRange(yTrue, k, "rocAucOvr", "y_true");
        for (int i = 0; i < scores.length; i++) {
            if (Float.isNaN(scores[i])) {
                throw new IllegalArgumentException("rocAucOvr: score [" + i / k + ", " + i % k + "] is NaN");
            }
        }
        int[] support = new int[k];
        for (int y : yTrue) {
            support[y]++;
        }
        for (int c = 0; c < k; c++) {
            if (support[c] == 0) {
                throw new IllegalArgumentException("rocAucOvr: class " + c + " never occurs in y_true, so its"
                        + " one-vs-rest ROC AUC is undefined; each of the " + k + " classes (score columns) needs a sample");
            }
        }
        int[] isClass = new int[yTrue.length];
        double sum = 0;
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < yTrue.length; i++) {
                isClass[i] = yTrue[i] == c ? 1 : 0;
            }
            sum += mannWhitneyAuc(isClass, 1, scores, c, k, support[c], yTrue.length - support[c]);
        }
        return sum / k;
    }

    /**
     * Σ over positives of (negatives scoring lower + ½ × negatives scoring the same), divided by
     * positives × negatives. Sorting the two groups' scores and walking them together makes this
     * O(n log n); counts are exact integers (twice the sum), divided once at the end.
     *
     * @param scores read at {@code offset + i * stride} for sample i
     */
    private static double mannWhitneyAuc(int[] isPositive, int positiveValue, float[] scores, int offset, int stride,
            int positives, int negatives) {
        double[] pos = new double[positives];
        double[] neg = new double[negatives];
        int p = 0, q = 0;
        for (int i = 0; i < isPositive.length; i++) {
            double s = scores[offset + i * stride];
            if (isPositive[i] == positiveValue) {
                pos[p++] = s;
            } else {
                neg[q++] = s;
            }
        }
        Arrays.sort(pos);
        Arrays.sort(neg);
        long twiceU = 0;
        int below = 0, notAbove = 0;
        for (double s : pos) {
            while (below < negatives && neg[below] < s) {
                below++;
            }
            if (notAbove < below) {
                notAbove = below;
            }
            while (notAbove < negatives && neg[notAbove] <= s) {
                notAbove++;
            }
            twiceU += 2L * below + (notAbove - below);
        }
        return twiceU / (2.0 * positives * negatives);
    }

    // ------------------------------------------------------------------ log-loss

    /**
     * Mean binary cross-entropy −mean(y·ln p + (1 − y)·ln(1 − p)) of probabilities of class 1, each
     * clipped into [{@link #LOG_LOSS_EPSILON}, 1 − ε] so a confident mistake costs about 34.5, not
     * infinity.
     *
     * @param yTrue 0 or 1 per sample
     * @param p     probability of class 1 per sample, in [0, 1] (not logits)
     */
    public static double logLoss(int[] yTrue, float[] p) {
        if (yTrue == null || p == null) {
            throw new IllegalArgumentException("logLoss: y_true and probabilities must not be null");
        }
        checkLengths(yTrue.length, p.length, "logLoss", "probabilities");
        double sum = 0;
        for (int i = 0; i < yTrue.length; i++) {
            if (yTrue[i] != 0 && yTrue[i] != 1) {
                throw new IllegalArgumentException("logLoss: y_true[" + i + "] = " + yTrue[i]
                        + "; with one probability per sample the labels must be 0 or 1");
            }
            double q = probability(p[i], "p[" + i + "]");
            sum -= Math.log(clip(yTrue[i] == 1 ? q : 1 - q));
        }
        return sum / yTrue.length;
    }

    /**
     * Mean categorical cross-entropy −mean(ln p[i][y_i]) of probability rows (e.g. softmax
     * outputs), each probability clipped into [{@link #LOG_LOSS_EPSILON}, 1 − ε].
     *
     * @param yTrue class index per sample, {@code 0..k-1}
     * @param p     one row of k probabilities per sample, each in [0, 1], summing to 1 within
     *              {@link #ROW_SUM_TOLERANCE}
     */
    public static double logLoss(int[] yTrue, float[][] p) {
        if (yTrue == null || p == null) {
            throw new IllegalArgumentException("logLoss: y_true and probabilities must not be null");
        }
        checkLengths(yTrue.length, p.length, "logLoss", "probability rows");
        int k = p[0].length;
        float[] flat = new float[yTrue.length * k];
        for (int i = 0; i < p.length; i++) {
            if (p[i].length != k) {
                throw new IllegalArgumentException("logLoss: probability row " + i + " has " + p[i].length
                        + " values, row 0 has " + k);
            }
            System.arraycopy(p[i], 0, flat, i * k, k);
        }
        return logLoss(yTrue, flat, k);
    }

    /**
     * Log-loss of a probability tensor: {@code [n]} or {@code [n, 1]} is binary (probability of
     * class 1), {@code [n, k]} with {@code k >= 2} is one probability row per sample.
     */
    public static double logLoss(int[] yTrue, Tensor p) {
        if (isColumn(p)) {
            return logLoss(yTrue, p.data());
        }
        rows(p, "logLoss");
        checkLengths(yTrue.length, p.shape().dim(0), "logLoss", "probability rows");
        return logLoss(yTrue, p.data(), p.shape().dim(1));
    }

    private static double logLoss(int[] yTrue, float[] p, int k) {
        checkRange(yTrue, k, "logLoss", "y_true");
        double sum = 0;
        for (int i = 0; i < yTrue.length; i++) {
            double rowSum = 0;
            for (int j = 0; j < k; j++) {
                rowSum += probability(p[i * k + j], "p[" + i + "][" + j + "]");
            }
            if (Math.abs(rowSum - 1) > ROW_SUM_TOLERANCE) {
                throw new IllegalArgumentException("logLoss: probability row " + i + " sums to " + rowSum
                        + ", not 1; pass probabilities (e.g. softmax outputs)");
            }
            sum -= Math.log(clip(p[i * k + yTrue[i]]));
        }
        return sum / yTrue.length;
    }

    private static double probability(float v, String what) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException("logLoss: " + what + " = " + v
                    + " is not a probability in [0, 1]; pass probabilities (e.g. sigmoid or softmax outputs), not logits");
        }
        return v;
    }

    private static double clip(double p) {
        return Math.min(Math.max(p, LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON);
    }

    // ------------------------------------------------------------------ checks

    private static void checkPair(int[] yTrue, int[] yPred, String metric) {
        if (yTrue == null || yPred == null) {
            throw new IllegalArgumentException(metric + ": y_true and y_pred must not be null");
        }
        checkLengths(yTrue.length, yPred.length, metric, "y_pred");
    }

    private static void checkLengths(int n, int m, String metric, String other) {
        if (n != m) {
            throw new IllegalArgumentException(metric + ": y_true has " + n + " samples but " + other + " has " + m);
        }
        if (n == 0) {
            throw new IllegalArgumentException(metric + ": no samples");
        }
    }

    private static void checkIndices(int[] y, String metric, String name) {
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0) {
                throw new IllegalArgumentException(metric + ": " + name + "[" + i + "] = " + y[i]
                        + " is not a class index (>= 0)");
            }
        }
    }

    private static void checkRange(int[] y, int classCount, String metric, String name) {
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= classCount) {
                throw new IllegalArgumentException(metric + ": " + name + "[" + i + "] = " + y[i] + " is outside 0.."
                        + (classCount - 1) + " (" + classCount + " classes)");
            }
        }
    }
}
