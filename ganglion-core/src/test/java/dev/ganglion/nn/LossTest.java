package dev.ganglion.nn;

import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
