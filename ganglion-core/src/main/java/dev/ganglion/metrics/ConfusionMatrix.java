package dev.ganglion.metrics;

import java.util.Arrays;

/**
 * Counts of (true class, predicted class) pairs: {@code counts[i][j]} samples of class
 * {@code labels[i]} were predicted as {@code labels[j]}. Rows are the truth, columns the
 * prediction, as in scikit-learn; the diagonal holds the correct predictions.
 *
 * <p>Built by {@link Classification#confusionMatrix}. The arrays are copied in and out, so a
 * matrix never changes.
 *
 * @param labels the class indices of the rows and columns, strictly increasing
 * @param counts a square matrix with one row and one column per label
 */
public record ConfusionMatrix(int[] labels, int[][] counts) {

    /** Checks that the matrix is square, matches the labels and holds no negative count. */
    public ConfusionMatrix {
        labels = labels.clone();
        int k = labels.length;
        for (int i = 1; i < k; i++) {
            if (labels[i] <= labels[i - 1]) {
                throw new IllegalArgumentException("confusion matrix: labels must be strictly increasing, got "
                        + Arrays.toString(labels));
            }
        }
        if (counts.length != k) {
            throw new IllegalArgumentException("confusion matrix: " + counts.length + " rows for " + k + " labels");
        }
        int[][] copy = new int[k][];
        for (int i = 0; i < k; i++) {
            if (counts[i].length != k) {
                throw new IllegalArgumentException("confusion matrix: row " + i + " has " + counts[i].length
                        + " columns, expected " + k);
            }
            copy[i] = counts[i].clone();
            for (int c : copy[i]) {
                if (c < 0) {
                    throw new IllegalArgumentException("confusion matrix: negative count " + c + " in row " + i);
                }
            }
        }
        counts = copy;
    }

    /** A copy of the class indices of the rows and columns. */
    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** A copy of the counts, {@code [true][predicted]}. */
    @Override
    public int[][] counts() {
        int[][] copy = new int[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    /** Number of classes (rows, and columns). */
    public int classCount() {
        return labels.length;
    }

    /** Samples of class {@code trueLabel} predicted as {@code predictedLabel}. */
    public int count(int trueLabel, int predictedLabel) {
        return counts[index(trueLabel)][index(predictedLabel)];
    }

    /** Number of samples counted. */
    public long total() {
        long n = 0;
        for (int[] row : counts) {
            for (int c : row) {
                n += c;
            }
        }
        return n;
    }

    /** Samples predicted correctly: the diagonal's sum. */
    public long correct() {
        long n = 0;
        for (int i = 0; i < counts.length; i++) {
            n += counts[i][i];
        }
        return n;
    }

    /** Samples of class {@code label} predicted as {@code label}. */
    public int truePositives(int label) {
        int i = index(label);
        return counts[i][i];
    }

    /** Samples of other classes predicted as {@code label} (its column without the diagonal). */
    public long falsePositives(int label) {
        return predicted(label) - truePositives(label);
    }

    /** Samples of class {@code label} predicted as another class (its row without the diagonal). */
    public long falseNegatives(int label) {
        return support(label) - truePositives(label);
    }

    /** Samples whose true class is {@code label} (its row's sum). */
    public long support(int label) {
        long n = 0;
        for (int c : counts[index(label)]) {
            n += c;
        }
        return n;
    }

    /** Samples predicted as {@code label} (its column's sum). */
    public long predicted(int label) {
        int j = index(label);
        long n = 0;
        for (int[] row : counts) {
            n += row[j];
        }
        return n;
    }

    private int index(int label) {
        int i = Arrays.binarySearch(labels, label);
        if (i < 0) {
            throw new IllegalArgumentException("confusion matrix: no class " + label + "; its classes are "
                    + Arrays.toString(labels));
        }
        return i;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix m && Arrays.equals(labels, m.labels) && Arrays.deepEquals(counts, m.counts);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(labels) + Arrays.deepHashCode(counts);
    }

    /** The matrix as a table: one row per true class, one column per predicted class. */
    @Override
    public String toString() {
        int width = "true\\pred".length();
        for (int l : labels) {
            width = Math.max(width, String.valueOf(l).length());
        }
        for (int[] row : counts) {
            for (int c : row) {
                width = Math.max(width, String.valueOf(c).length());
            }
        }
        String cell = "%" + (width + 2) + "s";
        StringBuilder b = new StringBuilder(String.format(cell, "true\\pred"));
        for (int l : labels) {
            b.append(String.format(cell, l));
        }
        for (int i = 0; i < labels.length; i++) {
            b.append('\n').append(String.format(cell, labels[i]));
            for (int c : counts[i]) {
                b.append(String.format(cell, c));
            }
        }
        return b.toString();
    }
}
