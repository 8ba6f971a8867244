package dev.ganglion.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ganglion.tensor.ShapeException;
import dev.ganglion.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** ROC AUC: scikit-learn's example, ties by hand, a brute-force reference, and the undefined cases. */
class RocAucTest {

    /** Pairs (positive, negative): 1 where the positive scores higher, ½ on a tie. O(P·N), obviously right. */
    static double bruteForceAuc(int[] y, float[] s, int positive) {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] != positive) {
                continue;
            }
            for (int j = 0; j < y.length; j++) {
                if (y[j] == positive) {
                    continue;
                }
                pairs++;
                wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
            }
        }
        return wins / pairs;
    }

    /**
     * scikit-learn documentation, {@code sklearn.metrics.roc_auc_score} (and the User Guide's ROC
     * section): y_true = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8] gives 0.75.
     */
    @Test
    void sklearnExample() {
        int[] y = {0, 0, 1, 1};
        float[] s = {0.1f, 0.4f, 0.35f, 0.8f};
        assertThat(Classification.rocAuc(y, s)).isEqualTo(0.75);
        assertThat(Classification.rocAuc(y, Tensor.of(s, 4, 1))).isEqualTo(0.75);
    }

    @Test
    void tiesCountOneHalf() {
        // positives score 0.5, 0.9, 0.2; negatives 0.5, 0.2, 0.5.
        // 0.5 beats 0.2 and ties the two 0.5s: 2; 0.9 beats all three: 3; 0.2 ties one 0.2: 0.5 -> 5.5 / 9
        int[] y = {0, 0, 1, 1, 0, 1};
        float[] s = {0.5f, 0.2f, 0.5f, 0.9f, 0.5f, 0.2f};
        assertThat(Classification.rocAuc(y, s)).isEqualTo(5.5 / 9);
        // every score equal: no information, exactly one half
        assertThat(Classification.rocAuc(new int[] {0, 1, 1, 0, 1}, new float[5])).isEqualTo(0.5);
        // perfect and perfectly wrong rankings; -0.0 and 0.0 are the same score
        assertThat(Classification.rocAuc(new int[] {0, 0, 1}, new float[] {-1f, 0f, 1f})).isEqualTo(1.0);
        assertThat(Classification.rocAuc(new int[] {1, 0, 0}, new float[] {-1f, 0f, 1f})).isEqualTo(0.0);
        assertThat(Classification.rocAuc(new int[] {1, 0}, new float[] {0f, -0f})).isEqualTo(0.5);
        assertThat(Classification.rocAuc(new int[] {1, 0, 1},
                new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 3f})).isEqualTo(1.0);
    }

    @Test
    void matchesBruteForceOnLargeRandomData() {
        SplittableRandom rng = new SplittableRandom(7);
        int n = 2000;
        int[] y = new int[n];
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(3) == 0 ? 1 : 0;
            // scores on a coarse grid, so there are many ties, shifted up for positives
            s[i] = rng.nextInt(20) / 4f + y[i];
        }
        assertThat(Classification.rocAuc(y, s)).isCloseTo(bruteForceAuc(y, s, 1), within(1e-12));
    }

    @Test
    void oneVsRestMacroMatchesTheMeanOfBinaryAucs() {
        SplittableRandom rng = new SplittableRandom(11);
        int n = 300, k = 4;
        int[] y = new int[n];
        float[][] p = new float[n][k];
        for (int i = 0; i < n; i++) {
            y[i] = i % k;
            float sum = 0;
            for (int j = 0; j < k; j++) {
                p[i][j] = (float) rng.nextDouble() + (j == y[i] ? 0.7f : 0f);
                sum += p[i][j];
            }
            for (int j = 0; j < k; j++) {
                p[i][j] = Math.round(p[i][j] / sum * 10) / 10f; // coarse, with ties
            }
        }
        double expected = 0;
        for (int c = 0; c < k; c++) {
            float[] column = new float[n];
            for (int i = 0; i < n; i++) {
                column[i] = p[i][c];
            }
            expected += bruteForceAuc(y, column, c);
        }
        expected /= k;
        assertThat(Classification.rocAucOvr(y, p)).isCloseTo(expected, within(1e-12));
        assertThat(Classification.rocAucOvr(y, Tensor.of(p))).isCloseTo(expected, within(1e-12));
        assertThat(expected).isBetween(0.6, 1.0);
    }

    @Test
    void handComputedOneVsRest() {
        // class 0, column 0: positives 0.8, 0.6 vs negatives 0.3, 0.1 -> 1
        // class 1, column 1: positive 0.6 vs 0.1, 0.3, 0.2 -> 1
        // class 2, column 2: positive 0.1 vs 0.05 (win), 0.1 (tie), 0.1 (tie) -> (1 + 1/2 + 1/2) / 3 = 2/3
        int[] y = {0, 0, 1, 2};
        float[][] p = {{0.8f, 0.1f, 0.05f}, {0.6f, 0.3f, 0.1f}, {0.3f, 0.6f, 0.1f}, {0.1f, 0.2f, 0.1f}};
        // rows 0 and 3 do not sum to 1: only the order within each column matters
        assertThat(Classification.rocAucOvr(y, p)).isCloseTo((1 + 1 + 2.0 / 3) / 3, within(1e-12));
    }

    @Test
    void singleClassIsAClearError() {
        assertThatThrownBy(() -> Classification.rocAuc(new int[] {1, 1, 1}, new float[] {0.1f, 0.5f, 0.9f}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rocAuc: y_true holds only class 1 (3 samples); ROC AUC is undefined without both positive"
                        + " and negative samples");
        assertThatThrownBy(() -> Classification.rocAuc(new int[] {0}, new float[] {0.1f}))
                .hasMessageStartingWith("rocAuc: y_true holds only class 0 (1 samples)");
        assertThatThrownBy(() -> Classification.rocAucOvr(new int[] {0, 2, 0},
                new float[][] {{.5f, .3f, .2f}, {.1f, .1f, .8f}, {.6f, .2f, .2f}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rocAucOvr: class 1 never occurs in y_true, so its one-vs-rest ROC AUC is undefined;"
                        + " each of the 3 classes (score columns) needs a sample");
    }

    @Test
    void invalidInputs() {
        assertThatThrownBy(() -> Classification.rocAuc(new int[] {0, 2}, new float[] {0f, 1f}))
                .hasMessage("rocAuc: y_true[1] = 2; binary ROC AUC takes labels 0 and 1 (use rocAucOvr for more classes)");
        assertThatThrownBy(() -> Classification.rocAuc(new int[] {0, 1}, new float[] {Float.NaN, 1f}))
                .hasMessage("rocAuc: scores[0] is NaN");
        assertThatThrownBy(() -> Classification.rocAuc(new int[] {0, 1}, new float[] {1f}))
                .hasMessage("rocAuc: y_true has 2 samples but scores has 1");
        assertThatThrownBy(() -> Classification.rocAuc(new int[0], new float[0])).hasMessage("rocAuc: no samples");
        assertThatThrownBy(() -> Classification.rocAuc(new int[] {0, 1}, Tensor.zeros(2, 2)))
                .isInstanceOf(ShapeException.class)
                .hasMessage("rocAuc: scores must be [n] or [n, 1], got [2, 2] (use rocAucOvr for one column per class)");
        assertThatThrownBy(() -> Classification.rocAucOvr(new int[] {0, 3}, new float[][] {{1, 0, 0}, {0, 1, 0}}))
                .hasMessage("rocAucOvr: y_true[1] = 3 is outside 0..2 (3 classes)");
        assertThatThrownBy(() -> Classification.rocAucOvr(new int[] {0, 0}, new float[][] {{1}, {0}}))
                .hasMessage("rocAucOvr: needs a score column per class, at least 2, got 1");
        assertThatThrownBy(() -> Classification.rocAucOvr(new int[] {0, 1}, new float[][] {{1, 0}, {0}}))
                .hasMessage("rocAucOvr: score row 1 has 1 values, row 0 has 2");
    }
}
