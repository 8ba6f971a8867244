package dev.ganglion.tensor;

import dev.ganglion.nn.Loss;
import dev.ganglion.testing.Gen;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.Function;

import static dev.ganglion.testing.TensorAssert.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every fused kernel against the composite it replaces (STYLE §"one tension"): the composite is
 * the reference, values and gradients.
 */
class FusedVsCompositeTest {

    /** Values and the gradients of Σ out ⊙ R with respect to every input, for two formulations. */
    private static void assertSameValuesAndGradients(String what, Function<Tensor[], Tensor> fused,
                                                     Function<Tensor[], Tensor> composite, Tensor... inputs) {
        Tensor[] a = new Tensor[inputs.length], b = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            a[i] = inputs[i].copy().requiresGrad(true);
            b[i] = inputs[i].copy().requiresGrad(true);
        }
        Tensor ya = fused.apply(a), yb = composite.apply(b);
        assertAllClose(what + " values", ya, yb, 1e-5, 1e-6);
        Tensor seed = Gen.uniform(new SplittableRandom(99), -1, 1, ya.shape().dims());
        ya.backward(seed);
        yb.backward(seed);
        for (int i = 0; i < inputs.length; i++) {
            assertAllClose(what + " gradient of input " + i, a[i].grad(), b[i].grad(), 1e-5, 1e-6);
        }
    }

    @Test
    void linearEqualsMatmulWithTheTransposePlusBias() {
        SplittableRandom rng = new SplittableRandom(1);
        Tensor x = Gen.uniform(rng, -1, 1, 7, 5), w = Gen.uniform(rng, -1, 1, 3, 5), b = Gen.uniform(rng, -1, 1, 3);
        assertSameValuesAndGradients("linear with bias",
                t -> Tensor.linear(t[0], t[1], t[2]),
                t -> t[0].matmul(t[1].transpose()).add(t[2]), x, w, b);
        assertSameValuesAndGradients("linear without bias",
                t -> Tensor.linear(t[0], t[1], null),
                t -> t[0].matmul(t[1].transpose()), x, w);
    }

    @Test
    void linearAtALargerSizeStillAgrees() {
        SplittableRandom rng = new SplittableRandom(2);
        Tensor x = Gen.uniform(rng, -1, 1, 64, 48), w = Gen.uniform(rng, -1, 1, 33, 48), b = Gen.uniform(rng, -1, 1, 33);
        assertSameValuesAndGradients("linear 64x48 -> 33",
                t -> Tensor.linear(t[0], t[1], t[2]),
                t -> t[0].matmul(t[1].transpose()).add(t[2]), x, w, b);
    }

    private static Tensor oneHot(int[] labels, int classes) {
        Tensor t = Tensor.zeros(labels.length, classes);
        for (int i = 0; i < labels.length; i++) t.set(1f, i, labels[i]);
        return t;
    }

    @Test
    void softmaxCrossEntropyEqualsMinusMeanOfOneHotTimesLogSoftmax() {
        int[] labels = {0, 2, 1, 2, 3, 0};
        Tensor onehot = oneHot(labels, 4);
        Tensor z = Gen.uniform(new SplittableRandom(3), -4, 4, 6, 4);
        assertSameValuesAndGradients("softmaxCrossEntropy",
                t -> t[0].softmaxCrossEntropy(labels),
                t -> onehot.mul(t[0].logSoftmax()).sum(1, false).mean().neg(), z);
        assertSameValuesAndGradients("logSoftmax vs log(softmax)",
                t -> t[0].logSoftmax(),
                t -> t[0].softmax().log(), z);
    }

    @Test
    void crossEntropyLossGivesTheSameForIndexAndOneHotTargets() {
        int[] labels = {1, 0, 2};
        Tensor z = Gen.uniform(new SplittableRandom(4), -3, 3, 3, 3);
        Tensor indices = Tensor.of(new float[]{1, 0, 2}, 3, 1);
        Loss ce = new Loss.CrossEntropy();
        assertSameValuesAndGradients("ce indices vs one-hot",
                t -> ce.compute(t[0], indices),
                t -> ce.compute(t[0], oneHot(labels, 3)), z);
        assertSameValuesAndGradients("ce [n] indices vs [n,1]",
                t -> ce.compute(t[0], Tensor.of(new float[]{1, 0, 2}, 3)),
                t -> ce.compute(t[0], indices), z);
    }

    @Test
    void bceWithLogitsEqualsBceOnSigmoidOutputs() {
        Tensor z = Gen.uniform(new SplittableRandom(5), -4, 4, 5, 2);
        Tensor y = Tensor.of(new float[]{0, 1, 1, 1, 0, 0, 1, 0, 0, 1}, 5, 2);
        assertSameValuesAndGradients("bce_logits vs bce(sigmoid)",
                t -> new Loss.BinaryCrossEntropyWithLogits().compute(t[0], y),
                t -> new Loss.BinaryCrossEntropy().compute(t[0].sigmoid(), y), z);
        // and the documented fusion: bce after a sigmoid is computed from the logits
        assertSameValuesAndGradients("bce.computeFromLogits",
                t -> new Loss.BinaryCrossEntropy().computeFromLogits(t[0], y),
                t -> new Loss.BinaryCrossEntropy().compute(t[0].sigmoid(), y), z);
    }

    @Test
    void softmaxIsStableForHugeLogits() {
        Tensor z = Tensor.of(new float[]{1000f, 0f, -1000f, 1000f, 1000f, 1000f}, 2, 3);
        Tensor p = z.softmax();
        assertThat(p.isFinite()).isTrue();
        assertAllClose("softmax", p.data(), new double[]{1, 0, 0, 1 / 3.0, 1 / 3.0, 1 / 3.0}, 1e-6, 1e-7);
        Tensor x = z.copy().requiresGrad(true);
        x.softmax().mul(Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 2, 3)).sum().backward();
        assertThat(x.grad().isFinite()).isTrue();
    }

    @Test
    void logSoftmaxAndCrossEntropyAreStableForHugeLogits() {
        Tensor z = Tensor.of(new float[]{1000f, 0f, -1000f, -1000f, 1000f, 999f}, 2, 3).requiresGrad(true);
        assertAllClose("logSoftmax", z.logSoftmax().data(),
                new double[]{0, -1000, -2000, -1000 - 1000 - Math.log1p(Math.exp(-1)), -Math.log1p(Math.exp(-1)), -1 - Math.log1p(Math.exp(-1))},
                1e-6, 1e-5);
        Tensor loss = z.softmaxCrossEntropy(new int[]{1, 2});
        // row 0: the label's logit is 1000 below the top; row 1: 1 below
        assertThat((double) loss.item()).isCloseTo((1000 + 1 + Math.log1p(Math.exp(-1))) / 2, within(1e-3));
        loss.backward();
        assertThat(z.grad().isFinite()).isTrue();
        assertThat(z.grad().data()[0]).isCloseTo(0.5f, within(1e-6f));
        assertThat(z.grad().data()[1]).isCloseTo(-0.5f, within(1e-6f));
    }

    @Test
    void logSoftmaxKeepsFullPrecisionFarFromZero() {
        // x − logΣe^x must not round logΣe^x to float first: at 10⁴ a float ulp is 1e-3
        Tensor z = Tensor.of(new float[]{10_000f, 9_999f, 10_000f}, 1, 3);
        double lse = 10_000 + Math.log(2 + Math.exp(-1));
        assertAllClose("logSoftmax at 1e4", z.logSoftmax().data(),
                new double[]{10_000 - lse, 9_999 - lse, 10_000 - lse}, 1e-6, 1e-7);
        assertThat((double) z.softmaxCrossEntropy(new int[]{1}).item()).isCloseTo(lse - 9_999, within(1e-6));
    }

    @Test
    void bceWithLogitsIsStableForHugeLogitsAndBceClampsProbabilities() {
        Tensor z = Tensor.of(new float[]{100f, -100f, 100f, -100f}, 4, 1);
        Tensor y = Tensor.of(new float[]{1, 0, 0, 1}, 4, 1);
        float l = new Loss.BinaryCrossEntropyWithLogits().compute(z, y).item();
        assertThat(l).isCloseTo(50f, within(1e-3f)); // two perfect answers, two costing 100 each
        float clamped = new Loss.BinaryCrossEntropy().compute(z.sigmoid(), y).item();
        assertThat(Float.isFinite(clamped)).isTrue();
        assertThat((double) clamped).isCloseTo(-Math.log(1e-7) / 2, within(0.1));
    }
}
