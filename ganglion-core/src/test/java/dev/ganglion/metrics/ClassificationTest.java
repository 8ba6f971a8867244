package dev.ganglion.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ganglion.metrics.ClassificationReport.AverageScores;
import dev.ganglion.metrics.ClassificationReport.ClassScores;
import dev.ganglion.tensor.ShapeException;
import dev.ganglion.tensor.Tensor;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Accuracy, confusion matrix, precision / recall / F1 and log-loss: scikit-learn's documented
 * examples, hand-computed cases, the zero-division rule and the errors.
 */
class ClassificationTest {
    private static final Offset<Double> EXACT = within(1e-12);

    private static void assertScores(ClassScores s, int label, double p, double r, double f, long support) {
        assertThat(s.label()).isEqualTo(label);
        assertThat(s.precision()).as("precision of %d", label).isCloseTo(p, EXACT);
        assertThat(s.recall()).as("recall of %d", label).isCloseTo(r, EXACT);
        assertThat(s.f1()).as("f1 of %d", label).isCloseTo(f, EXACT);
        assertThat(s.support()).isEqualTo(support);
    }

    private static void assertAverage(AverageScores a, double p, double r, double f) {
        assertThat(a.precision()).isCloseTo(p, EXACT);
        assertThat(a.recall()).isCloseTo(r, EXACT);
        assertThat(a.f1()).isCloseTo(f, EXACT);
    }

    // ------------------------------------------------------------------ scikit-learn's examples

    /**
     * scikit-learn documentation, {@code sklearn.metrics.classification_report}, Examples:
     * y_true = [0, 1, 2, 2, 2], y_pred = [0, 0, 2, 2, 1] prints class 0: 0.50 1.00 0.67 1,
     * class 1: 0.00 0.00 0.00 1, class 2: 1.00 0.67 0.80 3, accuracy 0.60, macro avg 0.50 0.56
     * 0.49, weighted avg 0.70 0.60 0.61. Checked here to 12 digits against the exact fractions.
     */
    @Test
    void sklearnClassificationReportExample() {
        ClassificationReport r = Classification.report(new int[] {0, 1, 2, 2, 2}, new int[] {0, 0, 2, 2, 1});
        assertThat(r.classes()).hasSize(3);
        assertScores(r.classes().get(0), 0, 0.5, 1.0, 2.0 / 3, 1);
        assertScores(r.classes().get(1), 1, 0.0, 0.0, 0.0, 1);
        assertScores(r.classes().get(2), 2, 1.0, 2.0 / 3, 0.8, 3);
        assertThat(r.accuracy()).isCloseTo(0.6, EXACT);
        assertAverage(r.macro(), 0.5, 5.0 / 9, (2.0 / 3 + 0.8) / 3);
        assertAverage(r.weighted(), 0.7, 0.6, (2.0 / 3 + 3 * 0.8) / 5);
        assertAverage(r.micro(), 0.6, 0.6, 0.6);
        assertThat(r.macro().support()).isEqualTo(5);
        // the rounded values scikit-learn prints
        assertThat(r.macro().recall()).isCloseTo(0.56, within(0.005));
        assertThat(r.macro().f1()).isCloseTo(0.49, within(0.005));
        assertThat(r.weighted().f1()).isCloseTo(0.61, within(0.005));
        assertThat(r.scores(2).f1()).isCloseTo(0.8, EXACT);
        assertThat(r.toString()).isEqualTo(String.join("\n",
                "              precision     recall   f1-score    support",
                "",
                "           0     0.5000     1.0000     0.6667          1",
                "           1     0.0000     0.0000     0.0000          1",
                "           2     1.0000     0.6667     0.8000          3",
                "",
                "    accuracy                           0.6000          5",
                "   macro avg     0.5000     0.5556     0.4889          5",
                "   micro avg     0.6000     0.6000     0.6000          5",
                "weighted avg     0.7000     0.6000     0.6133          5"));
    }

