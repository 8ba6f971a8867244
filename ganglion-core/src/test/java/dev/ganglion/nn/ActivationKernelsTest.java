package dev.ganglion.nn;

import dev.ganglion.tensor.NoGrad;
import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-place activations compute exactly what the tensor operations and autograd compute. */
class ActivationKernelsTest {

    static List<Activation> supported() {
        return List.of(new Activation.Linear(), new Activation.Relu(), new Activation.LeakyRelu(0.2f),
                new Activation.Sigmoid(), new Activation.Tanh(), new Activation.Step());
    }

    /** Values around 0 (ties), small, large and extreme, 37 of them (not a multiple of any vector width). */
    static float[] values() {
        SplittableRandom rng = new SplittableRandom(4);
        float[] v = new float[37];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextGaussian() * (i % 3 == 0 ? 30 : 2));
        v[0] = 0f;
        v[1] = -0f;
        v[2] = 1e-30f;
        return v;
    }

    @ParameterizedTest
    @MethodSource("supported")
    void inPlaceEqualsTheTensorOperationBitForBit(Activation f) {
        assertThat(ActivationKernels.supports(f)).isTrue();
        float[] z = values(), a = z.clone();
        ActivationKernels.apply(f, a, a.length);
        assertThat(a).containsExactly(f.apply(Tensor.of(z.clone(), z.length)).data());
    }

    /** ReLU without branches keeps its values: 0 for x ≤ 0 (−0 too), x above, NaN stays NaN. */
    @org.junit.jupiter.api.Test
    void reluAndItsSlopeAtTheEdges() {
        float[] z = {-3f, -0f, 0f, 1e-45f, 2.5f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        float[] a = z.clone();
        ActivationKernels.apply(new Activation.Relu(), a, a.length);
        assertThat(a).containsExactly(0f, 0f, 0f, 1e-45f, 2.5f, Float.POSITIVE_INFINITY, 0f, Float.NaN);
        float[] slope = new float[z.length];
        for (int i = 0; i < z.length; i++) slope[i] = Tensor.reluSlope(z[i]);
        assertThat(slope).containsExactly(0f, 0f, 0f, 1f, 1f, 1f, 0f, Float.NaN);
        float[] d = {5f, 5f, 5f, -2f, -2f, 7f, 7f, 1f};
        ActivationKernels.multiplyByDerivative(new Activation.Relu(), a, d, d.length);
        assertThat(d).containsExactly(0f, 0f, 0f, -2f, -2f, 7f, 0f, Float.NaN);
    }

    @ParameterizedTest
    @MethodSource("supported")
    void derivativeFromTheOutputEqualsAutograd(Activation f) {
        float[] z = values(), up = new float[z.length];
        SplittableRandom rng = new SplittableRandom(9);
        for (int i = 0; i < up.length; i++) up[i] = (float) rng.nextGaussian();
        Tensor zt = Tensor.of(z.clone(), z.length).requiresGrad(true);
        f.apply(zt).backward(Tensor.of(up.clone(), up.length));
        float[] a = z.clone(), d = up.clone();
        ActivationKernels.apply(f, a, a.length);
        ActivationKernels.multiplyByDerivative(f, a, d, d.length);
        float[] expected = zt.grad().data();
        for (int i = 0; i < d.length; i++) {
            assertThat(d[i]).as("element %d, z = %s", i, z[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-6f * Math.max(1f, Math.abs(expected[i]))));
        }
    }

    @ParameterizedTest
    @MethodSource("supported")
    void denseInferenceWithoutAGraphEqualsTheRecordedForward(Activation f) {
        Dense layer = new Dense(5, 7, f, new SplittableRandom(3));
        float[] x = values();
        Tensor input = Tensor.of(java.util.Arrays.copyOf(x, 35), 7, 5);
        float[] recorded = layer.forward(input).data();
        float[] inference;
        try (var scope = NoGrad.enter()) {
            inference = layer.forward(input).data();
        }
        assertThat(inference).containsExactly(recorded);
    }
}
