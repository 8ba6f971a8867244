package dev.ganglion.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ganglion.tensor.ShapeException;
import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** MSE, RMSE, MAE and R²: scikit-learn's documented examples, the constant-target rule, errors. */
class RegressionTest {

    /**
     * scikit-learn documentation, Examples of {@code mean_squared_error} (0.375),
     * {@code mean_absolute_error} (0.5), {@code root_mean_squared_error} (0.612...) and
     * {@code r2_score} (0.948...) for y_true = [3, -0.5, 2, 7], y_pred = [2.5, 0.0, 2, 8].
     * Exactly: residuals² sum to 1.5, Σ(y − ȳ)² = 29.1875.
     */
    @Test
    void sklearnSingleOutputExample() {
        float[] y = {3f, -0.5f, 2f, 7f};
        float[] p = {2.5f, 0f, 2f, 8f};
        assertThat(Regression.mse(y, p)).isEqualTo(0.375);
        assertThat(Regression.mae(y, p)).isEqualTo(0.5);
        assertThat(Regression.rmse(y, p)).isCloseTo(Math.sqrt(0.375), within(1e-15)).isCloseTo(0.612, within(0.001));
        assertThat(Regression.r2(y, p)).isCloseTo(1 - 1.5 / 29.1875, within(1e-15)).isCloseTo(0.948, within(0.001));
        RegressionReport r = Regression.report(y, p);
        assertThat(r).isEqualTo(new RegressionReport(4, 1, 0.375, Math.sqrt(0.375), 0.5, 1 - 1.5 / 29.1875));
        assertThat(Regression.report(Tensor.of(y, 4, 1), Tensor.of(p, 4, 1))).isEqualTo(r);
        assertThat(Regression.report(Tensor.of(y, 4), Tensor.of(p, 4))).isEqualTo(r);
    }

    /**
     * scikit-learn documentation, the same functions' multi-output Examples: y_true =
     * [[0.5, 1], [-1, 1], [7, -6]], y_pred = [[0, 2], [-1, 2], [8, -5]] give MSE 0.708...,
     * MAE 0.75, RMSE 0.822..., R² 0.936... (uniform average of the two columns).
     */
    @Test
    void sklearnMultiOutputExample() {
        Tensor y = Tensor.of(new float[][] {{0.5f, 1f}, {-1f, 1f}, {7f, -6f}});
        Tensor p = Tensor.of(new float[][] {{0f, 2f}, {-1f, 2f}, {8f, -5f}});
        RegressionReport r = Regression.report(y, p);
        assertThat(r.count()).isEqualTo(3);
        assertThat(r.outputs()).isEqualTo(2);
        assertThat(r.mse()).isCloseTo((1.25 / 3 + 1) / 2, within(1e-15)).isCloseTo(0.708, within(0.001));
        assertThat(r.mae()).isCloseTo(0.75, within(1e-15));
        assertThat(r.rmse()).isCloseTo((Math.sqrt(1.25 / 3) + 1) / 2, within(1e-15)).isCloseTo(0.822, within(0.001));
        // column 0: 1 - 1.25 / 36.1667; column 1: 1 - 3 / 32.6667
        assertThat(r.r2()).isCloseTo(0.9368005266622779, within(1e-12));
    }

    @Test
    void constantTargetsFollowForceFinite() {
        // scikit-learn's r2_score with force_finite=True: 1.0 for exact predictions, else 0.0
        float[] constant = {-2f, -2f, -2f};
        assertThat(Regression.r2(constant, new float[] {-2f, -2f, -2f})).isEqualTo(1.0);
        assertThat(Regression.r2(constant, new float[] {-2f, -2f, -1.9f})).isEqualTo(0.0);
        // the r2_score docstring's other cases: [1, 2, 3] vs [1, 2, 3], [2, 2, 2], [3, 2, 1]
        float[] y = {1f, 2f, 3f};
        assertThat(Regression.r2(y, new float[] {1f, 2f, 3f})).isEqualTo(1.0);
        assertThat(Regression.r2(y, new float[] {2f, 2f, 2f})).isEqualTo(0.0);
        assertThat(Regression.r2(y, new float[] {3f, 2f, 1f})).isEqualTo(-3.0);
    }

    @Test
    void errors() {
        assertThatThrownBy(() -> Regression.mse(new float[0], new float[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("mse: no samples");
        assertThatThrownBy(() -> Regression.mae(new float[] {1f}, new float[] {1f, 2f}))
                .hasMessage("mae: y_true has 1 values but y_pred has 2");
        assertThatThrownBy(() -> Regression.r2(new float[] {1f, Float.NaN}, new float[] {1f, 2f}))
                .hasMessage("r2: y_true[1] is NaN");
        assertThatThrownBy(() -> Regression.report(new float[] {1f}, new float[] {Float.POSITIVE_INFINITY}))
                .hasMessage("report: y_pred[0] is Infinity");
        assertThatThrownBy(() -> Regression.report(Tensor.zeros(3, 2), Tensor.zeros(3, 1)))
                .isInstanceOf(ShapeException.class)
                .hasMessage("regression report: y_true [3, 2] and y_pred [3, 1] differ in shape");
        assertThatThrownBy(() -> Regression.report(Tensor.zeros(2, 2, 2), Tensor.zeros(2, 2, 2)))
                .hasMessage("regression report: needs [n] or [n, outputs], got [2, 2, 2]");
        assertThatThrownBy(() -> Regression.report(Tensor.zeros(0, 1), Tensor.zeros(0, 1)))
                .hasMessage("report: no samples");
    }
}