    /**
     * scikit-learn documentation, {@code sklearn.metrics.precision_recall_fscore_support},
     * Examples: y_true = [cat, dog, pig, cat, dog, pig], y_pred = [cat, pig, dog, cat, cat, dog]
     * gives macro (0.22, 0.33, 0.26), micro (0.33, 0.33, 0.33), weighted (0.22, 0.33, 0.26).
     * Labels sorted as scikit-learn sorts them: cat = 0, dog = 1, pig = 2.
     */
    @Test
    void sklearnPrecisionRecallFscoreSupportExample() {
        ClassificationReport r = Classification.report(new int[] {0, 1, 2, 0, 1, 2}, new int[] {0, 2, 1, 0, 0, 1});
        assertAverage(r.macro(), 2.0 / 9, 1.0 / 3, 0.8 / 3);
        assertAverage(r.micro(), 1.0 / 3, 1.0 / 3, 1.0 / 3);
        assertAverage(r.weighted(), 2.0 / 9, 1.0 / 3, 0.8 / 3);
        assertThat(r.macro().precision()).isCloseTo(0.22, within(0.005));
        assertThat(r.macro().f1()).isCloseTo(0.26, within(0.007));
    }

    /**
     * scikit-learn documentation, {@code sklearn.metrics.confusion_matrix}, Examples:
     * y_true = [2, 0, 2, 2, 0, 1], y_pred = [0, 0, 2, 2, 0, 2] gives
     * [[2, 0, 0], [0, 0, 1], [1, 0, 2]].
     */
    @Test
    void sklearnConfusionMatrixExample() {
        ConfusionMatrix m = Classification.confusionMatrix(new int[] {2, 0, 2, 2, 0, 1}, new int[] {0, 0, 2, 2, 0, 2});
        assertThat(m.labels()).containsExactly(0, 1, 2);
        assertThat(m.counts()).isDeepEqualTo(new int[][] {{2, 0, 0}, {0, 0, 1}, {1, 0, 2}});
        assertThat(m.total()).isEqualTo(6);
        assertThat(m.correct()).isEqualTo(4);
        assertThat(m.count(2, 0)).isEqualTo(1);
        assertThat(m.truePositives(2)).isEqualTo(2);
        assertThat(m.falsePositives(2)).isEqualTo(1);
        assertThat(m.falseNegatives(2)).isEqualTo(1);
        assertThat(m.support(0)).isEqualTo(2);
        assertThat(m.predicted(0)).isEqualTo(3);
        assertThat(m.toString()).isEqualTo(String.join("\n",
                "  true\\pred          0          1          2",
                "          0          2          0          0",
                "          1          0          0          1",
                "          2          1          0          2"));
    }

    /**
     * scikit-learn documentation, {@code sklearn.metrics.log_loss}, Examples:
     * log_loss(["spam", "ham", "ham", "spam"], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]) is
     * 0.21616... (ham = 0, spam = 1); exactly −(2 ln 0.9 + ln 0.8 + ln 0.65) / 4.
     */
    @Test
    void sklearnLogLossExample() {
        int[] y = {1, 0, 0, 1};
        float[][] p = {{.1f, .9f}, {.9f, .1f}, {.8f, .2f}, {.35f, .65f}};
        double expected = 0.21616187468057912;
        assertThat(Classification.logLoss(y, p)).isCloseTo(expected, within(1e-7));
        assertThat(Classification.logLoss(y, Tensor.of(p))).isCloseTo(expected, within(1e-7));
        // the same as binary probabilities of class 1
        assertThat(Classification.logLoss(y, new float[] {.9f, .1f, .2f, .65f})).isCloseTo(expected, within(1e-7));
        assertThat(Classification.logLoss(y, Tensor.of(new float[] {.9f, .1f, .2f, .65f}, 4, 1)))
                .isCloseTo(expected, within(1e-7));
    }

    // ------------------------------------------------------------------ hand-computed and edges

