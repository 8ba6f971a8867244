package dev.ganglion.metrics;

import java.util.List;
import java.util.Locale;

/**
 * Precision, recall and F1 of each class with their macro, micro and weighted averages, and the
 * accuracy, for single-label classification. Built by {@link Classification#report}; the rules
 * (zero division gives 0, which classes are included) are in {@code docs/metrics.md}.
 *
 * @param classes         one row per class, in increasing label order
 * @param accuracy        share of samples whose predicted class is the true one
 * @param macro           unweighted mean of the per-class values: every class counts the same
 * @param micro           precision, recall and F1 of the pooled counts; for single-label data all
 *                        three equal the accuracy
 * @param weighted        mean of the per-class values weighted by support (true samples per class)
 * @param confusionMatrix the counts everything above is computed from
 */
public record ClassificationReport(
        List<ClassScores> classes,
        double accuracy,
        AverageScores macro,
        AverageScores micro,
        AverageScores weighted,
        ConfusionMatrix confusionMatrix) {

    /**
     * One class's scores.
     *
     * @param label     the class index
     * @param precision of the samples predicted as this class, the share that are: tp / (tp + fp)
     * @param recall    of the samples of this class, the share predicted as it: tp / (tp + fn)
     * @param f1        harmonic mean of precision and recall: 2tp / (2tp + fp + fn)
     * @param support   number of samples whose true class this is
     */
    public record ClassScores(int label, double precision, double recall, double f1, long support) {
    }

    /**
     * An average over the classes.
     *
     * @param support the number of samples (the supports' sum)
     */
    public record AverageScores(double precision, double recall, double f1, long support) {
    }

    /** Makes an unmodifiable copy of the rows. */
    public ClassificationReport {
        classes = List.copyOf(classes);
    }

    /** The row of class {@code label}. */
    public ClassScores scores(int label) {
        for (ClassScores c : classes) {
            if (c.label() == label) {
                return c;
            }
        }
        throw new IllegalArgumentException("classification report: no class " + label);
    }

    /** Macro-averaged F1, the usual single number for imbalanced multi-class data. */
    public double macroF1() {
        return macro.f1();
    }

    /** A table in the layout of scikit-learn's {@code classification_report}, 4 decimals. */
    @Override
    public String toString() {
        int width = "weighted avg".length();
        for (ClassScores c : classes) {
            width = Math.max(width, String.valueOf(c.label()).length());
        }
        String head = "%" + width + "s %10s %10s %10s %10s\n";
        String row = "%" + width + "s %10.4f %10.4f %10.4f %10d\n";
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, head, "", "precision", "recall", "f1-score", "support")).append('\n');
        for (ClassScores c : classes) {
            b.append(String.format(Locale.ROOT, row, c.label(), c.precision(), c.recall(), c.f1(), c.support()));
        }
        b.append('\n');
        b.append(String.format(Locale.ROOT, "%" + width + "s %10s %10s %10.4f %10d\n", "accuracy", "", "",
                accuracy, macro.support()));
        b.append(String.format(Locale.ROOT, row, "macro avg", macro.precision(), macro.recall(), macro.f1(),
                macro.support()));
        b.append(String.format(Locale.ROOT, row, "micro avg", micro.precision(), micro.recall(), micro.f1(),
                micro.support()));
        b.append(String.format(Locale.ROOT, row, "weighted avg", weighted.precision(), weighted.recall(),
                weighted.f1(), weighted.support()));
        return b.toString().stripTrailing();
    }
}
