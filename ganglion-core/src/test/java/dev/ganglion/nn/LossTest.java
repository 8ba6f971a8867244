package dev.ganglion.nn;

import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Loss values against hand computations. (Gradients: OpGradientTest; fused forms: FusedVsCompositeTest.) */
class LossTest {
    static final Tensor PRED = Tensor.of(new float[]{0.9f, 0.2f, 0.6f, 0.1f}, 4, 1);
    static final Tensor TARGET = Tensor.of(new float[]{1f, 0f, 0f, 1f}, 4, 1);

    @Test
    void meanSquaredAndAbsoluteError() {
        // differences: -0.1, 0.2, 0.6, -0.9
        assertThat(new Loss.MeanSquaredError().compute(PRED, TARGET).item())
                .isCloseTo((0.01f + 0.04f + 0.36f + 0.81f) / 4, within(1e-6f));
        assertThat(new Loss.MeanAbsoluteError().compute(PRED, TARGET).item())
                .isCloseTo((0.1f + 0.2f + 0.6f + 0.9f) / 4, within(1e-6f));
    }

    @Test
    void binaryCrossEntropy() {
        double expected = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.4) + Math.log(0.1)) / 4;
        assertThat((double) new Loss.BinaryCrossEntropy().compute(PRED, TARGET).item()).isCloseTo(expected, within(1e-6));
        // from logits: z = logit(p)
        float[] z = new float[4];
        for (int i = 0; i < 4; i++) z[i] = (float) Math.log(PRED.data()[i] / (1 - PRED.data()[i]));
        assertThat((double) new Loss.BinaryCrossEntropyWithLogits().compute(Tensor.of(z, 4, 1), TARGET).item()).isCloseTo(expected, within(1e-6));
    }

    @Test
    void binaryCrossEntropyOfCertainAnswersIsFinite() {
        Tensor p = Tensor.of(new float[]{0f, 1f}, 2, 1), y = Tensor.of(new float[]{1f, 0f}, 2, 1);
        float wrong = new Loss.BinaryCrossEntropy().compute(p, y).item();
        assertThat(Float.isFinite(wrong)).isTrue();
        assertThat(wrong).isGreaterThan(15f);
        float right = new Loss.BinaryCrossEntropy().compute(p, Tensor.of(new float[]{0f, 1f}, 2, 1)).item();
        assertThat(right).isCloseTo(0f, within(1e-6f));
    }

    @Test
    void crossEntropyWithIndexAndOneHotTargets() {
        Tensor z = Tensor.of(new float[][]{{2f, 1f, 0f}, {0f, 0f, 3f}});
        double lse0 = Math.log(Math.exp(2) + Math.exp(1) + 1), lse1 = Math.log(2 + Math.exp(3));
        double expected = ((lse0 - 2) + (lse1 - 3)) / 2;
        Loss ce = new Loss.CrossEntropy();
        assertThat((double) ce.compute(z, Tensor.of(new float[]{0, 2}, 2, 1)).item()).isCloseTo(expected, within(1e-6));
        assertThat((double) ce.compute(z, Tensor.of(new float[]{0, 2}, 2)).item()).isCloseTo(expected, within(1e-6));
        assertThat((double) ce.compute(z, Tensor.of(new float[][]{{1, 0, 0}, {0, 0, 1}})).item()).isCloseTo(expected, within(1e-6));
        // soft targets: a mixture of the two answers
        Tensor soft = Tensor.of(new float[][]{{0.5f, 0.5f, 0}, {0, 0, 1}});
        assertThat((double) ce.compute(z, soft).item()).isCloseTo(((lse0 - 1.5) + (lse1 - 3)) / 2, within(1e-6));
    }

    @Test
    void crossEntropyRejectsNonIndexTargets() {
        Tensor z = Tensor.zeros(2, 3);
        assertThatThrownBy(() -> new Loss.CrossEntropy().compute(z, Tensor.of(new float[]{0, 1.5f}, 2, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5").hasMessageContaining("row 1").hasMessageContaining("0..2");
        assertThatThrownBy(() -> new Loss.CrossEntropy().compute(z, Tensor.of(new float[]{3, 0}, 2, 1)))
                .hasMessageContaining("3.0").hasMessageContaining("row 0");
        assertThatThrownBy(() -> new Loss.CrossEntropy().compute(Tensor.zeros(2, 3, 1), Tensor.zeros(2)))
                .hasMessageContaining("[2, 3, 1]");
    }

    @Test
    void fusionPairsTheLossWithItsActivation() {
        assertThat(new Loss.BinaryCrossEntropy().fusesWith(new Activation.Sigmoid())).isTrue();
        assertThat(new Loss.BinaryCrossEntropy().fusesWith(new Activation.Softmax())).isFalse();
        assertThat(new Loss.CrossEntropy().fusesWith(new Activation.Softmax())).isTrue();
        assertThat(new Loss.CrossEntropy().fusesWith(new Activation.Linear())).isFalse();
        assertThat(new Loss.MeanSquaredError().fusesWith(new Activation.Sigmoid())).isFalse();
        assertThatThrownBy(() -> new Loss.MeanSquaredError().computeFromLogits(PRED, TARGET))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("mse");
    }

    @Test
    void huberIsQuadraticInsideDeltaAndLinearOutside() {
        // differences -0.1, 0.2, 0.6, -0.9 (all inside δ = 1) and, against 3·target, some outside
        assertThat(new Loss.Huber().compute(PRED, TARGET).item())
                .isCloseTo(0.5f * (0.01f + 0.04f + 0.36f + 0.81f) / 4, within(1e-6f));
        Tensor far = Tensor.of(new float[]{3f, -0.5f, 2f, 0f}, 4, 1);
        // d = -2.1, 0.7, -1.4, 0.1 -> 2.1 − 0.5, ½·0.49, 1.4 − 0.5, ½·0.01
        assertThat(new Loss.Huber().compute(PRED, far).item()).isCloseTo((1.6f + 0.245f + 0.9f + 0.005f) / 4, within(1e-6f));
        // δ = 2: |d| = 2.1 is linear, 2·(2.1 − 1); the others quadratic
        assertThat(new Loss.Huber(2f).compute(PRED, far).item()).isCloseTo((2.2f + 0.245f + 0.98f + 0.005f) / 4, within(1e-6f));
        assertThat(new Loss.Huber().name()).isEqualTo("huber");
        assertThat(new Loss.Huber(2f).name()).isEqualTo("huber(2.0)");
        assertThatThrownBy(() -> new Loss.Huber(0f)).hasMessageContaining("delta");
    }

    @Test
    void binaryCrossEntropyIsElementWiseForMultiLabelTargets() {
        // three independent labels per sample: the loss is the mean over all 2·3 elements
        Tensor p = Tensor.of(new float[][]{{0.9f, 0.2f, 0.6f}, {0.3f, 0.8f, 0.5f}});
        Tensor y = Tensor.of(new float[][]{{1, 0, 1}, {0, 0, 1}});
        double expected = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.6) + Math.log(0.7) + Math.log(0.2) + Math.log(0.5)) / 6;
        assertThat((double) new Loss.BinaryCrossEntropy().compute(p, y).item()).isCloseTo(expected, within(1e-6));
        float[] z = new float[6];
        for (int i = 0; i < 6; i++) z[i] = (float) Math.log(p.data()[i] / (1 - p.data()[i]));
        assertThat((double) new Loss.BinaryCrossEntropyWithLogits().compute(Tensor.of(z, 2, 3), y).item()).isCloseTo(expected, within(1e-6));
    }

    @Test
    void weightedCrossEntropyIsPyTorchsWeightedMean() {
        Tensor z = Tensor.of(new float[][]{{2f, 1f, 0f}, {0f, 0f, 3f}, {1f, 2f, 0f}});
        Tensor labels = Tensor.of(new float[]{0, 2, 1}, 3, 1);
        double[] nll = new double[3];
        float[][] rows = z.toArray2d();
        int[] y = {0, 2, 1};
        for (int i = 0; i < 3; i++) {
            double lse = 0;
            for (float v : rows[i]) lse += Math.exp(v);
            nll[i] = Math.log(lse) - rows[i][y[i]];
        }
        List<Float> w = List.of(1f, 4f, 0.5f);
        double expected = (1 * nll[0] + 0.5 * nll[1] + 4 * nll[2]) / (1 + 0.5 + 4);
        Loss weighted = new Loss.CrossEntropy(w);
        assertThat((double) weighted.compute(z, labels).item()).isCloseTo(expected, within(1e-6));
        Tensor oneHot = Tensor.of(new float[][]{{1, 0, 0}, {0, 0, 1}, {0, 1, 0}});
        assertThat((double) weighted.compute(z, oneHot).item()).as("one-hot rows as indices").isCloseTo(expected, within(1e-6));
        assertThat(new Loss.CrossEntropy(List.of(2f, 2f, 2f)).compute(z, labels).item())
                .as("equal weights are no weights").isCloseTo(new Loss.CrossEntropy().compute(z, labels).item(), within(1e-6f));
        assertThat(weighted.name()).isEqualTo("ce(1.0,4.0,0.5)");
        assertThat(weighted.fusesWith(new Activation.Softmax())).isTrue();
        assertThatThrownBy(() -> new Loss.CrossEntropy(List.of(1f, 2f)).compute(z, labels))
                .hasMessageContaining("2 class weights").hasMessageContaining("3 classes");
    }

    @Test
    void weightedBinaryCrossEntropyMatchesWeightedCrossEntropyOverTwoLogits() {
        // sigmoid(z) is softmax over (0, z): bce with weights (w0, w1) = ce with weights (w0, w1)
        float[] z = {1.5f, -0.3f, 0.2f, -2f};
        Tensor logits = Tensor.of(z, 4, 1), y = Tensor.of(new float[]{1, 0, 0, 1}, 4, 1);
        float[] pairs = new float[8];
        for (int i = 0; i < 4; i++) pairs[2 * i + 1] = z[i];
        List<Float> w = List.of(0.5f, 3f);
        float ce = new Loss.CrossEntropy(w).compute(Tensor.of(pairs, 4, 2), y).item();
        assertThat(new Loss.BinaryCrossEntropyWithLogits(w).compute(logits, y).item()).isCloseTo(ce, within(1e-6f));
        Tensor p = logits.sigmoid();
        assertThat(new Loss.BinaryCrossEntropy(w).compute(p, y).item()).isCloseTo(ce, within(1e-5f));
        assertThat(new Loss.BinaryCrossEntropy(w).computeFromLogits(logits, y).item()).isCloseTo(ce, within(1e-6f));
        assertThat(new Loss.BinaryCrossEntropy(List.of(2f, 2f)).compute(p, y).item())
                .isCloseTo(new Loss.BinaryCrossEntropy().compute(p, y).item(), within(1e-6f));
        assertThat(new Loss.BinaryCrossEntropy(w).name()).isEqualTo("bce(0.5,3.0)");
    }

    @Test
    void classWeightsAreChecked() {
        assertThatThrownBy(() -> new Loss.BinaryCrossEntropy(List.of(1f, 2f, 3f))).hasMessageContaining("needs 2 class weights");
        assertThatThrownBy(() -> new Loss.CrossEntropy(List.of(1f, -2f))).hasMessageContaining(">= 0").hasMessageContaining("-2.0");
        assertThatThrownBy(() -> new Loss.CrossEntropy(List.of(0f, 0f))).hasMessageContaining("all zero");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {"huber;huber", "Huber(2);huber(2.0)", "huber(1.0);huber", "ce(1, 2,0.5);ce(1.0,2.0,0.5)",
            "bce(1,4);bce(1.0,4.0)", "bce_logits(0.5,2);bce_logits(0.5,2.0)", "categorical_crossentropy(3,1);ce(3.0,1.0)"})
    void parsesArguments(String text, String canonical) {
        Loss l = Loss.parse(text);
        assertThat(l.name()).isEqualTo(canonical);
        assertThat(Loss.parse(l.name())).isEqualTo(l);
    }

    @Test
    void badArgumentsSayWhatIsWrong() {
        assertThatThrownBy(() -> Loss.parse("mse(2)")).hasMessageContaining("takes no parameters");
        assertThatThrownBy(() -> Loss.parse("huber(1,2)")).hasMessageContaining("one parameter");
        assertThatThrownBy(() -> Loss.parse("huber(x)")).hasMessageContaining("\"x\" is not a number");
        assertThatThrownBy(() -> Loss.parse("ce(1,2")).hasMessageContaining("missing ')'");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"mse,mse", "mean_squared_error,mse", "MAE,mae", "mean-absolute-error,mae", "bce,bce", "binary_crossentropy,bce",
            "binary_cross_entropy,bce", "log_loss,bce", "bce_logits,bce_logits", "bce_with_logits,bce_logits", "ce,ce",
            "cross_entropy,ce", "categorical_crossentropy,ce", "categorical_cross_entropy,ce", "sparse_categorical_crossentropy,ce"})
    void parsesEveryName(String text, String canonical) {
        Loss l = Loss.parse(text);
        assertThat(l.name()).isEqualTo(canonical);
        assertThat(Loss.parse(l.name())).isEqualTo(l);
    }

    @Test
    void unknownLossListsTheKnownOnes() {
        assertThatThrownBy(() -> Loss.parse("hinge")).hasMessageContaining("unknown loss \"hinge\"").hasMessageContaining(Loss.NAMES);
    }
}