    @Test
    void accuracyCountsMatches() {
        assertThat(Classification.accuracy(new int[] {1, 2, 3, 4}, new int[] {1, 2, 0, 4})).isEqualTo(0.75);
        assertThat(Classification.accuracy(new int[] {5}, new int[] {5})).isEqualTo(1.0);
    }

    @Test
    void classNeverPredictedHasZeroPrecisionWithoutError() {
        // class 1 occurs twice but is never predicted: tp + fp = 0, so its precision is 0 by rule
        ClassificationReport r = Classification.report(new int[] {0, 1, 1, 2}, new int[] {0, 0, 2, 2});
        assertScores(r.scores(1), 1, 0.0, 0.0, 0.0, 2);
        assertScores(r.scores(0), 0, 0.5, 1.0, 2.0 / 3, 1);
        assertScores(r.scores(2), 2, 0.5, 1.0, 2.0 / 3, 1);
        assertAverage(r.macro(), 1.0 / 3, 2.0 / 3, 4.0 / 9);
        assertAverage(r.micro(), 0.5, 0.5, 0.5);
        assertAverage(r.weighted(), 0.25, 0.5, 1.0 / 3);
    }

    @Test
    void classCountAddsRowsForAbsentClasses() {
        int[] yTrue = {0, 0, 2, 2};
        int[] yPred = {0, 2, 2, 2};
        ClassificationReport inferred = Classification.report(yTrue, yPred);
        assertThat(inferred.classes()).extracting(ClassScores::label).containsExactly(0, 2);
        assertAverage(inferred.macro(), (1 + 2.0 / 3) / 2, (0.5 + 1) / 2, (2.0 / 3 + 0.8) / 2);

        // classes 1 and 3 occur nowhere: all their ratios are 0/0 = 0 and they pull the macro mean down
        ClassificationReport all = Classification.report(yTrue, yPred, 4);
        assertThat(all.classes()).extracting(ClassScores::label).containsExactly(0, 1, 2, 3);
        assertScores(all.scores(1), 1, 0, 0, 0, 0);
        assertScores(all.scores(3), 3, 0, 0, 0, 0);
        assertAverage(all.macro(), (1 + 2.0 / 3) / 4, (0.5 + 1) / 4, (2.0 / 3 + 0.8) / 4);
        assertThat(all.micro()).isEqualTo(inferred.micro());
        assertThat(all.weighted()).isEqualTo(inferred.weighted());
        assertThat(all.confusionMatrix().counts()[1]).containsExactly(0, 0, 0, 0);
    }

    @Test
    void perfectAndAllWrongPredictions() {
        ClassificationReport perfect = Classification.report(new int[] {0, 1, 1}, new int[] {0, 1, 1});
        assertAverage(perfect.macro(), 1, 1, 1);
        assertThat(perfect.accuracy()).isEqualTo(1.0);
        ClassificationReport wrong = Classification.report(new int[] {0, 1, 1}, new int[] {1, 0, 0});
        assertAverage(wrong.macro(), 0, 0, 0);
        assertAverage(wrong.micro(), 0, 0, 0);
    }

    @Test
    void logLossClipsCertainMistakesAndChecksInputs() {
        // p = 0 for the true class costs -ln(1e-15) = 34.54, not infinity
        assertThat(Classification.logLoss(new int[] {1}, new float[] {0f})).isCloseTo(-Math.log(1e-15), within(1e-9));
        assertThat(Classification.logLoss(new int[] {0, 1}, new float[] {0f, 1f})).isCloseTo(1e-15, within(1e-16));
        assertThatThrownBy(() -> Classification.logLoss(new int[] {1}, new float[] {2.5f}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("logLoss: p[0] = 2.5 is not a probability in [0, 1]");
        assertThatThrownBy(() -> Classification.logLoss(new int[] {2}, new float[] {0.5f}))
                .hasMessageContaining("the labels must be 0 or 1");
        assertThatThrownBy(() -> Classification.logLoss(new int[] {0}, new float[][] {{0.5f, 0.6f}}))
                .hasMessageStartingWith("logLoss: probability row 0 sums to 1.1");
        assertThatThrownBy(() -> Classification.logLoss(new int[] {2}, new float[][] {{0.5f, 0.5f}}))
                .hasMessage("logLoss: y_true[0] = 2 is outside 0..1 (2 classes)");
    }

    @Test
    void tensorsToClassIndices() {
        assertThat(Classification.labels(Tensor.of(new float[] {2, 0, 1}, 3, 1))).containsExactly(2, 0, 1);
        assertThat(Classification.labels(Tensor.of(new float[][] {{0, 1, 0}, {1, 0, 0}}))).containsExactly(1, 0);
        assertThatThrownBy(() -> Classification.labels(Tensor.of(new float[] {0.5f}, 1)))
                .hasMessage("labels: target 0 is 0.5, not a class index (a whole number >= 0)");
        assertThatThrownBy(() -> Classification.labels(Tensor.of(new float[] {-1f}, 1, 1)))
                .hasMessageContaining("not a class index");
        Tensor probs = Tensor.of(new float[] {0.2f, 0.5f, 0.9f}, 3, 1);
        assertThat(Classification.predictions(probs)).containsExactly(0, 1, 1);
        assertThat(Classification.predictions(Tensor.of(new float[] {-0.1f, 0f, 3f}, 3), 0f)).containsExactly(0, 1, 1);
        assertThat(Classification.predictions(Tensor.of(new float[][] {{0.1f, 0.7f, 0.2f}, {3f, 1f, 2f}})))
                .containsExactly(1, 0);
        assertThatThrownBy(() -> Classification.predictions(Tensor.zeros(2, 2, 2)))
                .isInstanceOf(ShapeException.class)
                .hasMessage("predictions: needs [n], [n, 1] or [n, classes], got [2, 2, 2]");
    }

    @Test
    void inputErrorsNameTheMetric() {
        assertThatThrownBy(() -> Classification.accuracy(new int[0], new int[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("accuracy: no samples");
        assertThatThrownBy(() -> Classification.accuracy(new int[] {1, 2}, new int[] {1}))
                .hasMessage("accuracy: y_true has 2 samples but y_pred has 1");
        assertThatThrownBy(() -> Classification.report(new int[] {0, -1}, new int[] {0, 0}))
                .hasMessage("confusionMatrix: y_true[1] = -1 is not a class index (>= 0)");
        assertThatThrownBy(() -> Classification.report(new int[] {0, 1}, new int[] {0, 3}, 3))
                .hasMessage("confusionMatrix: y_pred[1] = 3 is outside 0..2 (3 classes)");
        assertThatThrownBy(() -> Classification.confusionMatrix(new int[] {0}, new int[] {0}, 0))
                .hasMessage("confusionMatrix: class count must be >= 1, got 0");
        assertThatThrownBy(() -> Classification.report(new int[] {0}, new int[] {0}).scores(7))
                .hasMessage("classification report: no class 7");
        assertThatThrownBy(() -> new ConfusionMatrix(new int[] {1, 0}, new int[][] {{0, 0}, {0, 0}}))
                .hasMessageContaining("strictly increasing");
    }

    @Test
    void confusionMatrixIsImmutable() {
        int[][] counts = {{1, 2}, {3, 4}};
        ConfusionMatrix m = new ConfusionMatrix(new int[] {0, 1}, counts);
        counts[0][0] = 99;
        m.counts()[0][0] = 99;
        m.labels()[0] = 5;
        assertThat(m.count(0, 0)).isEqualTo(1);
        assertThat(m).isEqualTo(new ConfusionMatrix(new int[] {0, 1}, new int[][] {{1, 2}, {3, 4}}));
        assertThat(Classification.report(m).accuracy()).isCloseTo(0.5, EXACT);
    }
}
